package io.kubecdk.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An instance metadata service on loopback that speaks IMDSv2 only: a PUT to {@code /latest/api/token}
 * returns a token, and metadata reads without that token get 401, as on an instance that requires IMDSv2.
 */
public final class FakeImds implements AutoCloseable {
    private final HttpServer server;
    private final String token = UUID.randomUUID().toString();
    private final Map<String, String> metadata;
    private final AtomicInteger rejected = new AtomicInteger();

    private FakeImds(Map<String, String> metadata) throws IOException {
        this.metadata = Map.copyOf(metadata);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/latest/", this::handle);
        server.start();
    }

    /**
     * @param metadata paths under {@code /latest/meta-data/} and their values, e.g. {@code instance-id}
     * @return the running server
     */
    public static FakeImds serving(Map<String, String> metadata) {
        try {
            return new FakeImds(metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the value for {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** @return how many metadata reads came without a valid token */
    public int rejectedReads() {
        return rejected.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/latest/api/token")) {
            boolean valid = exchange.getRequestMethod().equals("PUT")
                    && exchange.getRequestHeaders().containsKey("X-aws-ec2-metadata-token-ttl-seconds");
            reply(exchange, valid ? 200 : 400, valid ? token : "");
            return;
        }
        if (!token.equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
            rejected.incrementAndGet();
            reply(exchange, 401, "");
            return;
        }
        String value = metadata.get(path.substring("/latest/meta-data/".length()));
        reply(exchange, value == null ? 404 : 200, value == null ? "" : value);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
