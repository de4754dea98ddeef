package com.onepoint.local;

import com.onepoint.devkit.ResourceRefs;
import com.onepoint.devkit.SamTemplate;

import java.util.Locale;

/**
 * {@code !Ref}/{@code !GetAtt} of what the runtime itself runs: functions (name, Arn) and the REST API (id).
 * An EventBridge rule or a queue policy can then name a function exactly as it would in AWS.
 */
final class ServerlessRefs implements ResourceRefs {
    private final SamTemplate template;
    private final ResourceRefs all;

    /** @param all every local ref (this one included), to resolve a FunctionName written with !Sub */
    ServerlessRefs(SamTemplate template, ResourceRefs all) {
        this.template = template;
        this.all = all;
    }

    static String apiId(String logicalId) {
        return "local" + logicalId.toLowerCase(Locale.ROOT);
    }

    @Override
    public String ref(String logicalId) {
        SamTemplate.Resource r = template.resources().get(logicalId);
        if (r == null) {
            return null;
        }
        return switch (r.type()) {
            case TemplateCheck.FUNCTION -> FunctionSpec.functionName(template, r, all);
            case TemplateCheck.API -> apiId(logicalId);
            default -> null;
        };
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        SamTemplate.Resource r = template.resources().get(logicalId);
        if (r == null) {
            return null;
        }
        if (r.type().equals(TemplateCheck.FUNCTION) && attribute.equals("Arn")) {
            return "arn:aws:lambda:" + SamTemplate.REGION + ":" + SamTemplate.ACCOUNT_ID + ":function:"
                    + FunctionSpec.functionName(template, r, all);
        }
        if (r.type().equals(TemplateCheck.API) && attribute.equals("RootResourceId")) {
            return "root";
        }
        return null;
    }
}
