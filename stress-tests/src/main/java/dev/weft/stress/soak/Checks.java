package dev.weft.stress.soak;

import dev.weft.scope.Task;
import dev.weft.stress.soak.DeliveryRule.Outcome;
import dev.weft.stress.soak.DeliveryRule.Verdict;
import dev.weft.stress.soak.Trail.ScopeTrail;
import dev.weft.stress.soak.Trail.TaskTrail;
import dev.weft.stress.soak.TreePlan.PolicyKind;
import dev.weft.stress.soak.Violation.Kind;
import java.util.List;
import java.util.Optional;

/**
 * The checks that run once a tree is over (its root closed): delivery of every injected failure, by
 * {@link DeliveryRule}, and what each scope's join() returned against its policy. The checks that
 * need the moment itself (limit, dependencies, final states, live threads) ran in {@link Trail} as
 * the events happened.
 */
final class Checks {
  private Checks() {}

  /** Checks every scope of {@code trail}, adding violations to it and counts to {@code counts}. */
  static void afterTree(Trail trail, Counts counts) {
    for (ScopeTrail st : trail.scopes()) {
      counts.scopes++;
      Outcome o = outcome(st);
      for (TaskTrail tt : st.tasks) {
        Task<Object> h = tt.handle;
        if (h == null) {
          continue; // not forked
        }
        counts.tasks++;
        if (h.state() == Task.State.SKIPPED && tt.starts.get() > 0) {
          trail.violation(Kind.DEPENDENCY, tt.where(), "is SKIPPED, but its body ran");
        }
        if (tt.thrown != null) {
          judge(
              trail,
              counts,
              st,
              tt.where(),
              "its body threw",
              tt.thrown,
              DeliveryRule.body(tt.thrown, tt.endedBeforeThrow, h, o),
              h);
        }
        if (tt.fallbackThrew != null) {
          judge(
              trail,
              counts,
              st,
              tt.where(),
              "its fallback threw",
              tt.fallbackThrew,
              DeliveryRule.fallback(tt.fallbackThrew, h, o),
              h);
        }
        Throwable saw = tt.fallbackSaw;
        if (saw != null && tt.fallbackThrew == null) {
          Optional<Throwable> recovered =
              h.state() == Task.State.SUCCEEDED ? h.recoveredFrom() : Optional.empty();
          if (recovered.isEmpty() || recovered.get() != saw) {
            trail.violation(
                Kind.LOST,
                tt.where(),
                Verdict.LOST_RECOVERED.id()
                    + ": its fallback replaced "
                    + saw
                    + ", but the task is "
                    + h.state()
                    + " with recoveredFrom "
                    + recovered);
          }
        }
      }
      TallyPolicy tally = st.tally;
      if (tally != null && tally.thrown() != null) {
        judge(
            trail,
            counts,
            st,
            st.where(),
            "its policy threw",
            tally.thrown(),
            DeliveryRule.policy(tally.thrown(), o),
            null);
      }
      checkResult(trail, st);
    }
  }

  // --- implementation ---

  private static Outcome outcome(ScopeTrail st) {
    int succeeded = 0;
    for (TaskTrail tt : st.tasks) {
      if (tt.handle != null && tt.handle.state() == Task.State.SUCCEEDED) {
        succeeded++;
      }
    }
    PolicyKind policy = st.plan.policy();
    boolean accepts =
        policy == PolicyKind.FIRST_SUCCESS && succeeded > 0
            || policy == PolicyKind.QUORUM && succeeded >= st.plan.quorum();
    boolean losers =
        st.joinReturned
            && (policy == PolicyKind.FIRST_SUCCESS
                || policy == PolicyKind.QUORUM
                || policy == PolicyKind.TALLY && st.tally.stopped());
    return Outcome.of(st.joinThrew, st.closeThrew, accepts, losers);
  }

  private static void judge(
      Trail trail,
      Counts counts,
      ScopeTrail st,
      String where,
      String what,
      Throwable thrown,
      Verdict v,
      Task<?> task) {
    counts.injected++;
    counts.verdict(v);
    if (!v.lost) {
      return;
    }
    StringBuilder sb =
        new StringBuilder(v.id()).append(": ").append(what).append(' ').append(thrown);
    if (task != null) {
      Task.State s = task.state();
      sb.append("; the task is ").append(s);
      if (s == Task.State.FAILED || s == Task.State.CANCELLED) {
        sb.append(" with ").append(task.exception());
      }
    }
    sb.append("; join() ")
        .append(st.joinReturned ? "returned " + st.joinValue : "threw " + st.joinThrew);
    trail.violation(v == Verdict.WRONG_STATE ? Kind.OUTCOME : Kind.LOST, where, sb.toString());
  }

  /** What join() returned, against the policy; a normal return is checked, a throw is not. */
  private static void checkResult(Trail trail, ScopeTrail st) {
    if (!st.joinReturned) {
      return;
    }
    List<Task<Object>> handles =
        st.tasks.stream().map(t -> t.handle).filter(h -> h != null).toList();
    long succeeded = handles.stream().filter(h -> h.state() == Task.State.SUCCEEDED).count();
    switch (st.plan.policy()) {
      case FAIL_FAST, COLLECT_ALL -> {
        for (Task<Object> h : handles) {
          if (h.state() != Task.State.SUCCEEDED) {
            trail.violation(
                Kind.OUTCOME,
                st.where() + " task '" + h.name() + "'",
                "is "
                    + h.state()
                    + ", yet join() of a "
                    + st.plan.policyText()
                    + " scope returned normally");
          }
        }
      }
      case FIRST_SUCCESS -> {
        Object v = st.joinValue;
        boolean fromWinner =
            handles.stream()
                .anyMatch(h -> h.state() == Task.State.SUCCEEDED && v != null && v.equals(h.get()));
        if (!fromWinner) {
          trail.violation(
              Kind.OUTCOME,
              st.where(),
              "join() returned " + v + ", which is no SUCCEEDED task's value");
        }
      }
      case QUORUM -> {
        int size = st.joinValue instanceof List<?> l ? l.size() : -1;
        if (size < st.plan.quorum() || size > succeeded) {
          trail.violation(
              Kind.OUTCOME,
              st.where(),
              "join() returned "
                  + size
                  + " values for "
                  + st.plan.policyText()
                  + " with "
                  + succeeded
                  + " tasks SUCCEEDED");
        }
      }
      case TALLY -> {
        if (!Integer.valueOf((int) succeeded).equals(st.joinValue)) {
          trail.violation(
              Kind.OUTCOME,
              st.where(),
              "join() returned " + st.joinValue + " with " + succeeded + " tasks SUCCEEDED");
        }
      }
    }
  }
}
