package dev.weft.jfr;

import dev.weft.internal.ObservedScope;
import dev.weft.internal.ObservedTask;
import dev.weft.internal.ScopeObserver;
import dev.weft.internal.TaskOutcome;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jdk.jfr.EventType;
import org.jspecify.annotations.Nullable;

/**
 * Turns scope and task events into {@link ScopeEvent}s and {@link TaskEvent}s. Installed (by {@link
 * JfrRecordings}) only while a recording enables one of them, since an installed observer costs
 * every task something even when it records nothing.
 */
final class JfrObserver implements ScopeObserver {
  private final EventType taskType;

  JfrObserver(EventType taskType) {
    this.taskType = taskType;
  }

  // --- scopes: every event in the owner thread ---

  /** The scope's event and what join() said (owner only). */
  private static final class ScopeState {
    final ScopeEvent event = new ScopeEvent();
  }

  @Override
  public @Nullable Object scopeOpened(ObservedScope scope, long nanoTime) {
    ScopeState s = new ScopeState();
    if (!s.event.isEnabled()) {
      return null;
    }
    s.event.begin();
    s.event.scope = scope.name();
    s.event.policy = scope.policyName();
    ObservedScope parent = scope.parentScope();
    ObservedTask parentTask = scope.parentTask();
    s.event.parentScope = parent == null ? null : parent.name();
    s.event.parentTask = parentTask == null ? null : parentTask.name();
    return s;
  }

  @Override
  public void scopeJoined(
      ObservedScope scope, @Nullable Object scopeState, @Nullable Throwable thrown, long nanoTime) {
    if (scopeState instanceof ScopeState s) {
      s.event.outcome = thrown == null ? "succeeded" : "failed";
      s.event.exception = thrown == null ? null : thrown.getClass().getName();
    }
  }

  @Override
  public void scopeClosed(ObservedScope scope, @Nullable Object scopeState, long nanoTime) {
    if (scopeState instanceof ScopeState s) {
      s.event.tasks = scope.observedTasks().size();
      s.event.commit();
    }
  }

  // --- tasks: see TaskState for which thread commits ---

  @Override
  public @Nullable Object taskForked(
      ObservedTask task, @Nullable Object scopeState, long nanoTime) {
    return taskType.isEnabled() ? new TaskState(task, nanoTime) : null;
  }

  @Override
  public void slotWaitBegun(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskState t) {
      t.slotBegun = nanoTime;
    }
  }

  @Override
  public void slotWaitEnded(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskState t) {
      t.slotEnded = nanoTime;
    }
  }

  @Override
  public void taskStarted(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskState t) {
      t.started(nanoTime);
    }
  }

  @Override
  public void bodyEnded(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskState t) {
      t.bodyEnded();
    }
  }

  @Override
  public void taskEnded(
      ObservedTask task,
      @Nullable Object taskState,
      TaskOutcome outcome,
      @Nullable Throwable failure,
      long nanoTime) {
    if (taskState instanceof TaskState t) {
      t.ended(outcome, failure, nanoTime);
    }
  }

  /**
   * One task's event, built by up to three threads: the task's thread begins it as the body starts
   * and ends it as the body returns; the thread that ends the task (often the same) writes the
   * outcome. Whichever of "body ended" and "task ended" comes second commits, so the event has both
   * the body's time and the outcome; a task whose body never started is committed by the thread
   * that ended it. Each side writes its part, then sets its bit in {@code arrived} with one atomic
   * operation, which orders the writes of the first before the commit of the second.
   */
  static final class TaskState {
    private static final int STARTED = 1;
    private static final int BODY_ENDED = 2;
    private static final int ENDED = 4;
    private static final VarHandle ARRIVED;

    static {
      try {
        ARRIVED = MethodHandles.lookup().findVarHandle(TaskState.class, "arrived", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final String scope;
    final String task;
    final long forkedAt; // owner, before the task can start
    // slotBegun, slotEnded: written by the threads that queue the task and give it its slot,
    // before it starts; volatile, since the end of a task cancelled while queued may read them
    // in a thread that has no other edge to those.
    volatile long slotBegun;
    volatile long slotEnded;
    // event, startedAt: the task's thread, before it sets STARTED.
    private @Nullable TaskEvent event;
    private long startedAt;
    // outcome, exception, endedAt: the thread that ended the task, before it sets ENDED.
    private @Nullable TaskOutcome outcome;
    private @Nullable String exception;
    private long endedAt;
    // arrived: STARTED | BODY_ENDED | ENDED, each set once (atomically) by the side that arrives.
    private volatile int arrived;

    TaskState(ObservedTask task, long forkedAt) {
      this.scope = task.observedScope().name();
      this.task = task.name();
      this.forkedAt = forkedAt;
    }

    /** The task's thread, as its body starts. */
    void started(long nanoTime) {
      TaskEvent e = new TaskEvent();
      e.begin();
      event = e;
      startedAt = nanoTime;
      // Fails only if the task already ended (cancelled before its body started): that thread
      // committed the event without a body, and this body goes unrecorded.
      ARRIVED.compareAndSet(this, 0, STARTED);
    }

    /** The task's thread, once its body returned or threw. */
    void bodyEnded() {
      TaskEvent e = event;
      if (e == null || (arrived & STARTED) == 0) {
        return;
      }
      e.end();
      if (((int) ARRIVED.getAndBitwiseOr(this, BODY_ENDED) & ENDED) != 0) {
        commit(e, startedAt - forkedAt);
      }
    }

    /** The thread that ended the task, once its final state is published. */
    void ended(TaskOutcome how, @Nullable Throwable failure, long nanoTime) {
      outcome = how;
      exception = failure == null ? null : failure.getClass().getName();
      endedAt = nanoTime;
      int before = (int) ARRIVED.getAndBitwiseOr(this, ENDED);
      if ((before & STARTED) == 0) {
        commit(new TaskEvent(), endedAt - forkedAt); // the body never ran: no begin(), duration 0
      } else if ((before & BODY_ENDED) != 0) {
        commit(event, startedAt - forkedAt);
      }
    }

    private void commit(@Nullable TaskEvent e, long queueWait) {
      if (e == null) {
        return;
      }
      e.scope = scope;
      e.task = task;
      e.outcome = outcome == null ? "" : outcome.tag();
      e.exception = exception;
      e.queueWait = Math.max(0, queueWait);
      long begun = slotBegun;
      long got = slotEnded;
      e.slotWait = begun != 0 && got != 0 ? Math.max(0, got - begun) : 0;
      e.commit();
    }
  }
}
