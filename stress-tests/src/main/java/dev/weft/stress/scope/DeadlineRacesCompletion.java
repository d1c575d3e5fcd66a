package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.DeadlineExceededException;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.shared.Gate;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: when the deadline races with completion, join() either returns with every task
 * SUCCEEDED, or throws DeadlineExceededException naming exactly the tasks that did not succeed.
 * Never a mix: join() returning normally while a task was cancelled by the deadline would hide
 * that task's missing result.
 *
 * Why it matters: callers read every task's get() after a normal join(); a cancelled task there
 * throws far from the cause, or (with defaults) a response goes out with a hole in it.
 *
 * Which bug fails it: the deadline timer cancels a task (the last unfinished one), which lets
 * the owner's join() return, before the timer has recorded that task as a deadline victim; the
 * owner then finds no victim and returns normally. Also: a victim list that misses a task, or a
 * task that succeeded named as unfinished.
 *
 * How: the scope has a 100 us timeout, shorter than most iterations.
 *  - Race (RaceVirtual, RacePlatform): "quick" returns at once, "late" returns when actor
 *    "release" opens its gate.
 *  - AtDeadline (AtDeadlineVirtual): "late" never returns on its own (it ends when the deadline
 *    interrupts it), so the timer and the owner's own deadline check wake at the same moment in
 *    every iteration.
 *
 * Found a real core bug (fixed): the timer cancelled a task before it recorded it as a
 * deadline victim, so join() could return normally (or name too few tasks). The fix derives the
 * unfinished tasks from the final states once join() has seen every task end. See
 * docs/verification.md, "Core bugs found", bug 1, and
 * ScopeRegressionTest.join_deadlineCancelsLastTask_throwsDeadlineExceededNotReturns. The results
 * table below predates the fix; CI-pass figures after it are in docs/verification.md.
 *
 * How to run:
 *   stress-tests/run -t DeadlineRacesCompletion
 *
 * Results of the last deeper run (2026-11-25, JDK 25.0.3, 2 vCPUs shared with other builds):
 * stress-tests/run -- -sc false -fsm 1, i.e. -m default with 5 iterations of 1 s, one normal and one
 * stress fork, 4 JVM modes, summed. CI-pass figures are in docs/verification.md.
 *   AtDeadlineVirtual [FAILED]
 *     returned, but [late] cancelled                              32,192  FORBIDDEN
 *     timeout [late]                                             545,171  ACCEPTABLE
 *     timeout [quick, late]                                        5,153  ACCEPTABLE
 *     timeout names [late] but [quick, late] did not succeed           3  FORBIDDEN
 *     timeout names [quick] but [quick, late] did not succeed          2  FORBIDDEN
 *   RacePlatform [FAILED]
 *     all results                                                 68,260  ACCEPTABLE
 *     returned, but [late] cancelled                                 526  FORBIDDEN
 *     returned, but [quick] cancelled                                 86  FORBIDDEN
 *     timeout [late]                                              69,769  ACCEPTABLE
 *     timeout [quick, late]                                       41,046  ACCEPTABLE
 *     timeout [quick]                                              1,685  ACCEPTABLE
 *     timeout names [late] but [quick, late] did not succeed          17  FORBIDDEN
 *     timeout names [quick] but [quick, late] did not succeed         18  FORBIDDEN
 *   RaceVirtual [FAILED]
 *     all results                                              1,594,871  ACCEPTABLE
 *     returned, but [late] cancelled                                 406  FORBIDDEN
 *     returned, but [quick] cancelled                                  8  FORBIDDEN
 *     timeout [late]                                              37,454  ACCEPTABLE
 *     timeout [quick, late]                                        6,331  ACCEPTABLE
 *     timeout [quick]                                                299  ACCEPTABLE
 *     timeout names [late] but [quick, late] did not succeed           2  FORBIDDEN
 *     timeout names [quick] but [quick, late] did not succeed          7  FORBIDDEN
 */
public class DeadlineRacesCompletion {
  static final Duration TIMEOUT = Duration.ofNanos(100_000);

  static String race(Threads threads, Gate quickGate, Gate lateGate) {
    try (Scope<Void> s = Scope.open("deadline", threads.config(c -> c.withTimeout(TIMEOUT)))) {
      s.fork(
          "quick",
          () -> {
            if (quickGate != null) {
              quickGate.await();
            }
            return 1;
          });
      s.fork(
          "late",
          () -> {
            lateGate.await();
            return 2;
          });
      Joined<Void> j = Joined.join(s);
      List<String> notSucceeded = new ArrayList<>();
      for (Task<?> t : s.tasks()) {
        if (t.state() != Task.State.SUCCEEDED) {
          notSucceeded.add(t.name());
        }
      }
      if (j.returned()) {
        return notSucceeded.isEmpty()
            ? "all results"
            : "returned, but " + notSucceeded + " cancelled";
      }
      if (j.failure() instanceof DeadlineExceededException e) {
        if (!notSucceeded.isEmpty() && e.unfinishedTasks().equals(notSucceeded)) {
          return "timeout " + notSucceeded;
        }
        return "timeout names " + e.unfinishedTasks() + " but " + notSucceeded + " did not succeed";
      }
      return j.describe();
    }
  }

  /** Race: late returns when actor "release" opens its gate. */
  @Outcome(id = "all results",            expect = ACCEPTABLE, desc = "every task ended in time")
  @Outcome(id = "timeout [late]",         expect = ACCEPTABLE, desc = "the deadline cancelled late; quick kept its result")
  @Outcome(id = "timeout [quick]",        expect = ACCEPTABLE, desc = "the deadline cancelled quick (not yet started); late kept its result")
  @Outcome(id = "timeout [quick, late]",  expect = ACCEPTABLE, desc = "the deadline came before either ended")
  @Outcome(                               expect = FORBIDDEN,  desc = "a mix: a hidden or misnamed result")
  @State
  public static class Race {
    final Gate gate = new Gate();
  }

  @JCStressTest
  @JCStressMeta(Race.class)
  public static class RaceVirtual {
    @Actor
    public void owner(Race run, L_Result r) {
      r.r1 = race(Threads.VIRTUAL, null, run.gate);
    }

    @Actor
    public void release(Race run) {
      run.gate.open();
    }
  }

  @JCStressTest
  @JCStressMeta(Race.class)
  public static class RacePlatform {
    @Actor
    public void owner(Race run, L_Result r) {
      r.r1 = race(Threads.PLATFORM, null, run.gate);
    }

    @Actor
    public void release(Race run) {
      run.gate.open();
    }
  }

  /** AtDeadline: late ends only when the deadline interrupts it. */
  @Outcome(id = "timeout [late]",         expect = ACCEPTABLE, desc = "the deadline cancelled late; quick kept its result")
  @Outcome(id = "timeout [quick, late]",  expect = ACCEPTABLE, desc = "the deadline came before either ended")
  @Outcome(                               expect = FORBIDDEN,  desc = "late cannot finish: returning normally hides its result")
  @State
  public static class AtDeadline {
    final Gate quick = new Gate();
    final Gate never = new Gate(); // nobody opens it: late ends when the deadline interrupts it
  }

  @JCStressTest
  @JCStressMeta(AtDeadline.class)
  public static class AtDeadlineVirtual {
    @Actor
    public void owner(AtDeadline run, L_Result r) {
      r.r1 = race(Threads.VIRTUAL, run.quick, run.never);
    }

    @Actor
    public void release(AtDeadline run) {
      run.quick.open();
    }
  }
}
