package dev.weft.lockorder;

import dev.weft.lockorder.internal.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds actual deadlocks among threads blocked on checked locks, platform and virtual alike
 * ({@code ThreadMXBean.findDeadlockedThreads} sees only platform threads and JVM monitors).
 *
 * {@snippet :
 * try (DeadlockDetector detector = DeadlockDetector.create().startWatchdog(Duration.ofSeconds(10))) {
 *   runServer();   // a deadlock is logged (SLF4J, error) and counted
 * }
 * }
 *
 * <p>It sees the locks of every checker in the JVM whose policy is not OFF. A thread counts as
 * blocked from the moment its acquisition finds the lock taken. A cycle is confirmed by a second
 * look before it is reported, so a lock released while the detector runs is not reported.
 *
 * <p>Thread-safe. {@link #close()} stops the watchdog.
 */
public final class DeadlockDetector implements AutoCloseable {
  private static final String PERIOD_FIX =
      "pass how often to look for deadlocks, e.g. Duration.ofSeconds(10)";
  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

  private final AtomicLong found = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  // The watchdog, if started; guarded by lock.
  private ScheduledExecutorService watchdog;
  private boolean closed;
  // Keys of deadlocks already logged by the watchdog; only the watchdog thread uses it.
  private Set<String> logged = new HashSet<>();

  private DeadlockDetector() {}

  /** Returns a detector; it does nothing until asked or until its watchdog is started. */
  public static DeadlockDetector create() {
    return new DeadlockDetector();
  }

  /**
   * Returns the deadlocks that exist now, each once; empty if none. Any thread; does not block on
   * any lock and does not change what it inspects.
   */
  public List<DeadlockReport> findDeadlocks() {
    List<DeadlockReport> reports = new ArrayList<>();
    for (List<Waits.Hop> cycle : Waits.findCycles()) {
      reports.add(Reports.report(cycle, null));
    }
    return reports;
  }

  /**
   * Starts a daemon thread that looks for deadlocks every {@code period}, logs each new one once
   * (SLF4J, error level, full report) and counts it in {@link #deadlocksFound()}.
   *
   * @return this detector (for chaining)
   * @throws IllegalArgumentException if {@code period} is not positive
   * @throws IllegalStateException if the watchdog is already running or the detector is closed
   */
  public DeadlockDetector startWatchdog(Duration period) {
    Objects.requireNonNull(period, "watchdog period must not be null: " + PERIOD_FIX);
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("watchdog period must be positive, got " + period + ": "
          + PERIOD_FIX);
    }
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("deadlock detector is closed: create a new one");
      }
      if (watchdog != null) {
        throw new IllegalStateException("watchdog already running: start it once per detector, "
            + "or create another DeadlockDetector");
      }
      watchdog =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("weft-deadlock-watchdog").factory());
      // saturated: toNanos() overflows beyond 292 years (the executor copes with Long.MAX_VALUE)
      long nanos = period.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : period.toNanos();
      watchdog.scheduleWithFixedDelay(this::scan, nanos, nanos, TimeUnit.NANOSECONDS);
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** How many distinct deadlocks the watchdog has found so far. */
  public long deadlocksFound() {
    return found.get();
  }

  /** Stops the watchdog, if any. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (watchdog != null) {
        watchdog.shutdownNow();
      }
    } finally {
      lock.unlock();
    }
  }

  // Runs on the watchdog thread only.
  private void scan() {
    try {
      Set<String> now = new HashSet<>();
      for (List<Waits.Hop> cycle : Waits.findCycles()) {
        String key = Waits.key(cycle);
        now.add(key);
        if (!logged.contains(key)) {
          found.incrementAndGet();
          DeadlockReport report = Reports.report(cycle, null);
          Reports.Log.LOG.error("{}", report);
        }
      }
      logged = now;
    } catch (RuntimeException e) {
      Reports.Log.LOG.warn("deadlock watchdog scan failed", e);
    }
  }
}
