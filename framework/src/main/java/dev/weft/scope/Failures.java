package dev.weft.scope;

import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * How failures reach the caller: the rule for exceptions thrown by cancelled tasks, and the
 * attachment of every failure that an exception about to be thrown does not already carry.
 *
 * <p>The rule (docs/scopes.md, "Exceptions"): every {@code FAILED} task's exception reaches the
 * caller as the primary exception, its cause, or a suppressed exception. An exception a task throws
 * after it was cancelled (or timed out) is a <em>late failure</em>; it is attached as a suppressed
 * {@link TaskFailedException} naming its task, unless it is the interrupt's own echo. At most
 * {@link #LATE_CAP} late failures are attached to one exception; one more suppressed exception says
 * how many were left out.
 */
final class Failures {
  private Failures() {}

  /** Weft's logger, created on first use so that opening the first scope sets up no logging. */
  static final class Log {
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Scope.class);
  }

  /** Throws {@code t} whatever its type (callers: {@code throw sneaky(t)}). */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /** At most this many late failures are attached to one exception. */
  static final int LATE_CAP = 16;

  // How deep the echo check follows causes: exceptions are chains of a few links.
  private static final int CAUSE_DEPTH = 32;

  /**
   * Whether {@code e}, thrown by a task after it was cancelled, is the interrupt's echo: an {@link
   * InterruptedException}, {@link ClosedByInterruptException} or {@link CancellationException}, or
   * caused by one, and carrying no suppressed exceptions (a nested scope's {@code
   * CancellationException} that carries its tasks' failures is not an echo).
   */
  static boolean isEcho(Throwable e) {
    if (e.getSuppressed().length != 0) {
      return false;
    }
    Throwable c = e;
    for (int depth = 0; c != null && depth < CAUSE_DEPTH; depth++, c = c.getCause()) {
      if (c instanceof InterruptedException
          || c instanceof ClosedByInterruptException
          || c instanceof CancellationException) {
        return true;
      }
      if (c.getCause() == c) {
        return false;
      }
    }
    return false;
  }

  /**
   * Attaches to {@code target} every failure of {@code scope} that {@code target} does not carry
   * yet (as itself, a cause or a suppressed exception, at any depth): each {@code FAILED} task's
   * exception as a {@link TaskFailedException} naming the task, then the late failures of cancelled
   * tasks, at most {@link #LATE_CAP} of them in all for {@code target}.
   */
  static void attachMissing(Throwable target, ScopeImpl<?> scope) {
    Set<Throwable> carried = carried(target);
    int n = scope.tasks.size(true);
    for (int i = 0; i < n; i++) {
      TaskNode<?> t = scope.tasks.get(i);
      if (t.state() == Task.State.FAILED) {
        Throwable failure = t.exception();
        if (carried.add(failure)) {
          target.addSuppressed(new TaskFailedException(scope.name, null, List.of(t), List.of()));
        }
      }
    }
    int attached = 0;
    LateFailuresOmitted summary = null;
    for (Throwable s : target.getSuppressed()) {
      if (s instanceof LateFailure) {
        attached++;
      } else if (s instanceof LateFailuresOmitted o) {
        summary = o;
      }
    }
    int omitted = 0;
    for (int i = 0; i < n; i++) {
      TaskNode<?> t = scope.tasks.get(i);
      Throwable late = t.lateFailure();
      if (late == null || t.lateReported || !carried.add(late)) {
        continue;
      }
      t.lateReported = true; // join() and then close() report to the same exception: count once
      if (attached < LATE_CAP) {
        target.addSuppressed(new LateFailure(scope.name, t, late));
        attached++;
      } else {
        omitted++;
      }
    }
    if (omitted > 0) {
      if (summary == null) {
        target.addSuppressed(new LateFailuresOmitted(scope.name, omitted));
      } else {
        summary.count += omitted; // join() attached some, close() the rest: one summary
      }
    }
  }

  /**
   * Adds the late failure of each task that timed out to the task's own failure, its {@code
   * TimeoutException} (its {@code exception()}, or the {@code recoveredFrom()} a fallback
   * replaced): that is where a reader of the task looks, also when {@code join()} returned
   * normally. Called by close() once every thread has ended (so every late failure is there).
   */
  static void attachLateToTimedOut(ScopeImpl<?> scope) {
    for (int i = 0, n = scope.tasks.size(true); i < n; i++) {
      TaskNode<?> t = scope.tasks.get(i);
      Throwable late = t.lateFailure();
      Task.State state = late == null ? null : t.state();
      Throwable own =
          state == Task.State.FAILED
              ? t.exception()
              : state == Task.State.SUCCEEDED ? t.recoveredFrom().orElse(null) : null;
      if (own != null && own != late && !carried(own).contains(late)) {
        own.addSuppressed(late);
      }
    }
  }

  /**
   * Logs (DEBUG) what cancelled tasks threw after a join() that returned normally, say the losers
   * of a first-success scope: nothing to attach them to, and they are not failures of the scope.
   */
  static void logLate(ScopeImpl<?> scope) {
    for (int i = 0, n = scope.tasks.size(true); i < n; i++) {
      TaskNode<?> t = scope.tasks.get(i);
      Throwable late = t.lateFailure();
      if (late != null && t.state() == Task.State.CANCELLED && Log.LOG.isDebugEnabled()) {
        Log.LOG.debug(
            "scope '{}': task '{}' threw after it was cancelled; join() had "
                + "returned normally, so this is not reported to the caller",
            scope.name,
            t.name(),
            late);
      }
    }
  }

  /** Logs (TRACE) the interrupt's echo that a cancelled or timed-out task threw. */
  static void discarded(TaskNode<?> task, Throwable echo) {
    if (Log.LOG.isTraceEnabled()) {
      Log.LOG.trace(
          "scope '{}': task '{}' ended after it was cancelled or timed out; "
              + "its late outcome is discarded",
          task.scope.name,
          task.name(),
          echo);
    }
  }

  /** Every throwable reachable from {@code root} through causes and suppressed exceptions. */
  private static Set<Throwable> carried(Throwable root) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> todo = new ArrayDeque<>();
    todo.add(root);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      Collections.addAll(todo, t.getSuppressed());
    }
    return seen;
  }

  /** A late failure: an exception a task threw after it was cancelled or timed out. */
  static final class LateFailure extends TaskFailedException {
    private static final long serialVersionUID = 1L;

    LateFailure(String scope, TaskNode<?> task, Throwable late) {
      super(
          scope,
          task,
          "task '"
              + task.name()
              + "' of scope '"
              + scope
              + "' threw after it was "
              + (task.state() == Task.State.CANCELLED ? "cancelled" : "timed out")
              + ": "
              + Messages.describe(late),
          late);
    }
  }

  /** Says how many late failures were left out, beyond the {@link #LATE_CAP} attached. */
  static final class LateFailuresOmitted extends TaskFailedException {
    private static final long serialVersionUID = 1L;
    private final String scope;
    // count: written by the owner only (join, then close).
    int count;

    LateFailuresOmitted(String scope, int count) {
      super(scope, null, "late failures omitted", null);
      this.scope = scope;
      this.count = count;
    }

    @Override
    public String getMessage() {
      return count
          + " more exceptions thrown by cancelled tasks of scope '"
          + scope
          + "' are not attached (at most "
          + LATE_CAP
          + " are)";
    }
  }
}
