package dev.weft.stress.lockorder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/*
 * Property: a thread checks an acquisition against the locks it holds itself, even when the lock
 * was last taken by another thread, whose held locks the lock remembers (a thread that takes a
 * lock again finds its held locks there instead of in a thread-local).
 *
 * Why it matters: with another thread's held locks, an acquisition learns the wrong order (or
 * none), so a real inversion goes unreported, and it records itself in that other thread's
 * held-lock array, racing with its owner.
 *
 * Which bug fails it: using the lock's remembered held locks without checking that they are the
 * current thread's (their final thread id): when actor `alone` took b first, actor `nested`
 * takes b holding a but is checked against `alone`'s empty held locks, so a -> b is never
 * learned (r3 = 0).
 *
 * How: one checker under THROW, locks a and b. Actor alone takes and releases b; actor nested
 * takes a, then b, and releases both (Nest.take, timed: no cycle is possible, but a broken build
 * must not hang the run). Results: r1 = 0 if alone took b, r2 = 0 if nested took both, r3 = 1 if
 * the checker learned a -> b and nothing else, plus 10 if a or b is still locked afterwards.
 *  - Platform: the actors run on jcstress's own (platform) threads.
 *
 * How to run:
 *   stress-tests/run -t HeldLocksStayPerThread
 *
 * Results: docs/lock-ordering.md, "Verification".
 */
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "both took their locks; a -> b learned")
@Outcome(                expect = FORBIDDEN,  desc = "order lost or wrong, lock leaked, timeout")
@State
public class HeldLocksStayPerThread {
  final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
  final Lock a = checker.newLock("a");
  final Lock b = checker.newLock("b");

  int takeAlone() {
    try {
      if (!b.tryLock(10, TimeUnit.SECONDS)) {
        return ConcurrentEdgeInsertNoLostCycle.Nest.TIMED_OUT;
      }
      b.unlock();
      return ConcurrentEdgeInsertNoLostCycle.Nest.TOOK_BOTH;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ConcurrentEdgeInsertNoLostCycle.Nest.TIMED_OUT;
    }
  }

  int learnedAndFree() {
    int learned = checker.edges().equals(List.of("a -> b")) ? 1 : 0;
    boolean freeA = a.tryLock();
    if (freeA) {
      a.unlock();
    }
    boolean freeB = b.tryLock();
    if (freeB) {
      b.unlock();
    }
    return freeA && freeB ? learned : learned + 10;
  }

  @JCStressTest
  @JCStressMeta(HeldLocksStayPerThread.class)
  public static class Platform {
    @Actor
    public void alone(HeldLocksStayPerThread run, III_Result r) {
      r.r1 = run.takeAlone();
    }

    @Actor
    public void nested(HeldLocksStayPerThread run, III_Result r) {
      r.r2 = ConcurrentEdgeInsertNoLostCycle.Nest.take(run.a, run.b);
    }

    @Arbiter
    public void learned(HeldLocksStayPerThread run, III_Result r) {
      r.r3 = run.learnedAndFree();
    }
  }
}
