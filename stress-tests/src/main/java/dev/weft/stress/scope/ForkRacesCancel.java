package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Published;
import dev.weft.stress.shared.Threads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: a task forked while another thread cancels the scope is cancelled: either the
 * cancel's walk over the tasks finds it (and interrupts it if it started), or the fork sees the
 * cancel and cancels it itself. No forked task is left running after both have returned.
 *
 * Why it matters: a fork does not take a lock or touch a shared counter; the scope's task list
 * orders a fork and a stop with one atomic field (TaskList.ctl: the count of published tasks and
 * a stop bit). If that ordering breaks, a task forked at the moment of a cancel or a deadline is
 * missed by both sides: it runs on after the scope was cancelled, and join() waits for it.
 *
 * Which bug fails it: publishing a task with a plain write of the count (or reading the stop bit
 * in a separate step), so that a stop's walk misses the task and the fork misses the stop.
 *
 * How: the owner forks three tasks, then joins; actor "canceller" cancels the scope as soon as
 * it is open, so the cancel lands before, between or after the forks. Once both actors are past
 * their part (the owner's three forks returned, cancel() returned), every task must have been
 * interrupted or never started: each body waits for that moment and then checks its interrupt
 * status, returning "missed" if nobody interrupted it. The result lists the three tasks' final
 * states; a missed task ends "succeeded".
 *
 * How to run:
 *   stress-tests/run -t ForkRacesCancel
 */
public class ForkRacesCancel {

  /** The per-iteration objects both actors see. */
  static final class Run {
    final Published<Scope<Void>> scope = new Published<>();
    // bothPast: counted down by the owner after its forks and by the canceller after cancel().
    final CountDownLatch bothPast = new CountDownLatch(2);

    String owner(Threads threads) {
      try (Scope<Void> s = Scope.open("fork-race", Policy.collectAll(), threads.config())) {
        scope.set(s);
        Task<String> a = s.fork("a", this::checkInterrupted);
        Task<String> b = s.fork("b", this::checkInterrupted);
        Task<String> c = s.fork("c", this::checkInterrupted);
        bothPast.countDown();
        Joined<Void> j = Joined.join(s);
        if (j.hung()) {
          return "hung";
        }
        return state(a) + ", " + state(b) + ", " + state(c);
      }
    }

    void cancel() {
      Scope<Void> s = scope.await();
      if (s != null) {
        s.cancel();
      }
      bothPast.countDown();
    }

    /** A task body: throws once interrupted; returns if both actors are past and it was not. */
    private String checkInterrupted() throws InterruptedException {
      if (!bothPast.await(10, TimeUnit.SECONDS)) { // bounded, so a bug cannot hang the run
        return "timed out";
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      return "missed";
    }

    private static String state(Task<?> t) {
      return t.state().toString().toLowerCase();
    }
  }

  @JCStressTest
  @Outcome(id = "cancelled, cancelled, cancelled", expect = ACCEPTABLE, desc = "every task was cancelled, by the walk or by its fork")
  @Outcome(                                         expect = FORBIDDEN,  desc = "a task was missed: it ran on after the cancel")
  @State
  public static class Virtual {
    final Run run = new Run();

    @Actor
    public void owner(L_Result r) {
      r.r1 = run.owner(Threads.VIRTUAL);
    }

    @Actor
    public void canceller() {
      run.cancel();
    }
  }

  @JCStressTest
  @Outcome(id = "cancelled, cancelled, cancelled", expect = ACCEPTABLE, desc = "every task was cancelled, by the walk or by its fork")
  @Outcome(                                         expect = FORBIDDEN,  desc = "a task was missed: it ran on after the cancel")
  @State
  public static class Platform {
    final Run run = new Run();

    @Actor
    public void owner(L_Result r) {
      r.r1 = run.owner(Threads.PLATFORM);
    }

    @Actor
    public void canceller() {
      run.cancel();
    }
  }
}
