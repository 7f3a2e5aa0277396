package dev.jstomp.bench.e2e;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts messages arriving at a consumer, whichever client delivered them, and tells when the count
 * reaches a target, with the time it did. The same cost (one atomic increment) for every client.
 */
public final class Inbox {

    private final AtomicLong count = new AtomicLong();
    private volatile long target = Long.MAX_VALUE;
    private volatile CountDownLatch reached = new CountDownLatch(1);
    private volatile long reachedAt;

    /** Called by a client's consumer for every MESSAGE, on whatever thread the client delivers. */
    public void hit() {
        long n = count.incrementAndGet();
        if (n == target) {
            reachedAt = System.nanoTime();
            reached.countDown();
        }
    }

    public long count() {
        return count.get();
    }

    /** Arms the inbox: {@link #await} returns once the total count reaches {@code total}. */
    public void expect(long total) {
        reached = new CountDownLatch(1);
        target = total;
        if (count.get() >= total) {
            reachedAt = System.nanoTime();
            reached.countDown();
        }
    }

    /** @return the nanoTime at which the target was reached, or -1 on time-out */
    public long await(long timeout, TimeUnit unit) throws InterruptedException {
        return reached.await(timeout, unit) ? reachedAt : -1;
    }
}
