package dev.weft.stress.lockorder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.LockOrderViolationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/*
 * Property: two threads that learn a -> b and b -> a at the same moment never both get through
 * unreported; at least one of them reports the cycle.
 *
 * Why it matters: Guava's CycleDetectingLockFactory can miss exactly this (its comment accepts
 * the race), and a missed report here is the deadlock the checker exists to prevent.
 *
 * Which bug fails it: searching for a path back and inserting the new edge in separate critical
 * sections (or without the graph lock), so that each thread searches before the other inserts
 * and both see an acyclic graph; or a fast path that trusts a held chain before its edges are in
 * the graph. The checker searches and inserts each new edge under the graph lock, so the second
 * thread's search sees the first thread's edge.
 *
 * How: under THROW, actor aThenB takes a then b, actor bThenA takes b then a. Actors take the
 * inner lock with a timed tryLock, so a lost report shows as a timeout instead of hanging the
 * run. Result per actor: 0 took both locks, 1 reported the cycle, 2 timed out.
 *  - Platform: the actors take the locks on jcstress's own (platform) threads.
 *  - Virtual: each actor runs its acquisitions in a fresh virtual thread: held state follows it.
 *
 * How to run:
 *   stress-tests/run -t ConcurrentEdgeInsertNoLostCycle
 *
 * Results of the last recorded runs (JDK 25, 2 cores, -m quick -sc false -iters 1 -time 100;
 * Platform on a quiet machine, before Virtual existed; Virtual on a loaded machine). See
 * docs/lock-ordering.md, "Verification".
 *   Platform [OK]
 *     0, 0          0  FORBIDDEN
 *     0, 1    560,840  ACCEPTABLE
 *     1, 0     71,112  ACCEPTABLE
 *   Virtual [OK]
 *     0, 0          0  FORBIDDEN
 *     0, 1      4,861  ACCEPTABLE
 *     1, 0      2,999  ACCEPTABLE
 */
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "actor 1 learned a -> b first, actor 2 reported")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 learned b -> a first, actor 1 reported")
@Outcome(id = "0, 0", expect = FORBIDDEN,  desc = "lost cycle: both orders learned, no report")
@Outcome(             expect = FORBIDDEN,  desc = "timeout or double report: a lost or wrong check")
@State
public class ConcurrentEdgeInsertNoLostCycle {
  final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
  final Lock a = checker.newLock("a");
  final Lock b = checker.newLock("b");

  @JCStressTest
  @JCStressMeta(ConcurrentEdgeInsertNoLostCycle.class)
  public static class Platform {
    @Actor
    public void aThenB(ConcurrentEdgeInsertNoLostCycle run, II_Result r) {
      r.r1 = Nest.take(run.a, run.b);
    }

    @Actor
    public void bThenA(ConcurrentEdgeInsertNoLostCycle run, II_Result r) {
      r.r2 = Nest.take(run.b, run.a);
    }
  }

  @JCStressTest
  @JCStressMeta(ConcurrentEdgeInsertNoLostCycle.class)
  public static class Virtual {
    @Actor
    public void aThenB(ConcurrentEdgeInsertNoLostCycle run, II_Result r) {
      r.r1 = Nest.inVirtualThread(run.a, run.b);
    }

    @Actor
    public void bThenA(ConcurrentEdgeInsertNoLostCycle run, II_Result r) {
      r.r2 = Nest.inVirtualThread(run.b, run.a);
    }
  }

  /** Shared by the lock-order stress tests. */
  static final class Nest {
    static final int TOOK_BOTH = 0;
    static final int REPORTED = 1;
    static final int TIMED_OUT = 2;

    private Nest() {}

    /**
     * Takes {@code first}, then {@code second} with a timeout; releases both. The timeout is
     * generous (10 s): on an overloaded machine jcstress actors pinned to busy CPUs can be
     * descheduled for a second or more, which once showed up as a spurious timeout with 1 s.
     */
    static int take(Lock first, Lock second) {
      try {
        if (!first.tryLock(10, TimeUnit.SECONDS)) {
          return TIMED_OUT;
        }
        try {
          if (!second.tryLock(10, TimeUnit.SECONDS)) {
            return TIMED_OUT;
          }
          second.unlock();
          return TOOK_BOTH;
        } finally {
          first.unlock();
        }
      } catch (LockOrderViolationException e) {
        return REPORTED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return TIMED_OUT;
      }
    }

    /** {@link #take} in a new virtual thread, waited for with a timeout. */
    static int inVirtualThread(Lock first, Lock second) {
      int[] result = {TIMED_OUT};
      Thread t = Thread.ofVirtual().start(() -> result[0] = take(first, second));
      try {
        if (!t.join(java.time.Duration.ofSeconds(30))) {
          return TIMED_OUT;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return TIMED_OUT;
      }
      return result[0];
    }
  }
}
