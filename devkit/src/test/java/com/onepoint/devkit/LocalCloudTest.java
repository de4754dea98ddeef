package com.onepoint.devkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@ExtendWith(SharedCloud.class)
class LocalCloudTest {
    @Test
    void resolvesTablesQueuesBusesRulesAndFunctions() {
        LocalCloud cloud = SharedCloud.cloud();
        assertEquals("onepoint-test-deals", cloud.ref("DealsTable"));
        assertEquals(cloud.dynamo().streamArn("DealsTable"), cloud.getAtt("DealsTable", "StreamArn"));
        assertEquals(cloud.sqs().urlOf("RestoreQueue"), cloud.ref("RestoreQueue"));
        assertEquals("arn:aws:sqs:ap-northeast-2:000000000000:onepoint-test-restore", cloud.getAtt("RestoreQueue", "Arn"));
        assertEquals("onepoint-test", cloud.ref("OnePointBus"));
        assertEquals("onepoint-test-notify", cloud.ref("NotifyFunction"));
        assertEquals("arn:aws:lambda:ap-northeast-2:000000000000:function:onepoint-test-notify", cloud.getAtt("NotifyFunction", "Arn"));
        assertEquals("onepoint-test-AuditFunction", cloud.ref("AuditFunction"));
        assertNull(cloud.ref("Nothing"));
        Map<String, String> env = cloud.functionEnvironment("SettlementFunction");
        assertEquals(cloud.sqs().urlOf("RestoreQueue"), env.get("RESTORE_QUEUE_URL"));
        assertEquals("onepoint-test", env.get("BUS_NAME"));
    }
}
