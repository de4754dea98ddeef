package com.onepoint.dashboard;

import com.onepoint.shared.aws.Env;
import com.onepoint.shared.table.DealsTable;
import com.onepoint.shared.table.MembersTable;
import com.onepoint.shared.table.PointsTable;

import java.util.Optional;

/** The physical names of the three tables whose streams feed the dashboard. */
public record SourceTables(String members, String points, String deals) {
    private static final String TABLE_MARK = ":table/";
    private static final String STREAM_MARK = "/stream/";

    public static SourceTables from(Env env) {
        return new SourceTables(env.require(MembersTable.ENV), env.require(PointsTable.ENV), env.require(DealsTable.ENV));
    }

    public String name(DashboardProjection.Source source) {
        return switch (source) {
            case MEMBERS -> members;
            case POINTS -> points;
            case DEALS -> deals;
        };
    }

    /**
     * The source a stream record comes from, by its eventSourceARN
     * ({@code arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>}); empty for any other table.
     */
    public Optional<DashboardProjection.Source> sourceOf(String eventSourceArn) {
        if (eventSourceArn == null) {
            return Optional.empty();
        }
        int table = eventSourceArn.indexOf(TABLE_MARK);
        int stream = eventSourceArn.indexOf(STREAM_MARK, table + 1);
        if (table < 0 || stream < 0) {
            return Optional.empty();
        }
        String name = eventSourceArn.substring(table + TABLE_MARK.length(), stream);
        for (DashboardProjection.Source source : DashboardProjection.Source.values()) {
            if (name(source).equals(name)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }
}
