package dev.weft.scope;

import java.util.Optional;

/**
 * A handle to a task forked in a {@link Scope}: its name, its state and, once it has ended, its
 * result or exception.
 *
 * <p>A handle is also how a task names its dependencies: pass it to one of the {@code fork}
 * overloads that take handles, and the dependent receives the result as an argument.
 *
 * <h2>Thread confinement</h2>
 *
 * Every method may be called from any thread. {@link #get()} and {@link #exception()} have rules
 * that keep results deterministic: the owner reads them after {@link Scope#join()}; other threads
 * read them only once the task has ended.
 *
 * <p>Weft implements this interface; applications do not.
 *
 * @param <T> the type of the task's result
 */
public interface Task<T> {

  /** The lifecycle of a task. Every task ends in exactly one of the final states. */
  enum State {
    /** Forked, waiting for its dependencies or for a slot of the concurrency limit. */
    PENDING,
    /** Its body is running in its own thread. */
    RUNNING,
    /** Final: the body returned a value, or a fallback supplied one. */
    SUCCEEDED,
    /** Final: the body threw, or the task timed out, and no fallback was declared. */
    FAILED,
    /** Final: the scope was cancelled before the task ended; its outcome is discarded. */
    CANCELLED,
    /** Final: a dependency did not succeed, so the body never ran. */
    SKIPPED;

    /**
     * Returns {@code true} for {@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED} and {@code
     * SKIPPED}.
     */
    public boolean isFinal() {
      return ordinal() >= SUCCEEDED.ordinal();
    }
  }

  /** The task's name, unique in its scope; it appears in thread names and in every message. */
  String name();

  /** The task's current state. After {@link Scope#join()} returns or throws, it is final. */
  State state();

  /**
   * Returns the result of a task that {@link State#SUCCEEDED succeeded}.
   *
   * @throws IllegalStateException if the owner calls it before {@code join()}, if the task has not
   *     ended, or if it did not succeed (the exception's cause is the task's exception)
   */
  T get();

  /**
   * Returns the exception of a task that {@link State#FAILED failed}, was {@link State#SKIPPED
   * skipped} (a {@link TaskSkippedException}) or {@link State#CANCELLED cancelled} (a {@link
   * java.util.concurrent.CancellationException}).
   *
   * @throws IllegalStateException if the task has not ended, or if it succeeded
   */
  Throwable exception();

  /**
   * The failure a fallback replaced, if the task succeeded through its fallback ({@link
   * TaskOptions#withFallback}); empty otherwise.
   */
  Optional<Throwable> recoveredFrom();
}
