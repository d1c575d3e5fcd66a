package dev.weft.lockorder;

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
import org.jspecify.annotations.Nullable;

/**
 * Finds actual deadlocks among threads blocked on checked locks, platform and virtual alike ({@code
 * ThreadMXBean.findDeadlockedThreads} sees only platform threads and JVM monitors).
 *
 * {@snippet class=dev.weft.samples.ApiSnippets region=deadlock-watchdog lang=java}
 *
 * <p>It sees the locks of every checker in the JVM whose policy is not OFF. A thread counts as
 * blocked from the moment its acquisition finds the lock taken. A cycle is confirmed by a second
 * look before it is reported, so a lock released while the detector runs is not reported.
 *
 * <p>Besides wait cycles it reports each thread that waits for an exclusive or write lock whose
 * owner has terminated without unlocking it ("lock 'x' is held by thread 'y', which has terminated
 * without unlocking it"): only the owner can release such a lock, so the wait never ends. Read
 * locks held by terminated threads are not seen, as readers are not tracked.
 *
 * <p>Thread-safe. {@link #close()} stops the watchdog.
 */
public final class DeadlockDetector implements AutoCloseable {
  private static final String PERIOD_FIX =
      "pass how often to look for deadlocks, e.g. Duration.ofSeconds(10)";

  private final AtomicLong found = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  // The watchdog, if started; guarded by lock.
  private @Nullable ScheduledExecutorService watchdog;
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
    for (Waits.Hop abandoned : Waits.findAbandoned()) {
      reports.add(Reports.abandonedReport(abandoned));
    }
    return reports;
  }

  /**
   * Starts a daemon thread that looks for deadlocks every {@code period}, logs each new one once
   * (SLF4J, error level, full report), counts it in {@link #deadlocksFound()} and passes it to the
   * report listeners ({@link LockOrderChecker#addReportListener}) as a {@link DeadlockException}
   * that is not thrown. A period longer than {@code Long.MAX_VALUE} nanoseconds (about 292 years)
   * is taken as that long. If this method throws, no watchdog was started and a later call may try
   * again.
   *
   * @return this detector (for chaining)
   * @throws IllegalArgumentException if {@code period} is not positive
   * @throws IllegalStateException if the watchdog is already running or the detector is closed
   */
  public DeadlockDetector startWatchdog(Duration period) {
    Objects.requireNonNull(period, "watchdog period must not be null: " + PERIOD_FIX);
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          "watchdog period must be positive, got " + period + ": " + PERIOD_FIX);
    }
    long nanos = TimeUnit.NANOSECONDS.convert(period); // saturates, where toNanos() throws
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("deadlock detector is closed: create a new one");
      }
      if (watchdog != null) {
        throw new IllegalStateException(
            "watchdog already running: start it once per detector, "
                + "or create another DeadlockDetector");
      }
      ScheduledExecutorService started =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("weft-deadlock-watchdog").factory());
      try {
        started.scheduleWithFixedDelay(this::scan, nanos, nanos, TimeUnit.NANOSECONDS);
      } catch (RuntimeException | Error e) {
        started.shutdownNow();
        throw e;
      }
      watchdog = started; // only once it runs: a failed start leaves the detector as it was
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
      // Reports are built (thread stacks taken) only for deadlocks not logged before.
      Set<String> now = new HashSet<>();
      for (List<Waits.Hop> cycle : Waits.findCycles()) {
        String key = Waits.key(cycle);
        if (now.add(key) && !logged.contains(key)) {
          log(Reports.report(cycle, null));
        }
      }
      for (Waits.Hop abandoned : Waits.findAbandoned()) {
        String key = Reports.abandonedKey(abandoned);
        if (now.add(key) && !logged.contains(key)) {
          log(Reports.abandonedReport(abandoned));
        }
      }
      logged = now;
    } catch (RuntimeException e) {
      Reports.Log.LOG.warn("deadlock watchdog scan failed", e);
    }
  }

  private void log(DeadlockReport report) {
    found.incrementAndGet();
    Reports.watchdogFound(report);
    Reports.Log.LOG.error("{}", report);
  }
}
