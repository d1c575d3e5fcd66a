package dev.weft.scope;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The shared timer for deadlines and task timeouts: one daemon platform thread, created on first
 * use. Its actions are short (a CAS, an interrupt, a fallback), so one thread serves every scope.
 */
final class Timer {
  private Timer() {}

  private static final class Holder {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor e =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = Thread.ofPlatform().daemon().name("weft-timer").unstarted(r);
                return t;
              });
      e.setRemoveOnCancelPolicy(true); // cancelled timeouts do not pile up in the queue
      return e;
    }
  }

  static ScheduledFuture<?> schedule(Runnable action, Duration delay) {
    return scheduleNanos(action, saturatedNanos(delay));
  }

  /** Nanoseconds of {@code d}, capped at about 73 years either way so that sums cannot overflow. */
  static long saturatedNanos(Duration d) {
    long cap = Long.MAX_VALUE / 4;
    if (d.compareTo(Duration.ofNanos(cap)) > 0) {
      return cap;
    }
    return d.compareTo(Duration.ofNanos(-cap)) < 0 ? -cap : d.toNanos();
  }

  static ScheduledFuture<?> scheduleNanos(Runnable action, long delayNanos) {
    return Holder.EXECUTOR.schedule(action, delayNanos, TimeUnit.NANOSECONDS);
  }
}
