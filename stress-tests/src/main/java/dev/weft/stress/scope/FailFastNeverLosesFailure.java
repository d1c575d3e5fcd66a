package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import dev.weft.stress.shared.Gate;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Threads;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: under fail-fast, a failure racing with a success is never lost: join() always throws
 * TaskFailedException naming the failed task, with its exception as the cause.
 *
 * Why it matters: a lost failure turns a broken request into a "successful" one with missing
 * data, the worst kind of concurrency bug: silent and rare.
 *
 * Which bug fails it: the owner wakes from join() before the failing task's onComplete recorded
 * the failure (the unfinished-task count dropped too early), or the success's bookkeeping
 * overwrites the failure's.
 *
 * How: task "ok" returns at once; task "boom" throws when actor "release" opens its gate, so the
 * failure lands before, with or after the success. The outcome also says how "ok" ended.
 *
 * How to run:
 *   stress-tests/run -t FailFastNeverLosesFailure
 *
 * Results of the last deeper run (2026-11-25, JDK 25.0.3, 2 vCPUs shared with other builds):
 * stress-tests/run -- -sc false -fsm 1, i.e. -m default with 5 iterations of 1 s, one normal and one
 * stress fork, 4 JVM modes, summed. CI-pass figures are in docs/verification.md.
 *   Platform [OK]
 *     reported, ok cancelled      9,259  ACCEPTABLE
 *     reported, ok succeeded    357,517  ACCEPTABLE
 *   Virtual [OK]
 *     reported, ok cancelled        378  ACCEPTABLE
 *     reported, ok succeeded  1,772,149  ACCEPTABLE
 */
@Outcome(id = "reported, ok succeeded", expect = ACCEPTABLE, desc = "failure reported; ok ended first")
@Outcome(id = "reported, ok cancelled", expect = ACCEPTABLE, desc = "failure reported; it cancelled ok")
@Outcome(id = "lost",                   expect = FORBIDDEN,  desc = "join() returned normally: the failure was lost")
@Outcome(                               expect = FORBIDDEN,  desc = "join() threw something else")
@State
public class FailFastNeverLosesFailure {
  final Gate gate = new Gate(); // opened by actor "release"

  static final class Boom extends Exception {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom", null, false, false); // no stack trace: keep the body tiny
    }
  }

  static String race(Threads threads, Gate gate) {
    try (Scope<Void> s = Scope.open("fail-fast", threads.config())) {
      Task<Integer> ok = s.fork("ok", () -> 1);
      s.fork(
          "boom",
          () -> {
            gate.await();
            throw new Boom();
          });
      Joined<Void> j = Joined.join(s);
      if (j.failure() instanceof TaskFailedException e
          && e.getCause() instanceof Boom
          && "boom".equals(e.taskName())) {
        return "reported, ok " + ok.state().toString().toLowerCase();
      }
      return j.returned() ? "lost" : j.describe();
    }
  }

  @JCStressTest
  @JCStressMeta(FailFastNeverLosesFailure.class)
  public static class Virtual {
    @Actor
    public void owner(FailFastNeverLosesFailure run, L_Result r) {
      r.r1 = race(Threads.VIRTUAL, run.gate);
    }

    @Actor
    public void release(FailFastNeverLosesFailure run) {
      run.gate.open();
    }
  }

  @JCStressTest
  @JCStressMeta(FailFastNeverLosesFailure.class)
  public static class Platform {
    @Actor
    public void owner(FailFastNeverLosesFailure run, L_Result r) {
      r.r1 = race(Threads.PLATFORM, run.gate);
    }

    @Actor
    public void release(FailFastNeverLosesFailure run) {
      run.gate.open();
    }
  }
}
