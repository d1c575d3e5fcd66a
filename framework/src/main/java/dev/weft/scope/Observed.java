package dev.weft.scope;

import dev.weft.internal.ScopeObserver;
import dev.weft.internal.TaskOutcome;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener of a scope that has observers ({@link ScopeObserver}): it reads the clock once per
 * event, keeps each observer's state for the scope and its tasks (in {@code ScopeImpl.observed} and
 * {@code TaskNode.observed}, one slot per observer), and catches what an observer throws, so that
 * observing a scope never changes what it does.
 */
final class Observed implements ScopeListener {
  private static final Logger LOG = LoggerFactory.getLogger("dev.weft.observe");
  // warned: the observers whose failure was logged (once each).
  private static final Set<ScopeObserver> WARNED = ConcurrentHashMap.newKeySet();

  final ScopeObserver[] observers;

  Observed(ScopeObserver[] observers) {
    this.observers = observers;
  }

  @Override
  public void scopeOpened(ScopeImpl<?> scope) {
    long now = System.nanoTime();
    @Nullable Object[] states = new Object[observers.length];
    for (int i = 0; i < observers.length; i++) {
      try {
        states[i] = observers[i].scopeOpened(scope, now);
      } catch (Throwable e) {
        failed(observers[i], "scopeOpened", e);
      }
    }
    scope.observed = states;
  }

  @Override
  public void taskForked(TaskNode<?> task) {
    long now = System.nanoTime();
    @Nullable Object[] scopeStates = states(task.scope.observed);
    @Nullable Object[] states = new Object[observers.length];
    for (int i = 0; i < observers.length; i++) {
      try {
        states[i] = observers[i].taskForked(task, scopeStates[i], now);
      } catch (Throwable e) {
        failed(observers[i], "taskForked", e);
      }
    }
    task.observed = states;
    if (task.times == null) {
      task.times = new TaskTimes(now); // ScopeDump's ages, from the clock read made anyway
    }
  }

  @Override
  public boolean setsCurrentObservation(TaskNode<?> task) {
    @Nullable Object[] states = states(task.observed);
    for (int i = 0; i < observers.length; i++) {
      try {
        if (observers[i].setsCurrentObservation(states[i])) {
          return true;
        }
      } catch (Throwable e) {
        failed(observers[i], "setsCurrentObservation", e);
      }
    }
    return false;
  }

  @Override
  public void slotWaitBegun(TaskNode<?> task) {
    long now = System.nanoTime();
    @Nullable Object[] states = states(task.observed);
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].slotWaitBegun(task, states[i], now);
      } catch (Throwable e) {
        failed(observers[i], "slotWaitBegun", e);
      }
    }
  }

  @Override
  public void slotWaitEnded(TaskNode<?> task) {
    long now = System.nanoTime();
    @Nullable Object[] states = states(task.observed);
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].slotWaitEnded(task, states[i], now);
      } catch (Throwable e) {
        failed(observers[i], "slotWaitEnded", e);
      }
    }
  }

  @Override
  public void taskStarted(TaskNode<?> task) {
    long now = System.nanoTime();
    TaskTimes times = task.times;
    if (times != null) {
      times.startedAt = now;
    }
    @Nullable Object[] states = states(task.observed);
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].taskStarted(task, states[i], now);
      } catch (Throwable e) {
        failed(observers[i], "taskStarted", e);
      }
    }
  }

  @Override
  public void bodyEnded(TaskNode<?> task) {
    long now = System.nanoTime();
    @Nullable Object[] states = states(task.observed);
    // The reverse order of taskStarted: what an observer put in the thread's context is removed
    // in the opposite order.
    for (int i = observers.length - 1; i >= 0; i--) {
      try {
        observers[i].bodyEnded(task, states[i], now);
      } catch (Throwable e) {
        failed(observers[i], "bodyEnded", e);
      }
    }
  }

  @Override
  public long now() {
    return System.nanoTime();
  }

  @Override
  public void taskEnded(
      TaskNode<?> task, Task.State state, @Nullable Throwable failure, long endedAt) {
    TaskOutcome outcome = outcome(task, state, failure);
    @Nullable Object[] states = states(task.observed);
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].taskEnded(task, states[i], outcome, failure, endedAt);
      } catch (Throwable e) {
        failed(observers[i], "taskEnded", e);
      }
    }
  }

  @Override
  public void scopeJoined(ScopeImpl<?> scope, @Nullable Throwable thrown) {
    long now = System.nanoTime();
    @Nullable Object[] states = states(scope.observed);
    for (int i = 0; i < observers.length; i++) {
      try {
        observers[i].scopeJoined(scope, states[i], thrown, now);
      } catch (Throwable e) {
        failed(observers[i], "scopeJoined", e);
      }
    }
  }

  @Override
  public void scopeClosed(ScopeImpl<?> scope) {
    long now = System.nanoTime();
    @Nullable Object[] states = states(scope.observed);
    for (int i = observers.length - 1; i >= 0; i--) {
      try {
        observers[i].scopeClosed(scope, states[i], now);
      } catch (Throwable e) {
        failed(observers[i], "scopeClosed", e);
      }
    }
  }

  /**
   * The state {@code observer} keeps for {@code task} (what its {@code taskForked} returned), or
   * null if the task's scope does not report to it. For the task's own thread, or its owner.
   */
  static @Nullable Object stateOf(ScopeObserver observer, TaskNode<?> task) {
    int i = indexOf(observer, task.scope.listener);
    @Nullable Object[] states = task.observed;
    return i < 0 || states == null ? null : states[i];
  }

  /** The state {@code observer} keeps for {@code scope}, or null (see the task's). */
  static @Nullable Object stateOf(ScopeObserver observer, ScopeImpl<?> scope) {
    int i = indexOf(observer, scope.listener);
    @Nullable Object[] states = scope.observed;
    return i < 0 || states == null ? null : states[i];
  }

  private static int indexOf(ScopeObserver observer, ScopeListener listener) {
    if (listener instanceof Observed o) {
      for (int i = 0; i < o.observers.length; i++) {
        if (o.observers[i] == observer) {
          return i;
        }
      }
    }
    return -1;
  }

  static TaskOutcome outcome(TaskNode<?> task, Task.State state, @Nullable Throwable failure) {
    return switch (state) {
      case SUCCEEDED -> failure == null ? TaskOutcome.SUCCEEDED : TaskOutcome.RECOVERED;
      case FAILED -> task.timedOut ? TaskOutcome.TIMED_OUT : TaskOutcome.FAILED;
      case CANCELLED -> TaskOutcome.CANCELLED;
      case SKIPPED -> TaskOutcome.SKIPPED;
      default -> throw new IllegalStateException("task '" + task.name() + "' ended " + state);
    };
  }

  // A state array is missing only if the observer set was read before the scope had one: never
  // for a scope opened with this listener; an empty array keeps the loops safe anyway.
  private @Nullable Object[] states(@Nullable Object @Nullable [] states) {
    return states != null ? states : new Object[observers.length];
  }

  private static void failed(ScopeObserver observer, String event, Throwable e) {
    if (WARNED.add(observer)) {
      LOG.warn(
          "observer {} threw from {}; the scope goes on, and further failures of this observer"
              + " are not logged",
          observer.getClass().getName(),
          event,
          e);
    }
  }
}
