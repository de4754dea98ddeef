package com.onepoint.local;

import com.onepoint.devkit.SamTemplate;
import org.crac.Core;
import org.crac.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    /**
     * Runs the hooks, the functions side by side (one thread per core): each primes only itself, and startup waits
     * for the slowest rather than for the sum.
     */
    static Result run(SamTemplate template, LocalFunctions functions) {
        long started = System.nanoTime();
        List<String> primed = new ArrayList<>();
        List<String> withoutHooks = new ArrayList<>();
        Map<String, Resource> hooks = new LinkedHashMap<>();
        for (SamTemplate.Resource fn : template.resourcesOfType(TemplateCheck.FUNCTION)) {
            if (!TemplateCheck.snapStart(template, fn)) {
                continue;
            }
            if (functions.get(fn.logicalId()).handler() instanceof Resource resource) {
                hooks.put(fn.logicalId(), resource);
            } else {
                withoutHooks.add(fn.logicalId());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(hooks.size(),
                Runtime.getRuntime().availableProcessors())), runnable -> {
                    Thread thread = new Thread(runnable, "snapstart-hooks");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            Map<String, Future<?>> running = new LinkedHashMap<>();
            hooks.forEach((id, resource) -> running.put(id, pool.submit(() -> {
                resource.beforeCheckpoint(Core.getGlobalContext());
                resource.afterRestore(Core.getGlobalContext());
                return null;
            })));
            for (Map.Entry<String, Future<?>> r : running.entrySet()) {
                try {
                    r.getValue().get();
                } catch (ExecutionException e) {
                    // in AWS a failing hook fails the version's publication; here it stops startup, naming the function
                    throw new IllegalStateException(r.getKey() + ": its SnapStart hooks failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while running SnapStart hooks", e);
                }
                primed.add(r.getKey());
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(List.copyOf(primed), List.copyOf(withoutHooks), (System.nanoTime() - started) / 1_000_000);
    }
}
