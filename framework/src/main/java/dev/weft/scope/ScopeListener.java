package dev.weft.scope;

import dev.weft.internal.Observers;
import dev.weft.internal.ScopeObserver;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The one seam through which observers (metrics, traces, a live scope tree) learn what scopes and
 * tasks do. Internal: {@link #install} sets the listener for the scopes opened after it; a scope
 * reads it once, when it opens.
 *
 * <p>Each event is called in the thread where it happens, so a listener must be thread-safe and
 * quick, and must not throw: an exception from a listener is not caught (it would be thrown into a
 * fork, a task thread or a join). With no listener installed every call goes to {@link #NONE},
 * whose methods are empty: the JIT inlines them away, so the seam costs nothing measurable ({@code
 * FanOutBenchmark}, see docs/performance.md).
 */
interface ScopeListener {
  /** The listener that ignores every event. */
  ScopeListener NONE = new ScopeListener() {};

  /**
   * The listener for a scope that opens now: the one {@link #install}ed (tests), else the installed
   * {@link ScopeObserver}s (none: {@link #NONE}).
   */
  static ScopeListener current() {
    ScopeListener l = Installed.listener;
    return l != NONE ? l : Installed.observed(Observers.all());
  }

  /**
   * The listener for a traced scope that opens now: the installed observers and then {@code
   * traces}, the scope's trace recorders (not empty). An {@link #install}ed listener replaces them
   * all, traces included (a traced scope opened under it delivers no trace).
   */
  static ScopeListener traced(TraceRecorder[] traces) {
    ScopeListener l = Installed.listener;
    if (l != NONE) {
      return l;
    }
    ScopeObserver[] installed = Observers.all();
    ScopeObserver[] both = Arrays.copyOf(installed, installed.length + traces.length);
    System.arraycopy(traces, 0, both, installed.length, traces.length);
    return new Observed(both);
  }

  /** Installs {@code listener} for scopes opened from now on ({@code null}: none). */
  static void install(ScopeListener listener) {
    Installed.listener = listener == null ? NONE : listener;
  }

  /** In the owner, once the scope is open (its parent and deadline set). */
  default void scopeOpened(ScopeImpl<?> scope) {}

  /** In the owner, once the task is registered (before it can start). */
  default void taskForked(TaskNode<?> task) {}

  /**
   * In the task's thread, before its context is installed: whether an observer makes its own
   * observation the thread's current one for the body ({@link
   * ScopeObserver#setsCurrentObservation}).
   */
  default boolean setsCurrentObservation(TaskNode<?> task) {
    return false;
  }

  /** In the thread that made the task ready: it waits for a slot of the concurrency limit. */
  default void slotWaitBegun(TaskNode<?> task) {}

  /** In the thread that gives the task its slot (it starts next, unless it was cancelled). */
  default void slotWaitEnded(TaskNode<?> task) {}

  /** In the task's own thread, after its dependencies and its slot, just before its body. */
  default void taskStarted(TaskNode<?> task) {}

  /** In the task's own thread, once its body returned or threw (after each taskStarted). */
  default void bodyEnded(TaskNode<?> task) {}

  /**
   * The clock for an event about to happen ({@link System#nanoTime()}), or 0 if nothing records
   * times. Read before a task's final state is published: once it is, a dependent can start in
   * another thread before the ending thread gets to {@link #taskEnded}, and a time read there would
   * put the dependency's end after its dependent's start.
   */
  default long now() {
    return 0;
  }

  /**
   * In the thread that ended the task, once its final state is published: {@code failure} is its
   * exception (null if it succeeded; for a success through a fallback, the failure it replaced);
   * {@code endedAt} is {@link #now()} read just before the state was published.
   */
  default void taskEnded(
      TaskNode<?> task, Task.State state, @Nullable Throwable failure, long endedAt) {}

  /** In the owner, when {@code join()} returns ({@code thrown} null) or throws {@code thrown}. */
  default void scopeJoined(ScopeImpl<?> scope, @Nullable Throwable thrown) {}

  /** In the owner, when {@code close()} has waited for every thread and unlinked the scope. */
  default void scopeClosed(ScopeImpl<?> scope) {}

  /** Holder of the installed listener (interfaces have no mutable fields). */
  final class Installed {
    private Installed() {}

    // listener: written by install(), read by every Scope.open.
    static volatile ScopeListener listener = NONE;
    // cache: the Observed for the last observer array seen (racy, benign: at worst rebuilt).
    private static volatile @Nullable Observed cache;

    static ScopeListener observed(ScopeObserver[] observers) {
      if (observers.length == 0) {
        return NONE;
      }
      Observed c = cache;
      if (c == null || c.observers != observers) {
        c = new Observed(observers);
        cache = c;
      }
      return c;
    }
  }
}
