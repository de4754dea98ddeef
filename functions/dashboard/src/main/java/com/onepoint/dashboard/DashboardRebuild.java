package com.onepoint.dashboard;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.DashboardTable;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Rebuilds the dashboard table from the members, points and deals tables: a parallel, paginated Scan of each
 * replays every item through {@link DashboardProjection}, the code the stream projector runs. Because every write
 * is guarded by the source item's version, the rebuild may run while the projector keeps consuming the streams:
 * whichever writes a newer version wins, and nothing goes backwards.
 *
 * <p>It refuses a dashboard table that is not empty unless {@code --force}: on a filled table it would only add what
 * is missing and refresh what is older; it never deletes a dashboard item whose source item is gone.
 *
 * <pre>
 * # AWS, one stage (table names onepoint-&lt;stage&gt;-members|points|deals|dashboard, as template.yaml names them):
 * java -cp functions/dashboard/target/function.jar com.onepoint.dashboard.DashboardRebuild --stage dev --region ap-northeast-2
 * # explicit tables (or MEMBERS_TABLE, POINTS_TABLE, DEALS_TABLE, DASHBOARD_TABLE in the environment):
 * java -cp functions/dashboard/target/function.jar com.onepoint.dashboard.DashboardRebuild \
 *     --members-table onepoint-dev-members --points-table onepoint-dev-points --deals-table onepoint-dev-deals \
 *     --dashboard-table onepoint-dev-dashboard [--segments 8] [--force]
 * # the local runtime's engine: add --endpoint http://localhost:8000 (dummy credentials are used when none are set)
 * </pre>
 * Credentials and region come from the default AWS chain (environment, profile, SSO cache, instance role)
 * unless {@code --region} is given. Exit status: 0 done, 1 failed (or some items failed), 2 refused or bad arguments.
 */
public final class DashboardRebuild {
    private static final JsonLog LOG = JsonLog.of(DashboardRebuild.class);
    public static final int DEFAULT_SEGMENTS = 4;

    private DashboardRebuild() {
    }

    /** What a rebuild did, per source and in total; {@code failed} items are logged by key and left unprojected. */
    public record Summary(long members, long pointAccounts, long deals, long applied, long alreadyApplied, long failed) {
    }

    /** Thrown, before anything is written, when the dashboard table is not empty and force was not asked for. */
    public static final class NotEmptyException extends RuntimeException {
        NotEmptyException(String table) {
            super("dashboard table " + table + " is not empty; pass --force to project into it anyway");
        }
    }

    /**
     * Scans each source table in {@code segments} parallel segments and projects every item.
     * @throws NotEmptyException when the dashboard table holds an item and {@code force} is false
     */
    public static Summary run(DynamoDbClient db, SourceTables sources, String dashboardTable, int segments, boolean force) {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be ≥ 1");
        }
        if (!force && !db.scan(b -> b.tableName(dashboardTable).limit(1)).items().isEmpty()) {
            throw new NotEmptyException(dashboardTable);
        }
        DashboardProjection projection = new DashboardProjection(db, dashboardTable);
        DynamoDbEnhancedClient enhanced = AwsClients.enhanced(db);
        Map<DashboardProjection.Source, LongAdder> read = new LinkedHashMap<>();
        for (DashboardProjection.Source source : DashboardProjection.Source.values()) {
            read.put(source, new LongAdder());
        }
        Counters counters = new Counters(new LongAdder(), new LongAdder(), new LongAdder());
        ExecutorService pool = Executors.newFixedThreadPool(segments);
        try {
            List<Future<?>> scans = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                ScanEnhancedRequest scan = ScanEnhancedRequest.builder().segment(segment).totalSegments(segments)
                        .consistentRead(true) // a rebuild must not start from a copy older than the table
                        .build();
                scans.add(pool.submit(() -> project(enhanced.table(sources.members(), MembersTable.SCHEMA), scan,
                        read.get(DashboardProjection.Source.MEMBERS), projection::upsert, counters)));
                scans.add(pool.submit(() -> project(enhanced.table(sources.points(), PointsTable.SCHEMA), scan,
                        read.get(DashboardProjection.Source.POINTS), projection::upsert, counters)));
                scans.add(pool.submit(() -> project(enhanced.table(sources.deals(), DealsTable.SCHEMA), scan,
                        read.get(DashboardProjection.Source.DEALS), projection::upsert, counters)));
            }
            for (Future<?> scan : scans) {
                scan.get(); // a scan that fails (throttling beyond the SDK's retries, access) fails the rebuild
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("rebuild interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a scan of the rebuild failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Summary(read.get(DashboardProjection.Source.MEMBERS).sum(),
                read.get(DashboardProjection.Source.POINTS).sum(), read.get(DashboardProjection.Source.DEALS).sum(),
                counters.applied().sum(), counters.alreadyApplied().sum(), counters.failed().sum());
    }

    private record Counters(LongAdder applied, LongAdder alreadyApplied, LongAdder failed) {
    }

    /** Scans one segment of a source table and projects every item; an item that fails is logged and counted. */
    private static <T> void project(DynamoDbTable<T> source, ScanEnhancedRequest scan, LongAdder read,
                                    Function<T, DashboardProjection.Outcome> upsert, Counters counters) {
        source.scan(scan).items().forEach(item -> {
            read.increment();
            try {
                if (upsert.apply(item) == DashboardProjection.Outcome.APPLIED) {
                    counters.applied().increment();
                } else {
                    counters.alreadyApplied().increment();
                }
            } catch (RuntimeException e) {
                counters.failed().increment();
                LOG.error("rebuild", "item not projected", Map.of("table", source.tableName(),
                        "key", keyOf(source.tableSchema(), item), "exception", e.getClass().getName(),
                        "detail", String.valueOf(e.getMessage())));
            }
        });
    }

    /** The source item's key, for the log: ids only, never names or contact data. */
    private static <T> String keyOf(TableSchema<T> schema, T item) {
        String attribute = schema.tableMetadata().primaryPartitionKey();
        AttributeValue value = schema.attributeValue(item, attribute);
        return attribute + "=" + (value == null ? null : value.s());
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        try (DynamoDbClient db = client(options)) {
            Summary summary = run(db, options.sources(), options.dashboardTable(), options.segments(), options.force());
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("dashboardTable", options.dashboardTable());
            fields.put("members", summary.members());
            fields.put("pointAccounts", summary.pointAccounts());
            fields.put("deals", summary.deals());
            fields.put("applied", summary.applied());
            fields.put("alreadyApplied", summary.alreadyApplied());
            fields.put("failed", summary.failed());
            LOG.info("rebuild", "rebuild finished", fields);
            System.exit(summary.failed() == 0 ? 0 : 1);
        } catch (NotEmptyException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) { // unreachable endpoint, missing table, no credentials: say so, no stack trace
            System.err.println("rebuild failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static DynamoDbClient client(Options options) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (options.region() != null) {
            builder.region(Region.of(options.region()));
        }
        if (options.endpoint() != null) {
            builder.endpointOverride(URI.create(options.endpoint()));
        }
        if (options.endpoint() != null && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            // the local engine accepts any credentials, but the SDK must sign with some
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    /** Command line: flags first, then the environment variables template.yaml gives the projector. */
    record Options(SourceTables sources, String dashboardTable, int segments, boolean force, String region,
                   String endpoint) {
        static final String USAGE = """
                usage: DashboardRebuild [--stage STAGE | --members-table T --points-table T --deals-table T --dashboard-table T]
                                        [--segments N (default 4)] [--force] [--region REGION] [--endpoint URL]
                  table names not given fall back to MEMBERS_TABLE, POINTS_TABLE, DEALS_TABLE, DASHBOARD_TABLE;
                  --stage names them onepoint-STAGE-members|points|deals|dashboard as template.yaml does.""";

        static Options parse(String[] args, Map<String, String> env) {
            Map<String, String> flags = new LinkedHashMap<>();
            boolean force = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--force")) {
                    force = true;
                } else if (arg.startsWith("--") && i + 1 < args.length) {
                    flags.put(arg.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument: " + arg);
                }
            }
            for (String flag : flags.keySet()) {
                if (!List.of("stage", "members-table", "points-table", "deals-table", "dashboard-table", "segments",
                        "region", "endpoint").contains(flag)) {
                    throw new IllegalArgumentException("unknown option --" + flag);
                }
            }
            String stage = flags.get("stage");
            String members = table(flags, env, stage, "members-table", MembersTable.ENV, "members");
            String points = table(flags, env, stage, "points-table", PointsTable.ENV, "points");
            String deals = table(flags, env, stage, "deals-table", DealsTable.ENV, "deals");
            String dashboard = table(flags, env, stage, "dashboard-table", DashboardTable.ENV, "dashboard");
            int segments;
            try {
                segments = Integer.parseInt(flags.getOrDefault("segments", String.valueOf(DEFAULT_SEGMENTS)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--segments must be a whole number");
            }
            if (segments < 1 || segments > 64) {
                throw new IllegalArgumentException("--segments must be between 1 and 64");
            }
            return new Options(new SourceTables(members, points, deals), dashboard, segments, force,
                    flags.getOrDefault("region", null), flags.getOrDefault("endpoint", env.get("DYNAMODB_ENDPOINT")));
        }

        private static String table(Map<String, String> flags, Map<String, String> env, String stage, String flag,
                                    String envName, String suffix) {
            String name = flags.get(flag);
            if (name == null && stage != null) {
                name = "onepoint-" + stage + "-" + suffix;
            }
            if (name == null) {
                name = env.get(envName);
            }
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("no table name for --" + flag + " (nor --stage, nor " + envName + ")");
            }
            return name;
        }
    }
}
