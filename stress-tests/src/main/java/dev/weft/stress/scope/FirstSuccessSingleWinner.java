package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.shared.CountingPolicy;
import dev.weft.stress.shared.Gate;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Threads;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: under first-success, exactly one task wins, and join() returns the winner's value.
 * The loser is either cancelled or (if it succeeded before the cancellation reached it) ends
 * SUCCEEDED too, but it does not win and its value is not returned.
 *
 * Why it matters: a racing "hedged request" must return one answer. Two winners mean two
 * cancellation waves and a value that depends on which write landed last.
 *
 * Which bug fails it: choosing the winner without a CAS (two concurrent successes both "win"),
 * returning the last success instead of the winner, or returning the value of a task that was
 * cancelled.
 *
 * How: a policy wrapper (CountingPolicy) records for which tasks the first-success policy asked
 * to stop the scope: those are its winners. Task a returns 1 at once; task b returns 2 when actor
 * "release" opens its gate, so the two successes race.
 *
 * How to run:
 *   stress-tests/run -t FirstSuccessSingleWinner
 *
 * Results of the last deeper run (2026-11-25, JDK 25.0.3, 2 vCPUs shared with other builds):
 * stress-tests/run -- -sc false -fsm 1, i.e. -m default with 5 iterations of 1 s, one normal and one
 * stress fork, 4 JVM modes, summed. CI-pass figures are in docs/verification.md.
 *   Platform [OK]
 *     a won, b cancelled    240,446  ACCEPTABLE
 *     a won, b succeeded        628  ACCEPTABLE
 *     b won, a cancelled      6,031  ACCEPTABLE
 *     b won, a succeeded        306  ACCEPTABLE
 *   Virtual [OK]
 *     a won, b cancelled  1,656,612  ACCEPTABLE
 *     a won, b succeeded      4,458  ACCEPTABLE
 *     b won, a cancelled        338  ACCEPTABLE
 *     b won, a succeeded        858  ACCEPTABLE
 */
@Outcome(id = "a won, b cancelled", expect = ACCEPTABLE, desc = "a won; b was cancelled")
@Outcome(id = "a won, b succeeded", expect = ACCEPTABLE, desc = "a won; b succeeded before the cancel reached it")
@Outcome(id = "b won, a cancelled", expect = ACCEPTABLE, desc = "b won; a was cancelled")
@Outcome(id = "b won, a succeeded", expect = ACCEPTABLE, desc = "b won; a succeeded before the cancel reached it")
@Outcome(                           expect = FORBIDDEN,  desc = "no winner, two winners, or a value that is not the winner's")
@State
public class FirstSuccessSingleWinner {
  final Gate gate = new Gate(); // opened by actor "release"

  static String race(Threads threads, Gate gate) {
    CountingPolicy<Integer> policy = new CountingPolicy<>(Policy.firstSuccess());
    try (Scope<Integer> s = Scope.open("first", policy, threads.config())) {
      Task<Integer> a = s.fork("a", () -> 1);
      Task<Integer> b =
          s.fork(
              "b",
              () -> {
                gate.await();
                return 2;
              });
      Joined<Integer> j = Joined.join(s);
      List<Task<?>> winners = policy.stoppedBy();
      if (!j.returned()) {
        return j.describe();
      }
      if (winners.size() != 1) {
        return winners.size() + " winners";
      }
      Task<?> winner = winners.get(0);
      Task<?> loser = winner == a ? b : a;
      if (winner.state() != Task.State.SUCCEEDED || !j.value().equals(winner.get())) {
        return "returned " + j.value() + " but " + winner.name() + " won (" + winner.state() + ")";
      }
      return winner.name() + " won, " + loser.name() + " " + loser.state().toString().toLowerCase();
    }
  }

  @JCStressTest
  @JCStressMeta(FirstSuccessSingleWinner.class)
  public static class Virtual {
    @Actor
    public void owner(FirstSuccessSingleWinner run, L_Result r) {
      r.r1 = race(Threads.VIRTUAL, run.gate);
    }

    @Actor
    public void release(FirstSuccessSingleWinner run) {
      run.gate.open();
    }
  }

  @JCStressTest
  @JCStressMeta(FirstSuccessSingleWinner.class)
  public static class Platform {
    @Actor
    public void owner(FirstSuccessSingleWinner run, L_Result r) {
      r.r1 = race(Threads.PLATFORM, run.gate);
    }

    @Actor
    public void release(FirstSuccessSingleWinner run) {
      run.gate.open();
    }
  }
}
