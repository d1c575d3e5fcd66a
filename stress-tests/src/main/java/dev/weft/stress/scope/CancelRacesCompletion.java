package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.shared.CountingPolicy;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Published;
import dev.weft.stress.shared.Threads;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/*
 * Property: when cancel() races with a task's completion, the task ends in exactly one final
 * state (reported to the policy once, never changing afterwards), and a cancelled task's result
 * is never delivered: not to a dependent, not through get().
 *
 * Why it matters: the state CAS is the one decision everything else trusts. Two final states
 * mean two onComplete calls (a failure counted twice, a winner chosen twice); a delivered result
 * of a cancelled task means work the caller gave up on leaks into the result.
 *
 * Which bug fails it: a plain write instead of the CAS into COMPLETING (the task thread and the
 * canceller both "win"), or publishing the final state before the outcome.
 *
 * How: the owner forks "a" (returns 42 at once) and "b"(a), which records the value it was given,
 * and joins; actor "canceller" cancels the scope from another thread as soon as it is open. The
 * first word is a's state at join, "delivered" means b's body received a's value. The arbiter
 * adds a's state once more and how many times the policy was told that a ended.
 *
 * How to run:
 *   stress-tests/run -t CancelRacesCompletion
 *
 * Results of the last deeper run (2026-11-25, JDK 25.0.3, 2 vCPUs shared with other builds):
 * stress-tests/run -- -sc false -fsm 1, i.e. -m default with 5 iterations of 1 s, one normal and one
 * stress fork, 4 JVM modes, summed. CI-pass figures are in docs/verification.md.
 *   Platform [OK]
 *     cancelled, withheld, cancelled, told 1        847,498  ACCEPTABLE
 *     succeeded, delivered 42, succeeded, told 1     56,088  ACCEPTABLE
 *     succeeded, withheld, succeeded, told 1          7,892  ACCEPTABLE
 *   Virtual [OK]
 *     cancelled, withheld, cancelled, told 1      1,018,208  ACCEPTABLE
 *     succeeded, delivered 42, succeeded, told 1  1,029,753  ACCEPTABLE
 *     succeeded, withheld, succeeded, told 1        144,139  ACCEPTABLE
 */
@Outcome(id = "succeeded, delivered 42, succeeded, told 1", expect = ACCEPTABLE, desc = "a won the race; b received its value")
@Outcome(id = "succeeded, withheld, succeeded, told 1",     expect = ACCEPTABLE, desc = "a succeeded; the cancel stopped b before it started")
@Outcome(id = "cancelled, withheld, cancelled, told 1",     expect = ACCEPTABLE, desc = "the cancel won; a's result was discarded")
@Outcome(                                                   expect = FORBIDDEN,  desc = "two final states, or a cancelled result delivered")
@State
public class CancelRacesCompletion {
  // The per-iteration objects both actors and the arbiter see.
  final Published<Scope<Void>> scope = new Published<>();
  final CountingPolicy<Void> policy = new CountingPolicy<>(Policy.collectAll());
  volatile Task<Integer> a;
  volatile Integer delivered; // written by b's body

  String owner(Threads threads) {
    try (Scope<Void> s = Scope.open("cancel-race", policy, threads.config())) {
      scope.set(s);
      Task<Integer> ta = s.fork("a", () -> 42);
      a = ta;
      s.fork("b", ta, v -> delivered = v);
      Joined<Void> j = Joined.join(s);
      if (j.hung()) {
        return "hung";
      }
      String state = ta.state().toString().toLowerCase();
      return state + (delivered != null ? ", delivered " + delivered : ", withheld");
    }
  }

  void cancel() {
    Scope<Void> s = scope.await();
    if (s != null) {
      s.cancel();
    }
  }

  String after() {
    Task<Integer> t = a;
    return t.state().toString().toLowerCase() + ", told " + policy.endings(t);
  }

  @JCStressTest
  @JCStressMeta(CancelRacesCompletion.class)
  public static class Virtual {
    @Actor
    public void owner(CancelRacesCompletion run, LL_Result r) {
      r.r1 = run.owner(Threads.VIRTUAL);
    }

    @Actor
    public void canceller(CancelRacesCompletion run) {
      run.cancel();
    }

    @Arbiter
    public void after(CancelRacesCompletion run, LL_Result r) {
      r.r2 = run.after();
    }
  }

  @JCStressTest
  @JCStressMeta(CancelRacesCompletion.class)
  public static class Platform {
    @Actor
    public void owner(CancelRacesCompletion run, LL_Result r) {
      r.r1 = run.owner(Threads.PLATFORM);
    }

    @Actor
    public void canceller(CancelRacesCompletion run) {
      run.cancel();
    }

    @Arbiter
    public void after(CancelRacesCompletion run, LL_Result r) {
      r.r2 = run.after();
    }
  }
}
