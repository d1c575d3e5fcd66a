package dev.weft.scope;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * What {@code join()} returns or throws once every task is settled: the policy's result, or the
 * exception of the stop ({@code DeadlineExceededException}, {@code CancellationException}) or of a
 * broken policy, always with every failure the thrown exception does not carry yet attached
 * (see {@link Failures}).
 */
final class Outcome {
  private Outcome() {}

  static <R> R of(ScopeImpl<R> s) {
    Stop st = s.stop();
    StopReason reason = st == null ? null : st.reason();
    RuntimeException stopping = null;
    // Every task is final now. Only the first stop cancels tasks, so under a deadline stop the
    // cancelled tasks are exactly those the deadline caught unfinished; none means every task
    // ended in time and join returns the policy's result.
    List<String> unfinishedAtDeadline = new ArrayList<>();
    for (int i = 0, n = reason == StopReason.DEADLINE ? s.tasks.size(true) : 0; i < n; i++) {
      TaskNode<?> t = s.tasks.get(i);
      if (t.state() == Task.State.CANCELLED) {
        unfinishedAtDeadline.add(t.name);
      }
    }
    if (!unfinishedAtDeadline.isEmpty()) {
      stopping = new DeadlineExceededException(s.name, s.deadline.budget(), unfinishedAtDeadline);
    } else if (reason == StopReason.CANCEL) {
      stopping = new CancellationException(st.detail());
    }
    Throwable pf = s.policyFailure();
    if (stopping != null || pf != null) {
      Throwable e = stopping != null ? stopping : pf;
      if (stopping != null && pf != null) {
        stopping.addSuppressed(pf);
      }
      if (pf == null) {
        try {
          s.policy.result(s); // what the policy would have reported: nothing is lost
        } catch (Throwable failures) {
          stopping.addSuppressed(failures);
        }
      }
      Failures.attachMissing(e, s); // what the policy did not report (or could not: it broke)
      throw ScopeImpl.sneaky(e);
    }
    try {
      return s.policy.result(s);
    } catch (Throwable e) {
      Failures.attachMissing(e, s); // a policy that throws without every failure
      throw e;
    }
  }
}
