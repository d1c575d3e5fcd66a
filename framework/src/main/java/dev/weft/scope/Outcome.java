package dev.weft.scope;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * What {@code join()} returns or throws once every task is settled: the policy's result, or the
 * exception of the stop ({@code DeadlineExceededException}, {@code CancellationException}) or of a
 * broken policy, always with every failure the thrown exception does not carry yet attached (see
 * {@link Failures}).
 */
final class Outcome {
  private Outcome() {}

  static <R> R of(ScopeImpl<R> s) {
    Stop st = ScopeCancel.of(s);
    StopReason reason = st == null ? null : st.reason();
    RuntimeException stopping = null;
    // Every task is final now. Only the first stop cancels tasks, so under a deadline stop the
    // cancelled tasks are exactly those the deadline caught unfinished; none means every task
    // ended in time and join returns the policy's result.
    List<String> unfinishedAtDeadline = new ArrayList<>();
    for (int i = 0, n = reason == StopReason.DEADLINE ? s.tasks.size(true) : 0; i < n; i++) {
      TaskNode<?> t = s.tasks.get(i);
      if (t.state() == Task.State.CANCELLED) {
        unfinishedAtDeadline.add(t.name());
      }
    }
    if (!unfinishedAtDeadline.isEmpty()) {
      stopping = new DeadlineExceededException(s.name, s.deadline.budget(), unfinishedAtDeadline);
    } else if (reason == StopReason.CANCEL && st != null) { // a reason comes with its stop
      stopping = new CancellationException(st.detail());
    }
    Throwable pf = s.policyFailure();
    Throwable thrown = stopping != null ? stopping : pf;
    if (thrown != null) {
      if (stopping != null && pf != null) {
        stopping.addSuppressed(pf);
      }
      if (pf == null && stopping != null) { // stopping is set when pf is not
        try {
          s.policy.result(s); // what the policy would have reported: nothing is lost
        } catch (Throwable failures) {
          stopping.addSuppressed(failures);
        }
      }
      Failures.attachMissing(thrown, s); // what the policy did not report (or could not: it broke)
      throw Failures.sneaky(thrown);
    }
    try {
      return s.policy.result(s);
    } catch (Throwable e) {
      Failures.attachMissing(e, s); // a policy that throws without every failure
      throw e;
    }
  }

  /**
   * What close() throws after it closed the scope: an error that happened while closing; else an
   * {@code IllegalStateException} for nested scopes it had to close first ({@code leftOpen}) or for
   * {@code neverJoined} forked tasks without join(), with their failures attached. The failures of
   * cancelled tasks that arrived after {@code join()} threw go to that exception. What the trace
   * sink threw ({@code sinkFailed}) is suppressed in that exception, or thrown if there is none.
   */
  static void ofClose(
      ScopeImpl<?> s,
      @Nullable Throwable thrownByJoin,
      List<Throwable> broken,
      List<ScopeImpl<?>> leftOpen,
      int neverJoined,
      @Nullable Throwable sinkFailed) {
    if (s.lateFailures) { // rare: no walk over every task in the common case
      Failures.attachLateToTimedOut(s);
      if (thrownByJoin != null) {
        Failures.attachMissing(thrownByJoin, s); // failures of cancelled tasks that came later
      } else if (neverJoined == 0) {
        Failures.logLate(s); // join() returned normally: the losers' late failures fail nothing
      }
    }
    if (!broken.isEmpty()) {
      Throwable first = broken.get(0);
      broken.stream().skip(1).filter(e -> e != first).forEach(first::addSuppressed);
      if (sinkFailed != null && sinkFailed != first) {
        first.addSuppressed(sinkFailed);
      }
      throw Failures.sneaky(first);
    }
    IllegalStateException e = null;
    if (!leftOpen.isEmpty()) {
      e =
          new IllegalStateException(
              "scope '"
                  + s.name
                  + "' was closed while nested "
                  + (leftOpen.size() == 1
                      ? "scope " + Nesting.quote(leftOpen) + " was still open; it was"
                      : "scopes " + Nesting.quote(leftOpen) + " were still open; they were")
                  + " closed first: close scopes in reverse order of opening (use try-with-resources)");
      for (ScopeImpl<?> inner : leftOpen) {
        Failures.attachMissing(e, inner);
      }
    } else if (neverJoined != 0) {
      e =
          new IllegalStateException(
              "scope '"
                  + s.name
                  + "' was closed without join(): call "
                  + "scope.join() before the end of the block to wait for its "
                  + neverJoined
                  + (neverJoined == 1 ? " task" : " tasks")
                  + " and see their failures");
    }
    if (e != null) {
      if (neverJoined != 0) {
        Failures.attachMissing(e, s);
      }
      if (sinkFailed != null) {
        e.addSuppressed(sinkFailed);
      }
      throw e;
    }
    if (sinkFailed != null) {
      throw Failures.sneaky(sinkFailed);
    }
  }
}
