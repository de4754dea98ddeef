package com.onepoint.point;

import com.onepoint.shared.aws.AwsClients;
import com.onepoint.shared.domain.PointAccount;
import com.onepoint.shared.http.ApiException;
import com.onepoint.shared.table.PointsTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

/** Point accounts by member, read consistently: a POS shows this balance before a use. */
final class Accounts {
    private final DynamoDbTable<PointAccount> table;

    Accounts(DynamoDbClient db, String pointsTable) {
        this.table = AwsClients.enhanced(db).table(pointsTable, PointsTable.SCHEMA);
    }

    PointAccount get(String memberId) {
        PointAccount account = table.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(memberId).build()).consistentRead(true).build());
        if (account == null) {
            throw new ApiException(404, "MEMBER_NOT_FOUND", "member " + memberId + " has no point account",
                    Map.of("memberId", memberId));
        }
        return account;
    }
}
