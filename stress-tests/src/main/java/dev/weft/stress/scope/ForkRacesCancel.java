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
import org.openjdk.jcstress.annotations.JCStressMeta;
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
 * How: the owner forks three tasks; actor "canceller" cancels the scope as soon as it is open,
 * so the cancel lands before, between or after the forks. Once both actors are past their part
 * (the owner's three forks returned, cancel() returned), every task must already be CANCELLED:
 * the cancel's walk and a fork that saw the cancel both publish that before they return. The
 * owner then reads the three states (the result) and joins. Each body waits for that moment too
 * and returns if nobody interrupted it, so a missed task that was started shows as "running" and
 * then ends on its own. A missed task that was never started ("pending") would keep join() and
 * close() waiting forever: in that case only (a failing run) the owner leaves the scope open, so
 * that the run reports the outcome instead of hanging.
 *
 * How to run:
 *   stress-tests/run -t ForkRacesCancel
 *
 * Results of a CI-mode run (2026-12-01, JDK 25.0.3 Temurin, 2 vCPUs AMD EPYC, shared with other
 * builds, load average about 4): stress-tests/run --ci -t ForkRacesCancel, i.e. -m quick -sc
 * false -iters 1 -time 100, 4 JVM modes, summed.
 *   Platform [OK]
 *     cancelled, cancelled, cancelled     35,278  ACCEPTABLE
 *   Virtual [OK]
 *     cancelled, cancelled, cancelled     32,092  ACCEPTABLE
 */
@Outcome(id = "cancelled, cancelled, cancelled", expect = ACCEPTABLE, desc = "every task was cancelled, by the walk or by its fork")
@Outcome(                                         expect = FORBIDDEN,  desc = "a task was missed: it runs on, or waits to start, after the cancel")
@State
public class ForkRacesCancel {

  // The per-iteration objects both actors see.
  final Published<Scope<Void>> scope = new Published<>();
  // bothPast: counted down by the owner after its forks and by the canceller after cancel().
  final CountDownLatch bothPast = new CountDownLatch(2);

  String owner(Threads threads) {
    Scope<Void> s = Scope.open("fork-race", Policy.collectAll(), threads.config());
    scope.set(s);
    Task<String> a = s.fork("a", this::checkInterrupted);
    Task<String> b = s.fork("b", this::checkInterrupted);
    Task<String> c = s.fork("c", this::checkInterrupted);
    bothPast.countDown();
    if (!awaitBothPast()) {
      return "canceller never came"; // not expected: the canceller never blocks
    }
    String states = state(a) + ", " + state(b) + ", " + state(c);
    if (states.contains("pending")) {
      return states; // see the class comment: joining or closing would wait forever
    }
    Joined<Void> j = Joined.join(s);
    s.close();
    return j.hung() ? "hung" : states;
  }

  private boolean awaitBothPast() {
    try {
      return bothPast.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
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

  @JCStressTest
  @JCStressMeta(ForkRacesCancel.class)
  public static class Virtual {
    @Actor
    public void owner(ForkRacesCancel run, L_Result r) {
      r.r1 = run.owner(Threads.VIRTUAL);
    }

    @Actor
    public void canceller(ForkRacesCancel run) {
      run.cancel();
    }
  }

  @JCStressTest
  @JCStressMeta(ForkRacesCancel.class)
  public static class Platform {
    @Actor
    public void owner(ForkRacesCancel run, L_Result r) {
      r.r1 = run.owner(Threads.PLATFORM);
    }

    @Actor
    public void canceller(ForkRacesCancel run) {
      run.cancel();
    }
  }
}
