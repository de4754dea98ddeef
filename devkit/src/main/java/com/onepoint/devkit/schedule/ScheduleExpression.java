package com.onepoint.devkit.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge / EventBridge Scheduler schedule expression: {@code rate(N unit)}, {@code cron(6 fields)} or
 * (Scheduler only) {@code at(yyyy-mm-ddThh:mm:ss)}, evaluated in a time zone (UTC for EventBridge rules).
 */
public sealed interface ScheduleExpression permits ScheduleExpression.Rate, ScheduleExpression.At, CronExpression {
    Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
    Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");

    /** The first fire instant strictly after {@code after}, or empty when the schedule never fires again. */
    Optional<Instant> next(Instant after);

    String text();

    /**
     * Parses an expression. A rate counts from {@code anchor} (when the schedule was created: here, runtime start).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static ScheduleExpression parse(String text, ZoneId zone, Instant anchor) {
        String trimmed = text == null ? "" : text.trim();
        Matcher rate = RATE.matcher(trimmed);
        if (rate.matches()) {
            return Rate.of(trimmed, Long.parseLong(rate.group(1)), rate.group(2), anchor);
        }
        Matcher cron = CRON.matcher(trimmed);
        if (cron.matches()) {
            return CronExpression.parse(trimmed, cron.group(1), zone);
        }
        Matcher at = AT.matcher(trimmed);
        if (at.matches()) {
            try {
                return new At(trimmed, ZonedDateTime.ofLocal(LocalDateTime.parse(at.group(1)), zone, null).toInstant());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("invalid date in " + trimmed);
            }
        }
        throw new IllegalArgumentException("not a schedule expression (rate(...), cron(...) or at(...)): " + text);
    }

    /** {@code rate(5 minutes)}: every period from the anchor on. */
    record Rate(String text, Duration period, Instant anchor) implements ScheduleExpression {
        static Rate of(String text, long value, String unit, Instant anchor) {
            if (value < 1) {
                throw new IllegalArgumentException("the rate must be a positive number: " + text);
            }
            boolean singular = !unit.endsWith("s");
            if (singular != (value == 1)) {
                // AWS rejects "rate(1 minutes)" and "rate(5 minute)"
                throw new IllegalArgumentException("use 'minute'/'hour'/'day' for 1 and the plural otherwise: " + text);
            }
            Duration unitLength = switch (unit.replaceAll("s$", "")) {
                case "minute" -> Duration.ofMinutes(1);
                case "hour" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            return new Rate(text, unitLength.multipliedBy(value), anchor);
        }

        @Override
        public Optional<Instant> next(Instant after) {
            if (after.isBefore(anchor)) {
                return Optional.of(anchor.plus(period));
            }
            long periods = Duration.between(anchor, after).dividedBy(period) + 1;
            return Optional.of(anchor.plus(period.multipliedBy(periods)));
        }
    }

    /** {@code at(2030-01-01T09:00:00)}: once. */
    record At(String text, Instant at) implements ScheduleExpression {
        @Override
        public Optional<Instant> next(Instant after) {
            return at.isAfter(after) ? Optional.of(at) : Optional.empty();
        }
    }
}
