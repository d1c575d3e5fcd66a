package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.stress.shared.Gate;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Published;
import dev.weft.stress.shared.Threads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: a scope opened inside a task while another thread cancels the task's scope is
 * cancelled too: either the parent's cancel finds it among its children, or the new scope sees
 * the parent's stop as it opens. Two tasks open their scopes at once, so the first two children
 * of the parent race to create its set of children as well.
 *
 * Why it matters: cancellation reaches the whole subtree only through that set. The set is
 * created by the first child (most scopes have none, and the set costs 88 bytes), with a CAS on
 * the parent's field; a child writes the field (or reads it set) and adds itself before it reads
 * the parent's stop, a cancel sets the stop before it reads the field. A child missed by both
 * sides runs on after its parent was cancelled, and its join() waits for work nobody stops.
 *
 * Which bug fails it: creating the set with a plain write (the second child's set replaces the
 * first's, whose child the walk then misses), or reading the parent's stop before the add.
 *
 * How: the owner opens the parent and forks two tasks; each says it started, opens a nested
 * scope, then waits (ignoring interrupts, bounded) until the canceller's cancel() returned, and
 * reports whether its nested scope is cancelled by then. The canceller cancels the parent once
 * both bodies started, so the cancel lands just before, between or after the two opens. The owner
 * joins the parent (under a watchdog), closes it and reports both.
 *
 * How to run:
 *   stress-tests/run -t NestedOpenRacesCancel
 */
@Outcome(id = "cancelled, cancelled", expect = ACCEPTABLE, desc = "both nested scopes were cancelled")
@Outcome(                             expect = FORBIDDEN,  desc = "a nested scope missed the parent's cancel")
@State
public class NestedOpenRacesCancel {

  final Published<Scope<Void>> parent = new Published<>();
  // started: counted down by each task body before it opens its nested scope.
  final CountDownLatch started = new CountDownLatch(2);
  // cancelled: opened by the canceller once cancel() returned.
  final Gate cancelled = new Gate();
  final AtomicReference<String> a = new AtomicReference<>("not run");
  final AtomicReference<String> b = new AtomicReference<>("not run");

  String owner(Threads threads) {
    Scope<Void> p = Scope.open("parent", Policy.collectAll(), threads.config());
    parent.set(p);
    p.fork("a", () -> openNested(threads, a));
    p.fork("b", () -> openNested(threads, b));
    Joined<Void> j = Joined.join(p);
    p.close();
    return j.hung() ? "hung" : a.get() + ", " + b.get();
  }

  /** A task body: opens a scope, waits for the cancel to return, reports whether it reached it. */
  private String openNested(Threads threads, AtomicReference<String> report) {
    started.countDown();
    try (Scope<Void> nested = Scope.open("nested", Policy.collectAll(), threads.config())) {
      if (!cancelled.awaitIgnoringInterrupts()) {
        report.set("canceller never came");
      } else {
        report.set(nested.isCancelled() ? "cancelled" : "running");
      }
      Thread.interrupted(); // the task's own cancel may have interrupted it: join the nested scope
      Joined.join(nested);
    }
    return null;
  }

  void cancel() {
    Scope<Void> p = parent.await();
    try {
      if (!started.await(Gate.BOUND_SECONDS, TimeUnit.SECONDS)) {
        return; // not expected (no cancel has happened): the bodies report "canceller never came"
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // not expected either: jcstress does not interrupt its actors
    }
    if (p != null) {
      p.cancel();
    }
    cancelled.open();
  }

  @JCStressTest
  @JCStressMeta(NestedOpenRacesCancel.class)
  public static class Virtual {
    @Actor
    public void owner(NestedOpenRacesCancel run, L_Result r) {
      r.r1 = run.owner(Threads.VIRTUAL);
    }

    @Actor
    public void canceller(NestedOpenRacesCancel run) {
      run.cancel();
    }
  }

  @JCStressTest
  @JCStressMeta(NestedOpenRacesCancel.class)
  public static class Platform {
    @Actor
    public void owner(NestedOpenRacesCancel run, L_Result r) {
      r.r1 = run.owner(Threads.PLATFORM);
    }

    @Actor
    public void canceller(NestedOpenRacesCancel run) {
      run.cancel();
    }
  }
}
