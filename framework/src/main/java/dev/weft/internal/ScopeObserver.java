package dev.weft.internal;

import org.jspecify.annotations.Nullable;

/**
 * What Weft's own observers (meters, observations, JFR events, execution traces) are told about
 * scopes and tasks. Not API: the module does not export this package; users switch observers on
 * through their public entry points (for instance {@code WeftMetrics}).
 *
 * <p>Each scope and each task carries one state object per observer: what {@link #scopeOpened} and
 * {@link #taskForked} return is passed back to that observer's later events for the same scope or
 * task (null if it returned null). Every event gets {@code nanoTime}, one {@link System#nanoTime()}
 * read shared by all observers.
 *
 * <p>Each event is called in the thread where it happens, so an observer must be thread-safe and
 * quick. An exception thrown by an observer is caught and logged (once per observer, at WARN on the
 * logger {@code dev.weft.observe}); it never reaches the scope or its tasks.
 */
public interface ScopeObserver {
  /** In the owner, once the scope is open. Returns this observer's state for the scope. */
  default @Nullable Object scopeOpened(ObservedScope scope, long nanoTime) {
    return null;
  }

  /**
   * In the owner, once the task is registered, before it can start. Returns this observer's state
   * for the task.
   */
  default @Nullable Object taskForked(
      ObservedTask task, @Nullable Object scopeState, long nanoTime) {
    return null;
  }

  /** The task's dependencies succeeded; it now waits for a slot of the concurrency limit. */
  default void slotWaitBegun(ObservedTask task, @Nullable Object taskState, long nanoTime) {}

  /** The task got its slot; it starts next (unless it was cancelled meanwhile). */
  default void slotWaitEnded(ObservedTask task, @Nullable Object taskState, long nanoTime) {}

  /**
   * Whether this observer's {@link #taskStarted} makes an observation of its own the current
   * Micrometer observation of the task's thread for the whole body: the current observation the
   * forking thread had is then not installed there (it would be replaced at once). In the task's
   * thread, before {@link #taskStarted}. The default: no.
   */
  default boolean setsCurrentObservation(@Nullable Object taskState) {
    return false;
  }

  /**
   * In the task's own thread, after its dependencies and its slot, just before its body (with the
   * context of the forking thread already in place).
   */
  default void taskStarted(ObservedTask task, @Nullable Object taskState, long nanoTime) {}

  /**
   * In the task's own thread, once its body has returned or thrown (before the context of the
   * forking thread is removed). Called exactly once after each {@link #taskStarted}.
   */
  default void bodyEnded(ObservedTask task, @Nullable Object taskState, long nanoTime) {}

  /**
   * In the thread that ended the task (its own, or one that cancelled, skipped or timed it out),
   * once its final state is published. {@code failure} is its exception (for {@link
   * TaskOutcome#RECOVERED}, the failure the fallback replaced); null if it succeeded.
   */
  default void taskEnded(
      ObservedTask task,
      @Nullable Object taskState,
      TaskOutcome outcome,
      @Nullable Throwable failure,
      long nanoTime) {}

  /** In the owner, when {@code join()} returns ({@code thrown} null) or throws {@code thrown}. */
  default void scopeJoined(
      ObservedScope scope,
      @Nullable Object scopeState,
      @Nullable Throwable thrown,
      long nanoTime) {}

  /**
   * In the owner, when {@code close()} has waited for every thread and unlinked the scope: every
   * task of the scope has had its {@link #taskEnded}.
   */
  default void scopeClosed(ObservedScope scope, @Nullable Object scopeState, long nanoTime) {}
}
