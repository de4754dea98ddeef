package com.onepoint.billing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.aws.Env;
import com.onepoint.shared.log.JsonLog;
import com.onepoint.shared.table.BillingTable;
import com.onepoint.shared.table.MerchantsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * MonthlySettlementFunction: on the 1st of every month (EventBridge Scheduler, business time zone) settles every
 * merchant that has a billing item for the PREVIOUS month, relative to the time the run was scheduled for (see
 * {@link #scheduledTime}), so a retry hours later still settles the same month. Idempotent: a rerun settles only what is
 * left and answers the rest from the table. Reads grow with merchants (one index entry, one merchant read and one
 * billing read each), never with deals.
 *
 * <p>If any merchant fails the run throws after trying all of them, so the scheduler retries it; the retry only does
 * what is left. Merchants are settled {@value #DEFAULT_PARALLELISM} at a time (env SETTLEMENT_PARALLELISM).
 */
public class MonthlySettlement implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    static final int DEFAULT_PARALLELISM = 8;
    static final String SCHEDULED_TIME = "scheduledTime";
    private static final int MAX_LOGGED_FAILURES = 20;
    private static final JsonLog LOG = JsonLog.of(MonthlySettlement.class);

    private final BillingService billing;
    private final Clock clock;
    private final ZoneId zone;
    private final ExecutorService pool;

    public MonthlySettlement() {
        this(Env.system(), AwsClients.dynamoDb(Env.system()), Clock.systemUTC());
    }

    public MonthlySettlement(Env env, DynamoDbClient dynamoDb, Clock clock) {
        this.zone = BillingMonths.zone(env);
        this.clock = clock;
        this.billing = new BillingService(dynamoDb,
                new BillingService.Tables(env.require(BillingTable.ENV), env.require(MerchantsTable.ENV)), clock, zone);
        int parallelism = Integer.parseInt(env.get("SETTLEMENT_PARALLELISM", String.valueOf(DEFAULT_PARALLELISM)));
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "monthly-settlement");
            t.setDaemon(true);
            return t;
        });
    }

    /** The month before the one containing {@code at}, in the business zone: 2026-08-01T00:30+09:00 → 202607. */
    static String monthToSettle(Instant at, ZoneId zone) {
        return BillingMonths.previous(BillingMonths.of(at, zone));
    }

    /**
     * When the run was due: {@code detail.scheduledTime} (the template's Input passes EventBridge Scheduler's
     * {@code <aws.scheduler.scheduled-time>} there, so a retry hours later still names the same month), else the
     * envelope's {@code time}, else now. A value that is not an instant (e.g. an unsubstituted placeholder) is skipped.
     */
    Instant scheduledTime(ScheduledEvent event) {
        if (event != null && event.getDetail() != null && event.getDetail().get(SCHEDULED_TIME) instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                // fall through to the envelope
            }
        }
        if (event != null && event.getTime() != null) {
            return Instant.ofEpochMilli(event.getTime().getMillis());
        }
        return clock.instant();
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        long started = System.nanoTime();
        String requestId = context == null ? "local" : context.getAwsRequestId();
        String month = monthToSettle(scheduledTime(event), zone);

        List<String> merchants = billing.merchantsToSettle(month);
        List<Future<BillingService.SettleResult>> results = new ArrayList<>();
        for (String merchantId : merchants) {
            results.add(pool.submit(() -> billing.settle(merchantId, month)));
        }
        int settled = 0;
        int alreadySettled = 0;
        List<String> failed = new ArrayList<>();
        String firstError = null;
        for (int i = 0; i < results.size(); i++) {
            try {
                if (results.get(i).get().created()) {
                    settled++;
                } else {
                    alreadySettled++;
                }
            } catch (ExecutionException e) {
                failed.add(merchants.get(i));
                if (firstError == null) {
                    firstError = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while settling " + month, e);
            }
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("billingMonth", month);
        summary.put("merchants", merchants.size());
        summary.put("settled", settled);
        summary.put("alreadySettled", alreadySettled);
        summary.put("failed", failed.size());
        summary.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        if (!failed.isEmpty()) {
            summary.put("failedMerchants", failed.subList(0, Math.min(failed.size(), MAX_LOGGED_FAILURES)));
            summary.put("error", firstError);
            LOG.error(requestId, "monthly settlement", summary);
            throw new IllegalStateException(failed.size() + " of " + merchants.size() + " merchants of " + month
                    + " were not settled (first: " + firstError + "); a retry settles only those");
        }
        LOG.info(requestId, "monthly settlement", summary);
        return summary;
    }
}
