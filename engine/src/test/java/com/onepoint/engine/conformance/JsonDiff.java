package com.onepoint.engine.conformance;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** The differences between two normalised response views, each at a JSON-pointer-like path. */
final class JsonDiff {

    /** Kinds of difference: a known difference may be limited to one. */
    static final String STATUS = "status";
    static final String ONLY_MOTO = "only-moto";
    static final String ONLY_ENGINE = "only-engine";
    static final String LENGTH = "length";
    static final String VALUE = "value";

    /**
     * One difference, of a {@code kind} above. {@code path} is a JSON pointer into the view ("/Item/a/N", "/CancellationReasons/1/Code"), or
     * "$status" when the HTTP statuses differ (then nothing else is compared).
     */
    record Difference(String path, String kind, String what, JsonNode moto, JsonNode engine) {
        @Override
        public String toString() {
            return path + ": " + what + " (moto " + show(moto) + ", engine " + show(engine) + ")";
        }

        private static String show(JsonNode n) {
            if (n == null) {
                return "absent";
            }
            String s = n.toString();
            return s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
        }
    }

    private JsonDiff() {
    }

    static List<Difference> diff(JsonNode moto, JsonNode engine) {
        List<Difference> out = new ArrayList<>();
        JsonNode ms = moto.get("$status");
        JsonNode es = engine.get("$status");
        if (!ms.equals(es)) {
            out.add(new Difference("$status", STATUS, "HTTP status differs", ms, es));
            return out;
        }
        walk("", moto, engine, out);
        return out;
    }

    private static void walk(String path, JsonNode m, JsonNode e, List<Difference> out) {
        if (m.isObject() && e.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            m.fieldNames().forEachRemaining(names::add);
            e.fieldNames().forEachRemaining(names::add);
            for (String k : names) {
                String p = path + "/" + escape(k);
                JsonNode mv = m.get(k);
                JsonNode ev = e.get(k);
                if (mv == null) {
                    out.add(new Difference(p, ONLY_ENGINE, "only the engine has it", null, ev));
                } else if (ev == null) {
                    out.add(new Difference(p, ONLY_MOTO, "only moto has it", mv, null));
                } else {
                    walk(p, mv, ev, out);
                }
            }
            return;
        }
        if (m.isArray() && e.isArray()) {
            if (m.size() != e.size()) {
                out.add(new Difference(path, LENGTH, "list length " + m.size() + " vs " + e.size(), m, e));
                return;
            }
            Iterator<JsonNode> mi = m.elements();
            Iterator<JsonNode> ei = e.elements();
            for (int i = 0; mi.hasNext(); i++) {
                walk(path + "/" + i, mi.next(), ei.next(), out);
            }
            return;
        }
        if (m.isNumber() && e.isNumber()) {
            if (m.decimalValue().compareTo(e.decimalValue()) != 0) {
                out.add(new Difference(path.isEmpty() ? "/" : path, VALUE, "value differs", m, e));
            }
            return;
        }
        if (!m.equals(e)) {
            out.add(new Difference(path.isEmpty() ? "/" : path, VALUE, "value differs", m, e));
        }
    }

    static String escape(String k) {
        return k.replace("~", "~0").replace("/", "~1");
    }
}
