package com.onepoint.local;

import com.onepoint.devkit.SamTemplate;
import com.onepoint.devkit.UnsupportedTemplateException;
import com.onepoint.shared.domain.ApiKeys;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parameter Store, locally: the values {@code {{resolve:ssm:NAME}}} dynamic references resolve to. CloudFormation
 * resolves them at deploy time; here they come from this map. It is seeded with the admin key's SHA-256 under
 * {@code /onepoint/<Stage>/admin-api-key-sha256} (SPEC §3: the local runtime seeds an admin key, local-admin-key
 * unless told otherwise). A reference without a local value stops startup, naming the function and variable.
 */
final class LocalParameters {
    static final String DEFAULT_ADMIN_KEY = "local-admin-key";
    private static final Pattern SSM = Pattern.compile("\\{\\{resolve:ssm:([^}:]+)(?::\\d+)?}}");

    private final Map<String, String> values;

    private LocalParameters(Map<String, String> values) {
        this.values = values;
    }

    static LocalParameters seeded(SamTemplate template, String adminKey) {
        String stage = template.parameter("Stage");
        return new LocalParameters(Map.of("/onepoint/" + stage + "/admin-api-key-sha256", ApiKeys.sha256Hex(adminKey)));
    }

    String resolve(String value, String where) {
        Matcher m = SSM.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = values.get(m.group(1));
            if (resolved == null) {
                throw new UnsupportedTemplateException(where, "SSM parameter " + m.group(1)
                        + " has no local value (known: " + values.keySet() + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }
}
