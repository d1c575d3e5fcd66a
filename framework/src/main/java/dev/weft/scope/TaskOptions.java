package dev.weft.scope;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Options of one task: a timeout and a fallback. Immutable; each {@code withX} method returns a new
 * instance. Given to {@code fork} as a function, so the result type is inferred:
 *
 * {@snippet class=dev.weft.samples.DeadlineSample region=task-timeout lang=java}
 *
 * @param <T> the type of the task's result
 */
public final class TaskOptions<T> {
  private static final TaskOptions<?> DEFAULTS = new TaskOptions<>(null, null);

  // null: not set
  private final @Nullable Duration timeout;
  private final @Nullable Function<? super Throwable, ? extends T> fallback;

  private TaskOptions(
      @Nullable Duration timeout, @Nullable Function<? super Throwable, ? extends T> fallback) {
    this.timeout = timeout;
    this.fallback = fallback;
  }

  /** Options with no timeout and no fallback. */
  @SuppressWarnings("unchecked")
  public static <T> TaskOptions<T> defaults() {
    return (TaskOptions<T>) DEFAULTS;
  }

  /**
   * Fails the task with a {@link java.util.concurrent.TimeoutException} if its body runs longer
   * than {@code timeout}, and interrupts its thread. The time counts from the moment the body
   * starts (after its dependencies and a concurrency slot).
   *
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public TaskOptions<T> withTimeout(Duration timeout) {
    Objects.requireNonNull(
        timeout, "task timeout must not be null: omit withTimeout for no timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "task timeout must be positive, was " + timeout + ": omit withTimeout for no timeout");
    }
    return new TaskOptions<>(timeout, fallback);
  }

  /**
   * Declares a fallback: if the body throws, times out, or is skipped because a dependency did not
   * succeed, the task succeeds with {@code fallback.apply(failure)} instead. The fallback runs in
   * the thread that sees the failure; keep it short and non-blocking. If it throws, the task fails
   * with that exception (the original failure suppressed). Cancellation of the scope is not a
   * failure: a cancelled task stays cancelled.
   */
  public TaskOptions<T> withFallback(Function<? super Throwable, ? extends T> fallback) {
    Objects.requireNonNull(
        fallback,
        "task fallback must not be null: pass a function from the "
            + "failure to a value, or use withFallbackValue(value)");
    return new TaskOptions<>(timeout, fallback);
  }

  /** Shorthand for {@code withFallback(failure -> value)}. */
  public TaskOptions<T> withFallbackValue(T value) {
    return withFallback(failure -> value);
  }

  /** The timeout, if one was set. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The fallback, if one was declared. */
  public Optional<Function<? super Throwable, ? extends T>> fallback() {
    return Optional.ofNullable(fallback);
  }

  @Override
  public String toString() {
    return "TaskOptions[timeout=" + timeout + ", fallback=" + (fallback != null) + "]";
  }
}
