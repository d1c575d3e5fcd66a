package dev.weft.scope;

import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * How a task is cancelled: the CAS from PENDING or RUNNING into COMPLETING, a {@code
 * CancellationException} as its outcome, and the interrupt of its thread. A cancelled task never
 * runs its fallback, and its result is never published. A cancel does not interrupt the current
 * thread or the thread that cancelled the scope (as the JDK's {@code cancel} skips the calling
 * thread).
 */
final class TaskCancel {
  private TaskCancel() {}

  /** Cancels {@code task} if it has not ended; returns true if this call cancelled it. */
  static boolean cancel(TaskNode<?> task, String why) {
    return cancel(task, why, null, true);
  }

  /**
   * Cancels the task like {@link #cancel(TaskNode, String)} but leaves its thread uninterrupted: a
   * scope's cancel ends every task first, then cancels nested scopes, and only then interrupts
   * threads ({@link #interruptIfCancelled}), so that a nested scope is cancelled before its owner
   * (a task thread) sees the interrupt.
   */
  static boolean withoutInterrupt(TaskNode<?> task, String why) {
    return cancel(task, why, null, false);
  }

  /** Interrupts the thread of a cancelled task that still runs (see withoutInterrupt). */
  static void interruptIfCancelled(TaskNode<?> task) {
    if (task.rawState() == TaskNode.CANCELLED) {
      interrupt(task);
    }
  }

  /** {@link #cancel(TaskNode, String)}, with the task's dependents queued in {@code cascade}. */
  static boolean cancel(
      TaskNode<?> task, String why, @Nullable ArrayDeque<TaskNode<?>> cascade, boolean interrupt) {
    int s;
    for (; ; ) {
      s = task.rawState();
      if (s >= TaskNode.COMPLETING) {
        return false;
      }
      if (task.claim(s)) {
        break;
      }
    }
    task.endCancelled(why, cascade);
    if (s == TaskNode.PENDING) {
      task.mark(TaskNode.SETTLED_AND_RELEASED); // its thread never started, and never will
      return true;
    }
    task.mark(TaskNode.SETTLED);
    if (interrupt) {
      interrupt(task);
    }
    return true;
  }

  /**
   * Interrupts the task's thread if it still runs, unless it is the current thread or the thread
   * that cancelled the scope.
   */
  static void interrupt(TaskNode<?> task) {
    Thread t = task.thread;
    if (t != null
        && t != Thread.currentThread()
        && !task.threadGone()
        && !ScopeCancel.madeBy(task.scope, t)) {
      t.interrupt();
    }
  }
}
