package io.kubecdk.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An AWS endpoint on loopback for tests: records each request as the SDK sent it and answers with
 * canned bodies, one per request in order, as the real service would.
 */
final class FakeAws implements AutoCloseable {

    /** A request as received. */
    record Request(String method, String path, String query, Map<String, String> headers, String body) {
        /** A header value, case-insensitive, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        /** The form-encoded body, decoded, as name=value pairs in the order sent. */
        List<String> formParams() {
            var pairs = new ArrayList<String>();
            for (var pair : body.split("&")) {
                pairs.add(URLDecoder.decode(pair, StandardCharsets.UTF_8));
            }
            return pairs;
        }
    }

    private record Reply(int status, String contentType, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();

    FakeAws() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Queues an XML answer (query, EC2 and REST-XML protocols). */
    FakeAws xml(int status, String body) {
        return reply(status, "text/xml", Map.of(), body);
    }

    /** Queues a JSON answer (JSON protocols) with the request id header AWS sends. */
    FakeAws json(int status, String body) {
        return reply(status, "application/x-amz-json-1.0", Map.of("x-amzn-RequestId", "req-json-1"), body);
    }

    synchronized FakeAws reply(int status, String contentType, Map<String, String> headers, String body) {
        replies.add(new Reply(status, contentType, headers, body));
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized Request only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests.size());
        }
        return requests.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        var headers = new TreeMap<String, String>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Reply reply;
        synchronized (this) {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body));
            reply = replies.isEmpty()
                    ? new Reply(400, "text/plain", Map.of(), "no canned reply left")
                    : replies.poll();
        }
        var bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
