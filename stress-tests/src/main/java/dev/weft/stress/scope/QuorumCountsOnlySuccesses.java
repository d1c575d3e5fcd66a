package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.shared.Gate;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Published;
import dev.weft.stress.shared.Threads;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: under quorum(k), join() returns only with at least k successes, its list holds
 * exactly the values of the tasks that ended SUCCEEDED, and a cancelled task is never counted.
 *
 * Why it matters: quorum reads ("2 of 3 replicas") are only as safe as the count. Counting a
 * cancelled task returns fewer real answers than asked for, or a value that was never produced.
 *
 * Which bug fails it: onComplete counting a task by "not failed" instead of "succeeded" (the
 * tasks cancelled once the quorum is reached then count, and their get() throws), a list that
 * misses a success, or join returning before k successes.
 *
 * How:
 *  - LateThird (LateThirdVirtual, LateThirdPlatform): quorum(2) of a (1, at once), b (2, at once)
 *    and c (3, after actor "release" opens its gate): c ends SUCCEEDED or is cancelled by the
 *    quorum, racing.
 *  - ExternalCancel (ExternalCancelVirtual): quorum(2) of a and b (both return at once), while
 *    actor "canceller" cancels the scope: join either reaches the quorum or throws
 *    CancellationException.
 *
 * How to run:
 *   stress-tests/run -t QuorumCountsOnlySuccesses
 *
 * Results of the last deeper run (2026-11-25, JDK 25.0.3, 2 vCPUs shared with other builds):
 * stress-tests/run -- -sc false -fsm 1, i.e. -m default with 5 iterations of 1 s, one normal and one
 * stress fork, 4 JVM modes, summed. CI-pass figures are in docs/verification.md.
 *   ExternalCancelVirtual [OK]
 *     2 of 2       843,988  ACCEPTABLE
 *     cancelled  1,390,186  ACCEPTABLE
 *   LateThirdPlatform [OK]
 *     2 of 3       332,137  ACCEPTABLE
 *     3 of 3         3,434  ACCEPTABLE
 *   LateThirdVirtual [OK]
 *     2 of 3     1,760,955  ACCEPTABLE
 *     3 of 3         2,925  ACCEPTABLE
 */
public class QuorumCountsOnlySuccesses {

  /** "k of n": the size of the returned list, checked against the tasks' final states. */
  static String check(Joined<List<Integer>> j, int k, List<Task<Integer>> tasks) {
    if (!j.returned()) {
      return j.cancelled() ? "cancelled" : j.describe();
    }
    List<Integer> succeeded = new ArrayList<>();
    for (Task<Integer> t : tasks) {
      if (t.state() == Task.State.SUCCEEDED) {
        succeeded.add(t.get());
      }
    }
    List<Integer> got = new ArrayList<>(j.value());
    got.sort(null);
    succeeded.sort(null);
    if (got.size() < k || !got.equals(succeeded)) {
      return "returned " + j.value() + " but succeeded " + succeeded;
    }
    return got.size() + " of " + tasks.size();
  }

  static String lateThird(Threads threads, Gate gate) {
    try (Scope<List<Integer>> s =
        Scope.open("quorum", Policy.<Integer>quorum(2), threads.config())) {
      Task<Integer> a = s.fork("a", () -> 1);
      Task<Integer> b = s.fork("b", () -> 2);
      Task<Integer> c =
          s.fork(
              "c",
              () -> {
                gate.await();
                return 3;
              });
      return check(Joined.join(s), 2, List.of(a, b, c));
    }
  }

  /** LateThird: c ends at the gate, racing the cancel that the quorum of a and b sends. */
  @Outcome(id = "2 of 3", expect = ACCEPTABLE, desc = "quorum reached; c was cancelled and not counted")
  @Outcome(id = "3 of 3", expect = ACCEPTABLE, desc = "c succeeded before the cancel reached it; all counted")
  @Outcome(               expect = FORBIDDEN,  desc = "a cancelled task counted, a success lost, or too few")
  @State
  public static class LateThird {
    final Gate gate = new Gate();
  }

  @JCStressTest
  @JCStressMeta(LateThird.class)
  public static class LateThirdVirtual {
    @Actor
    public void owner(LateThird run, L_Result r) {
      r.r1 = lateThird(Threads.VIRTUAL, run.gate);
    }

    @Actor
    public void release(LateThird run) {
      run.gate.open();
    }
  }

  @JCStressTest
  @JCStressMeta(LateThird.class)
  public static class LateThirdPlatform {
    @Actor
    public void owner(LateThird run, L_Result r) {
      r.r1 = lateThird(Threads.PLATFORM, run.gate);
    }

    @Actor
    public void release(LateThird run) {
      run.gate.open();
    }
  }

  /** ExternalCancel: another thread cancels the scope while the quorum forms. */
  @Outcome(id = "2 of 2",    expect = ACCEPTABLE, desc = "quorum reached before the cancel")
  @Outcome(id = "cancelled", expect = ACCEPTABLE, desc = "the cancel came first; no quorum")
  @Outcome(                  expect = FORBIDDEN,  desc = "a cancelled task counted toward the quorum")
  @State
  public static class ExternalCancel {
    final Published<Scope<List<Integer>>> scope = new Published<>();
  }

  @JCStressTest
  @JCStressMeta(ExternalCancel.class)
  public static class ExternalCancelVirtual {
    @Actor
    public void owner(ExternalCancel run, L_Result r) {
      try (Scope<List<Integer>> s = Scope.open("quorum-cancel", Policy.<Integer>quorum(2))) {
        run.scope.set(s);
        Task<Integer> a = s.fork("a", () -> 1);
        Task<Integer> b = s.fork("b", () -> 2);
        r.r1 = check(Joined.join(s), 2, List.of(a, b));
      }
    }

    @Actor
    public void canceller(ExternalCancel run) {
      Scope<List<Integer>> s = run.scope.await();
      if (s != null) {
        s.cancel();
      }
    }
  }
}
