package com.onepoint.devkit.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The six-field AWS cron: {@code minutes hours day-of-month month day-of-week year}, with {@code , - * /} in every
 * field, {@code ?} in exactly one of day-of-month and day-of-week, {@code L} and {@code W} in day-of-month
 * ({@code L}, {@code 15W}, {@code LW}), {@code L} and {@code #} in day-of-week ({@code L} = Saturday, {@code 6L} =
 * last Friday, {@code 2#1} = first Monday; 1 = SUN .. 7 = SAT), month and weekday names, years 1970-2199.
 * Evaluated in a time zone; a local time that a DST change skips fires at the shifted instant.
 */
public final class CronExpression implements ScheduleExpression {
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    private static final int LAST_YEAR = 2199;

    private final String text;
    private final ZoneId zone;
    private final int[] minutes;
    private final int[] hours;
    private final BitSet months = new BitSet();
    private final BitSet years = new BitSet();
    private final boolean anyDayOfMonth; // day-of-month is '?': days are chosen by day-of-week
    private final BitSet daysOfMonth = new BitSet();
    private boolean lastDayOfMonth;
    private boolean lastWeekdayOfMonth;
    private final List<Integer> nearestWeekdays = new ArrayList<>();
    private final BitSet daysOfWeek = new BitSet(); // 1 = SUN .. 7 = SAT
    private final BitSet lastDaysOfWeek = new BitSet(); // 6L: last Friday of the month
    private final List<int[]> nthDaysOfWeek = new ArrayList<>(); // {day, n}: 2#1 = first Monday

    private CronExpression(String text, String[] f, ZoneId zone) {
        this.text = text;
        this.zone = zone;
        this.minutes = toArray(range(f[0], 0, 59, null, "minutes"));
        this.hours = toArray(range(f[1], 0, 23, null, "hours"));
        this.months.or(range(f[3], 1, 12, MONTHS, "month"));
        this.years.or(range(f[5], 1970, LAST_YEAR, null, "year"));
        boolean domAny = f[2].equals("?");
        boolean dowAny = f[4].equals("?");
        if (domAny == dowAny) {
            throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be '?': " + text);
        }
        this.anyDayOfMonth = domAny;
        if (!domAny) {
            parseDaysOfMonth(f[2]);
        } else {
            parseDaysOfWeek(f[4]);
        }
    }

    static CronExpression parse(String text, String fields, ZoneId zone) {
        String[] f = fields.trim().toUpperCase(Locale.ROOT).split("\\s+");
        if (f.length != 6) {
            throw new IllegalArgumentException("cron needs 6 fields (minutes hours day-of-month month day-of-week year): " + text);
        }
        return new CronExpression(text, f, zone);
    }

    /** Parses {@code cron(...)} text in a zone; for tests and tools. */
    public static CronExpression of(String text, ZoneId zone) {
        ScheduleExpression e = ScheduleExpression.parse(text, zone, Instant.EPOCH);
        if (!(e instanceof CronExpression c)) {
            throw new IllegalArgumentException("not a cron expression: " + text);
        }
        return c;
    }

    @Override
    public String text() {
        return text;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public Optional<Instant> next(Instant after) {
        LocalDateTime from = LocalDateTime.ofInstant(after, zone);
        LocalDate day = from.toLocalDate();
        while (day.getYear() <= LAST_YEAR) {
            if (!years.get(day.getYear())) {
                day = LocalDate.of(day.getYear() + 1, 1, 1);
                continue;
            }
            if (!months.get(day.getMonthValue())) {
                day = day.withDayOfMonth(1).plusMonths(1);
                continue;
            }
            if (matchesDay(day)) {
                for (int h : hours) {
                    for (int m : minutes) {
                        // a time the clocks skip (DST) resolves to the shifted instant, as ZonedDateTime.ofLocal does
                        Instant candidate = ZonedDateTime.ofLocal(day.atTime(h, m), zone, null).toInstant();
                        if (candidate.isAfter(after)) {
                            return Optional.of(candidate);
                        }
                    }
                }
            }
            day = day.plusDays(1);
        }
        return Optional.empty();
    }

    private boolean matchesDay(LocalDate day) {
        YearMonth month = YearMonth.from(day);
        int d = day.getDayOfMonth();
        if (!anyDayOfMonth) {
            return daysOfMonth.get(d)
                    || (lastDayOfMonth && d == month.lengthOfMonth())
                    || (lastWeekdayOfMonth && d == lastWeekday(month))
                    || nearestWeekdays.stream().anyMatch(n -> nearestWeekday(month, n) == d);
        }
        int dow = awsDayOfWeek(day.getDayOfWeek());
        if (daysOfWeek.get(dow)) {
            return true;
        }
        if (lastDaysOfWeek.get(dow) && day.plusDays(7).getMonth() != day.getMonth()) {
            return true;
        }
        for (int[] nth : nthDaysOfWeek) {
            if (nth[0] == dow && (d - 1) / 7 + 1 == nth[1]) {
                return true;
            }
        }
        return false;
    }

    /** 1 = Sunday .. 7 = Saturday, as AWS cron counts. */
    static int awsDayOfWeek(DayOfWeek dow) {
        return dow.getValue() % 7 + 1;
    }

    private static int lastWeekday(YearMonth month) {
        LocalDate last = month.atEndOfMonth();
        while (last.getDayOfWeek() == DayOfWeek.SATURDAY || last.getDayOfWeek() == DayOfWeek.SUNDAY) {
            last = last.minusDays(1);
        }
        return last.getDayOfMonth();
    }

    /** The weekday nearest to day n of the month, never leaving the month; -1 when the month is shorter than n. */
    private static int nearestWeekday(YearMonth month, int n) {
        if (n > month.lengthOfMonth()) {
            return -1;
        }
        DayOfWeek dow = month.atDay(n).getDayOfWeek();
        if (dow == DayOfWeek.SATURDAY) {
            return n == 1 ? 3 : n - 1;
        }
        if (dow == DayOfWeek.SUNDAY) {
            return n == month.lengthOfMonth() ? n - 2 : n + 1;
        }
        return n;
    }

    private void parseDaysOfMonth(String field) {
        for (String part : field.split(",")) {
            if (part.equals("L")) {
                lastDayOfMonth = true;
            } else if (part.equals("LW")) {
                lastWeekdayOfMonth = true;
            } else if (part.endsWith("W")) {
                int n = number(part.substring(0, part.length() - 1), null, "day-of-month");
                check(n, 1, 31, "day-of-month");
                nearestWeekdays.add(n);
            } else {
                daysOfMonth.or(range(part, 1, 31, null, "day-of-month"));
            }
        }
    }

    private void parseDaysOfWeek(String field) {
        for (String part : field.split(",")) {
            if (part.equals("L")) {
                daysOfWeek.set(7); // on its own, L is the last day of the week
            } else if (part.endsWith("L")) {
                int day = number(part.substring(0, part.length() - 1), DAYS, "day-of-week");
                check(day, 1, 7, "day-of-week");
                lastDaysOfWeek.set(day);
            } else if (part.contains("#")) {
                String[] p = part.split("#", 2);
                int day = number(p[0], DAYS, "day-of-week");
                int n = number(p[1], null, "day-of-week");
                check(day, 1, 7, "day-of-week");
                check(n, 1, 5, "day-of-week #");
                nthDaysOfWeek.add(new int[]{day, n});
            } else {
                daysOfWeek.or(range(part, 1, 7, DAYS, "day-of-week"));
            }
        }
    }

    /** A comma list of {@code *}, {@code n}, {@code a-b}, each optionally {@code /step}. */
    private BitSet range(String field, int min, int max, String[] names, String what) {
        BitSet out = new BitSet();
        for (String part : field.split(",")) {
            String[] stepped = part.split("/", -1);
            if (stepped.length > 2) {
                throw new IllegalArgumentException("bad " + what + " '" + part + "' in " + text);
            }
            int step = stepped.length == 2 ? number(stepped[1], null, what) : 1;
            if (step < 1) {
                throw new IllegalArgumentException("bad step in " + what + " '" + part + "' in " + text);
            }
            String base = stepped[0];
            int from;
            int to;
            if (base.equals("*")) {
                from = min;
                to = max;
            } else if (base.contains("-")) {
                String[] ab = base.split("-", 2);
                from = number(ab[0], names, what);
                to = number(ab[1], names, what);
            } else {
                from = number(base, names, what);
                to = stepped.length == 2 ? max : from; // "5/10" means from 5 every 10
            }
            check(from, min, max, what);
            check(to, min, max, what);
            if (from > to) {
                throw new IllegalArgumentException("range " + base + " runs backwards in " + what + " of " + text);
            }
            for (int v = from; v <= to; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    private int number(String token, String[] names, String what) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(token)) {
                    return i + 1;
                }
            }
        }
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + what + " '" + token + "' in " + text);
        }
    }

    private void check(int v, int min, int max, String what) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " is outside " + min + "-" + max + " in " + text);
        }
    }

    private static int[] toArray(BitSet bits) {
        return bits.stream().toArray();
    }

    @Override
    public String toString() {
        return text + " " + zone;
    }
}
