package dev.weft.scope;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Options of a {@link Scope}: deadline, concurrency limit, thread factory, the grace period after
 * which a task that ignores cancellation is logged, and an execution trace ({@link #withTrace}).
 * Immutable; each {@code withX} method returns a new instance. Given to {@link Scope#open(String,
 * java.util.function.UnaryOperator)} as a function:
 *
 * {@snippet class=dev.weft.samples.Snippets region=limits lang=java}
 */
public final class ScopeConfig {
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
  private static final ScopeConfig DEFAULTS =
      new ScopeConfig(null, null, 0, null, DEFAULT_GRACE, null);

  // null: not set (at most one of timeout and deadline is set; no thread factory: virtual threads)
  private final @Nullable Duration timeout;
  private final @Nullable Instant deadline;
  private final int maxConcurrency;
  private final @Nullable ThreadFactory threadFactory;
  private final Duration cancelGracePeriod;
  // null: not traced
  private final @Nullable Consumer<? super ScopeTrace> traceSink;

  private ScopeConfig(
      @Nullable Duration timeout,
      @Nullable Instant deadline,
      int maxConcurrency,
      @Nullable ThreadFactory threadFactory,
      Duration cancelGracePeriod,
      @Nullable Consumer<? super ScopeTrace> traceSink) {
    this.timeout = timeout;
    this.deadline = deadline;
    this.maxConcurrency = maxConcurrency;
    this.threadFactory = threadFactory;
    this.cancelGracePeriod = cancelGracePeriod;
    this.traceSink = traceSink;
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
    return new ScopeConfig(
        timeout, null, maxConcurrency, threadFactory, cancelGracePeriod, traceSink);
  }

  /**
   * Sets the deadline to an instant. Replaces a timeout set by {@link #withTimeout}. A deadline
   * already past when the scope opens cancels its tasks at once.
   */
  public ScopeConfig withDeadline(Instant deadline) {
    Objects.requireNonNull(
        deadline, "scope deadline must not be null: omit withDeadline for no deadline");
    return new ScopeConfig(
        null, deadline, maxConcurrency, threadFactory, cancelGracePeriod, traceSink);
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
    return new ScopeConfig(
        timeout, deadline, maxConcurrency, threadFactory, cancelGracePeriod, traceSink);
  }

  /**
   * Creates task threads with {@code factory} instead of as virtual threads, for instance platform
   * threads in tests. Weft names each thread {@code scope/task}. The factory must return a new,
   * unstarted thread each time.
   */
  public ScopeConfig withThreadFactory(ThreadFactory factory) {
    Objects.requireNonNull(
        factory, "thread factory must not be null: omit withThreadFactory for virtual threads");
    return new ScopeConfig(
        timeout, deadline, maxConcurrency, factory, cancelGracePeriod, traceSink);
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
    return new ScopeConfig(timeout, deadline, maxConcurrency, threadFactory, period, traceSink);
  }

  /**
   * Records an execution trace of the scope and hands it to {@code sink} when the scope closes. The
   * trace holds, for the scope and every scope opened inside it (inside its tasks' bodies, or on
   * its owner thread), each task's fork, the end of its wait for dependencies and for a slot of the
   * concurrency limit, the start and end of its body, and its outcome; see {@link ScopeTrace}.
   * Package {@code dev.weft.trace} turns it into a Chrome trace (for Perfetto), a graph or an SVG
   * chart, and finds its critical path.
   *
   * <p>{@code sink} is called once, in the owner thread, as {@code close()} ends: after every
   * thread of the scope and of its nested scopes has terminated and the scope is closed, so the
   * trace is complete and immutable. It is not called if {@code close()} fails with an error of its
   * own before its threads terminated. What {@code sink} throws is thrown by {@code close()} (the
   * scope is closed all the same); if {@code close()} throws for another reason (say, it was called
   * without {@code join()}), the sink's exception is added to that one as suppressed. In a
   * try-with-resources block whose body threw, both end up suppressed in the body's exception, as
   * for any failure of {@code close()}.
   *
   * <p>Cost: a scope without a trace pays nothing for this option (no allocation, no clock read). A
   * traced scope reads the clock once per event and keeps a small record per task until it closes.
   * Nested scopes pay only when an enclosing scope is traced. A trace holds names and exception
   * class names, never task results, arguments or exception messages.
   *
   * <p>Calling this again replaces the sink.
   *
   * @param sink what receives the finished trace, e.g. {@code trace -> Files.writeString(path,
   *     ChromeTrace.toJson(trace))} (wrapped for its checked exception)
   * @throws NullPointerException if {@code sink} is null
   */
  public ScopeConfig withTrace(Consumer<? super ScopeTrace> sink) {
    Objects.requireNonNull(
        sink,
        "trace sink must not be null: pass the consumer of the finished trace, e.g."
            + " withTrace(trace -> log.info(\"{}\", trace)), or omit withTrace for no trace");
    return new ScopeConfig(
        timeout, deadline, maxConcurrency, threadFactory, cancelGracePeriod, sink);
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

  /** The sink of the execution trace, if {@link #withTrace} set one; empty means no trace. */
  public Optional<Consumer<? super ScopeTrace>> traceSink() {
    return Optional.ofNullable(traceSink);
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
        + ", trace="
        + (traceSink != null)
        + "]";
  }
}
