package io.kubecdk.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The {@code kubecdk-ops} command line: {@code call} any AWS operation, {@code assume-role}, and
 * cluster queries ({@code master-ip}, {@code nodes}, {@code backups}, {@code eips}). Exit codes:
 * {@value #OK} success, {@value #AWS_ERROR} AWS error or nothing found, {@value #USAGE} bad usage.
 */
public final class OpsCli {
    /** Exit code of a successful command. */
    public static final int OK = 0;
    /** Exit code when AWS refused or could not be reached, or the cluster has no such thing. */
    public static final int AWS_ERROR = 1;
    /** Exit code of a command line that cannot be run as given. */
    public static final int USAGE = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CONNECTION = Set.of("region", "profile", "endpoint-url", "role-arn",
            "role-session-name", "duration-seconds", "external-id", "serial-number", "token-code", "policy", "help");
    private static final List<String> COMMANDS = List.of("call", "assume-role", "master-ip", "nodes", "backups",
            "eips");
    private static final Map<String, Set<String>> COMMAND_OPTIONS = Map.of(
            "call", Set.of("service", "operation", "params", "paginate"),
            "assume-role", Set.of("format"),
            "master-ip", Set.of("env"),
            "nodes", Set.of("env"),
            "backups", Set.of("env", "bucket"),
            "eips", Set.of("env"));
    private static final String USAGE_TEXT = """
            Usage: kubecdk-ops <command> [options]

            Commands:
              call         --service S --operation OP [--params JSON|file://PATH] [--paginate]
                           call any AWS operation (boto3 names: describe_instances or DescribeInstances)
                           of a service: %s
              assume-role  --role-arn ARN [--format json|env]
                           print temporary credentials as JSON or as export lines
              master-ip    --env ENV        private IP of the environment's running master
              nodes        --env ENV        running instances per availability zone
              backups      --env ENV --bucket BUCKET   newest etcd backup and its age
              eips         --env ENV        Elastic IP pool and the node holding each address

            Options of every command:
              --region R          region (else AWS_REGION, the profile, instance metadata)
              --profile P         named profile of ~/.aws/config and ~/.aws/credentials
              --endpoint-url URL  call this endpoint (else AWS_ENDPOINT_URL[_<SERVICE>] or the profile's)
              --role-arn ARN      assume this role first, with optional --role-session-name NAME,
                                  --duration-seconds N (3600), --external-id ID, --serial-number MFA_ARN
                                  --token-code CODE, --policy JSON
              --help              this text

            Exit codes: 0 ok, 1 AWS error or nothing found, 2 bad usage.
            """.formatted(String.join(", ", AwsServices.all().keySet()));

    private final AwsDefaults defaults;
    private final Clock clock;

    /**
     * Creates the command line.
     *
     * @param defaults where credentials and region come from when not given
     * @param clock the clock backup ages are measured against
     */
    public OpsCli(AwsDefaults defaults, Clock clock) {
        this.defaults = Objects.requireNonNull(defaults, "defaults is required");
        this.clock = Objects.requireNonNull(clock, "clock is required");
    }

    /** Runs the command line with the SDK's default chains and exits with its code. */
    public static void main(String[] args) {
        System.exit(new OpsCli(AwsDefaults.sdk(), Clock.systemUTC()).run(args, System.out, System.err));
    }

    /**
     * Runs one command line: results on {@code out}, errors on {@code err}.
     *
     * @return the exit code
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        try {
            var cli = CliArgs.parse(args);
            if (cli.command().isEmpty()) {
                (cli.flag("help") ? out : err).print(USAGE_TEXT);
                return cli.flag("help") ? OK : USAGE;
            }
            var command = cli.command().get();
            var known = COMMAND_OPTIONS.get(command);
            if (known == null) {
                throw new InvalidCallException("unknown command " + command + ", must be one of: "
                        + String.join(", ", COMMANDS));
            }
            if (cli.flag("help")) {
                out.print(USAGE_TEXT);
                return OK;
            }
            var allowed = new HashSet<>(known);
            allowed.addAll(CONNECTION);
            cli.allowOnly(allowed);
            return execute(command, cli, out, err);
        } catch (InvalidCallException e) {
            err.println("kubecdk-ops: error: " + e.getMessage());
            err.println("Run 'kubecdk-ops --help' for usage.");
            return USAGE;
        } catch (AwsCallException | SdkException e) {
            err.println("kubecdk-ops: " + e.getMessage());
            return AWS_ERROR;
        }
    }

    private int execute(String command, CliArgs cli, PrintStream out, PrintStream err) {
        var profile = cli.option("profile");
        var region = cli.option("region").or(() -> defaults.region(profile)).orElseThrow(() ->
                new InvalidCallException("no region: give --region or set AWS_REGION"));
        var endpoint = cli.option("endpoint-url").map(OpsCli::endpoint);
        try (var clients = new AwsClients(endpoint, profile)) {
            var base = defaults.credentials(profile);
            if (command.equals("assume-role")) {
                return assumeRole(cli, clients, region, base, out);
            }
            var credentials = cli.option("role-arn").isPresent()
                    ? assumed(cli, clients, region, base).provider()
                    : base;
            var action = new AwsAction(clients);
            var queries = new ClusterQueries(action, region, credentials, clock);
            return switch (command) {
                case "call" -> call(cli, action, region, credentials, out);
                case "master-ip" -> masterIp(queries, cli.required("env"), out, err);
                case "nodes" -> nodes(queries, cli.required("env"), out);
                case "backups" -> backups(queries, cli.required("env"), cli.required("bucket"), out, err);
                default -> eips(queries, cli.required("env"), out);
            };
        }
    }

    private static int call(CliArgs cli, AwsAction action, String region, AwsCredentialsProvider credentials,
                            PrintStream out) {
        var service = cli.required("service");
        var operation = cli.required("operation");
        var params = params(cli.option("params").orElse("{}"));
        var tree = cli.flag("paginate")
                ? action.invokeAll(region, service, operation, params, credentials)
                : action.invoke(region, service, operation, params, credentials);
        out.println(pretty(tree));
        return OK;
    }

    private int assumeRole(CliArgs cli, AwsClients clients, String region, AwsCredentialsProvider base,
                           PrintStream out) {
        cli.required("role-arn");
        var format = cli.option("format").orElse("json");
        if (!format.equals("json") && !format.equals("env")) {
            throw new InvalidCallException("--format must be json or env, not " + format);
        }
        var credentials = assumed(cli, clients, region, base);
        out.print(format.equals("env") ? credentials.toExportLines() : pretty(credentials.toJson()) + "\n");
        return OK;
    }

    private static TemporaryCredentials assumed(CliArgs cli, AwsClients clients, String region,
                                                AwsCredentialsProvider base) {
        var role = AssumeRole.builder(cli.required("role-arn"));
        cli.option("role-session-name").ifPresent(role::sessionName);
        cli.option("duration-seconds").ifPresent(seconds -> role.duration(Duration.ofSeconds(number(seconds))));
        cli.option("external-id").ifPresent(role::externalId);
        cli.option("policy").ifPresent(role::policy);
        if (cli.option("serial-number").isPresent() || cli.option("token-code").isPresent()) {
            role.mfa(cli.option("serial-number").orElse(null), cli.option("token-code").orElse(null));
        }
        var request = role.build();
        try (var sts = clients.create(StsClient.class, Region.of(region), base)) {
            return request.credentials(sts);
        }
    }

    private static int masterIp(ClusterQueries queries, String env, PrintStream out, PrintStream err) {
        var ip = queries.masterIp(env);
        if (ip.isEmpty()) {
            err.println("kubecdk-ops: no running master in environment " + env);
            return AWS_ERROR;
        }
        out.println(ip.get());
        return OK;
    }

    private static int nodes(ClusterQueries queries, String env, PrintStream out) {
        queries.nodes(env).forEach((zone, nodes) -> {
            out.println(zone);
            nodes.forEach(n -> out.println(row("  ", n.instanceId(), n.role(), n.group(), n.privateIp())));
        });
        return OK;
    }

    private int backups(ClusterQueries queries, String env, String bucket, PrintStream out, PrintStream err) {
        var backup = queries.newestBackup(bucket);
        if (backup.isEmpty()) {
            err.println("kubecdk-ops: no etcd backup of " + env + " under s3://" + bucket + "/"
                    + ClusterQueries.BACKUP_PREFIX);
            return AWS_ERROR;
        }
        var b = backup.get();
        out.println("environment: " + env);
        out.println("key:         s3://" + bucket + "/" + b.key());
        out.println("taken at:    " + b.takenAt());
        out.println("age:         " + age(b.age()));
        out.println("size:        " + b.size() + " bytes");
        out.println("checksum:    " + (b.checksumPresent() ? "present" : "MISSING"));
        return OK;
    }

    private static int eips(ClusterQueries queries, String env, PrintStream out) {
        out.println(row("", "ALLOCATION-ID", "PUBLIC-IP", "POOL", "INSTANCE"));
        queries.elasticIps(env).forEach(eip -> out.println(row("", eip.allocationId(), eip.publicIp(), eip.pool(),
                eip.instanceId().orElse("free"))));
        return OK;
    }

    private static String row(String indent, String... cells) {
        var widths = List.of(21, 16, 16);
        var line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            line.append(i < cells.length - 1 ? String.format("%-" + widths.get(i) + "s ", cells[i]) : cells[i]);
        }
        return line.toString();
    }

    private static String age(Duration age) {
        return age.toDays() > 0
                ? age.toDays() + "d " + age.toHoursPart() + "h"
                : age.toHours() + "h " + age.toMinutesPart() + "m";
    }

    private static JsonNode params(String text) {
        var json = text;
        if (text.startsWith("file://")) {
            try {
                json = Files.readString(Path.of(text.substring("file://".length())));
            } catch (IOException e) {
                throw new InvalidCallException("--params: cannot read " + text + ": " + e.getMessage());
            }
        }
        try {
            var tree = JSON.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new InvalidCallException("--params must be a JSON object, not: " + json);
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new InvalidCallException("--params is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static URI endpoint(String url) {
        try {
            var uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidCallException("--endpoint-url must be a URL such as http://localhost:5000, not " + url);
        }
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidCallException("--duration-seconds must be a whole number, not " + text);
        }
    }

    private static String pretty(JsonNode tree) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
