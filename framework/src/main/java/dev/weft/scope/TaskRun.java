package dev.weft.scope;

import dev.weft.internal.ForkContext;
import dev.weft.internal.ThreadNames;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * The body of a task's thread (run with the task as the {@link CurrentTask}): the factory contract
 * check, the forking thread's context (installed for the whole task), the timeout, the user's body,
 * the scopes it left open, and the end of the task. Whatever happens here, the task ends in a final
 * state and is released, so {@code join()} and {@code close()} cannot hang on it.
 */
final class TaskRun {
  private TaskRun() {}

  static <T> void run(TaskNode<T> task) {
    boolean endedHere = false; // whether this thread published the final state
    ScheduledFuture<?> timeout = null;
    Object context = task.context; // the forking thread's, or null (empty: nothing to do)
    @Nullable Object[] previous = null; // what this thread had, once the context is installed
    try {
      if (!task.isRunning()) {
        return; // cancelled between start and now
      }
      if (Thread.currentThread() != task.thread) {
        // A thread factory whose thread hands the Runnable to another thread: close() could not
        // wait for the thread that really runs the body.
        if (task.claimRunning()) {
          endedHere = true;
          task.fail(
              new IllegalStateException(
                  "task '"
                      + task.name()
                      + "' was run by thread "
                      + ThreadNames.quoted(Thread.currentThread())
                      + ", not by the thread "
                      + ThreadNames.quoted(task.thread)
                      + " that the thread factory returned: the thread "
                      + "factory must return a new, unstarted thread that runs the Runnable it is given"));
        }
        return;
      }
      T value = null;
      Throwable failure = null;
      boolean endedFirst =
          false; // whether the task had ended (cancel, timeout) when the body threw
      try {
        // Installed before the observers start (they may open a context scope of their own in it)
        // and removed at the very end, after the fallback and the scopes the body left open.
        if (context != null) {
          // A failure fails the task. Micrometer's current observation is left out where an
          // observer opens the task's own as the current one at once (it would replace it).
          boolean own = task.scope.listener.setsCurrentObservation(task);
          previous = ForkContext.install(context, task, own);
        }
        TaskTimes.started(task);
        task.scope.listener.taskStarted(task);
        if (task.timeout != null) {
          timeout = Timer.schedule(task::timeoutExpired, task.timeout);
        }
        value = Objects.requireNonNull(task.body, "body of a running task").call();
      } catch (Throwable ex) {
        failure = ex;
        endedFirst = task.isFinal(); // published: what state() shows (COMPLETING reads as RUNNING)
      } finally {
        if (context == null || previous != null) { // taskStarted was called
          task.scope.listener.bodyEnded(task);
        }
      }
      failure = Nesting.closeLeftoverScopes(task, failure);
      if (!task.claimRunning()) {
        // Cancelled or timed out meanwhile. An echo of the interrupt, thrown after the task ended,
        // is dropped; anything else is reported with the failures of the scope, also an
        // InterruptedException thrown before the cancel (from an interrupt of its own).
        if (failure != null) {
          if (endedFirst && Failures.isEcho(failure)) {
            Failures.discarded(task, failure);
          } else {
            task.lateFailure(failure);
          }
        }
      } else {
        endedHere = true;
        if (failure != null) {
          task.fail(failure);
        } else {
          task.succeed(value);
        }
      }
    } catch (Throwable unexpected) {
      // A bug in Weft or an Error while ending the task: never leave it unfinished (join would
      // hang).
      if (!endedHere && task.claimRunning()) {
        endedHere = true;
        task.fail(unexpected);
      }
      throw unexpected;
    } finally {
      if (context != null && previous != null) {
        ForkContext.restore(context, previous); // never throws
      }
      if (timeout != null) {
        timeout.cancel(false);
      }
      task.scope.releaseSlot();
      if (endedHere) {
        task.markEndedByOwnThread();
      } else {
        task.markReleased();
      }
    }
  }
}
