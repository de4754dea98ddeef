package com.onepoint.local;

import com.onepoint.devkit.SamTemplate;
import org.crac.Core;
import org.crac.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * SnapStart, locally: for each function whose template sets {@code SnapStart: ApplyOn: PublishedVersions}, the
 * handler's org.crac hooks run once at startup, beforeCheckpoint (priming, as when Lambda publishes a version and
 * snapshots it) and then afterRestore (as when Lambda resumes the snapshot), before the API takes requests. org.crac
 * 1.5.0 on a JVM without CRaC keeps no registry (Core.getGlobalContext().register does nothing), so the runtime
 * calls the hooks of the handlers it built, which register themselves for AWS.
 */
final class SnapStartHooks {
    /** What ran: the functions primed, those with SnapStart whose handler has no hooks, and the time it took. */
    record Result(List<String> primed, List<String> withoutHooks, long millis) {
        /** For the serve banner, e.g. "8 functions primed in 412 ms (beforeCheckpoint, then afterRestore)". */
        String describe() {
            if (primed.isEmpty() && withoutHooks.isEmpty()) {
                return "no function has SnapStart";
            }
            String text = primed.size() + (primed.size() == 1 ? " function" : " functions") + " primed in " + millis
                    + " ms (beforeCheckpoint, then afterRestore)";
            return withoutHooks.isEmpty() ? text : text + "; no hooks in " + String.join(", ", withoutHooks);
        }
    }

    private SnapStartHooks() {
    }

    static Result run(SamTemplate template, LocalFunctions functions) {
        long started = System.nanoTime();
        List<String> primed = new ArrayList<>();
        List<String> withoutHooks = new ArrayList<>();
        for (SamTemplate.Resource fn : template.resourcesOfType(TemplateCheck.FUNCTION)) {
            if (!TemplateCheck.snapStart(template, fn)) {
                continue;
            }
            if (!(functions.get(fn.logicalId()).handler() instanceof Resource hooks)) {
                withoutHooks.add(fn.logicalId());
                continue;
            }
            try {
                hooks.beforeCheckpoint(Core.getGlobalContext());
                hooks.afterRestore(Core.getGlobalContext());
            } catch (Exception e) {
                // in AWS a failing hook fails the version's publication; here it stops startup, naming the function
                throw new IllegalStateException(fn.logicalId() + ": its SnapStart hooks failed: " + e, e);
            }
            primed.add(fn.logicalId());
        }
        return new Result(List.copyOf(primed), List.copyOf(withoutHooks), (System.nanoTime() - started) / 1_000_000);
    }
}
