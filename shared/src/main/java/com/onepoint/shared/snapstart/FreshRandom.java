package com.onepoint.shared.snapstart;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * The one source of randomness of the functions: ids, API keys, retry jitter. SnapStart resumes many execution
 * environments from one snapshot, so a generator whose state is in the snapshot would repeat itself in each of them.
 * This one is a {@link SecureRandom} (the OS's entropy, which AWS documents as restore-safe), and every handler's
 * afterRestore hook replaces it with a new one. Never {@code java.util.Random} or {@code ThreadLocalRandom} for
 * anything that must differ between environments: their seeds are taken once and snapshotted with the heap.
 */
public final class FreshRandom {
    private static volatile SecureRandom random = new SecureRandom();

    private FreshRandom() {
    }

    /** After a restore: a generator created in this environment, not the snapshot's. */
    public static void renew() {
        random = new SecureRandom();
    }

    public static void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }

    /** Uniform in [from, to]. */
    public static long between(long from, long to) {
        return from + (long) (random.nextDouble() * (to - from + 1));
    }

    /** A random (version 4) UUID from this generator. */
    public static UUID uuid() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }
}
