package dev.weft.scope;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Options of a {@link Scope}: deadline, concurrency limit, thread factory and the grace period
 * after which a task that ignores cancellation is logged. Immutable; each {@code withX} method
 * returns a new instance. Given to {@link Scope#open(String, java.util.function.UnaryOperator)} as
 * a function:
 *
 * {@snippet class=dev.weft.samples.Snippets region=limits lang=java}
 */
public final class ScopeConfig {
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
  private static final ScopeConfig DEFAULTS = new ScopeConfig(null, null, 0, null, DEFAULT_GRACE);

  // null: not set (at most one of timeout and deadline is set; no thread factory: virtual threads)
  private final @Nullable Duration timeout;
  private final @Nullable Instant deadline;
  private final int maxConcurrency;
  private final @Nullable ThreadFactory threadFactory;
  private final Duration cancelGracePeriod;

  private ScopeConfig(
      @Nullable Duration timeout,
      @Nullable Instant deadline,
      int maxConcurrency,
      @Nullable ThreadFactory threadFactory,
      Duration cancelGracePeriod) {
    this.timeout = timeout;
    this.deadline = deadline;
    this.maxConcurrency = maxConcurrency;
    this.threadFactory = threadFactory;
    this.cancelGracePeriod = cancelGracePeriod;
  }

  /** Default options: no deadline, no limit, virtual threads, a 5 second grace period. */
  public static ScopeConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Sets the deadline to {@code timeout} after the scope opens. Replaces a deadline set by {@link
   * #withDeadline}. A nested scope's deadline is the earlier of its own and its parent's.
   *
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public ScopeConfig withTimeout(Duration timeout) {
    Objects.requireNonNull(
        timeout, "scope timeout must not be null: omit withTimeout for no deadline");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "scope timeout must be positive, was " + timeout + ": omit withTimeout for no deadline");
    }
    return new ScopeConfig(timeout, null, maxConcurrency, threadFactory, cancelGracePeriod);
  }

  /**
   * Sets the deadline to an instant. Replaces a timeout set by {@link #withTimeout}. A deadline
   * already past when the scope opens cancels its tasks at once.
   */
  public ScopeConfig withDeadline(Instant deadline) {
    Objects.requireNonNull(
        deadline, "scope deadline must not be null: omit withDeadline for no deadline");
    return new ScopeConfig(null, deadline, maxConcurrency, threadFactory, cancelGracePeriod);
  }

  /**
   * Runs at most {@code maxConcurrency} task bodies of this scope at once; the others wait, in fork
   * order, without a thread. Tasks waiting for dependencies hold no slot.
   *
   * @throws IllegalArgumentException if {@code maxConcurrency} is zero or negative
   */
  public ScopeConfig withMaxConcurrency(int maxConcurrency) {
    if (maxConcurrency <= 0) {
      throw new IllegalArgumentException(
          "maxConcurrency must be at least 1, was "
              + maxConcurrency
              + ": omit withMaxConcurrency for no limit");
    }
    return new ScopeConfig(timeout, deadline, maxConcurrency, threadFactory, cancelGracePeriod);
  }

  /**
   * Creates task threads with {@code factory} instead of as virtual threads, for instance platform
   * threads in tests. Weft names each thread {@code scope/task}. The factory must return a new,
   * unstarted thread each time.
   */
  public ScopeConfig withThreadFactory(ThreadFactory factory) {
    Objects.requireNonNull(
        factory, "thread factory must not be null: omit withThreadFactory for virtual threads");
    return new ScopeConfig(timeout, deadline, maxConcurrency, factory, cancelGracePeriod);
  }

  /**
   * How long {@code close()} waits for cancelled tasks before it logs a warning naming those that
   * still run (they ignore interrupts). {@code close()} keeps waiting after the warning.
   *
   * @throws IllegalArgumentException if {@code period} is zero or negative
   */
  public ScopeConfig withCancelGracePeriod(Duration period) {
    Objects.requireNonNull(
        period,
        "cancel grace period must not be null: "
            + "omit withCancelGracePeriod for the default of 5 seconds");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          "cancel grace period must be positive, was "
              + period
              + ": omit withCancelGracePeriod for the default of 5 seconds");
    }
    return new ScopeConfig(timeout, deadline, maxConcurrency, threadFactory, period);
  }

  /** The timeout relative to opening, if set. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The absolute deadline, if set. */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** The concurrency limit, or 0 for none. */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /** The thread factory, if one was set; empty means virtual threads. */
  public Optional<ThreadFactory> threadFactory() {
    return Optional.ofNullable(threadFactory);
  }

  /** The grace period before a warning about tasks that ignore cancellation. */
  public Duration cancelGracePeriod() {
    return cancelGracePeriod;
  }

  @Override
  public String toString() {
    return "ScopeConfig[timeout="
        + timeout
        + ", deadline="
        + deadline
        + ", maxConcurrency="
        + maxConcurrency
        + ", threadFactory="
        + threadFactory
        + ", cancelGracePeriod="
        + cancelGracePeriod
        + "]";
  }
}
