package dev.weft.stress.lockorder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.LockOrderViolationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Property: two threads that learn {@code a -> b} and {@code b -> a} at the same moment never
 * both get through unreported; at least one of them reports the cycle.
 *
 * <p>Why it matters: Guava's CycleDetectingLockFactory can miss exactly this (its comment accepts
 * the race), and a missed report here is the deadlock the checker exists to prevent. The checker
 * searches and inserts each new edge under the graph lock, so the second thread's search sees the
 * first thread's edge. Actors take the inner lock with a timed {@code tryLock}, so a lost report
 * shows as a timeout instead of hanging the run.
 *
 * <p>Result per actor: 0 took both locks, 1 reported the cycle, 2 timed out.
 *
 * <p>How to run: {@code java -jar stress-tests/target/jcstress.jar -t ConcurrentEdgeInsertNoLostCycle}
 * (variants {@code Platform} and {@code Virtual})
 *
 * <pre>
 * Last run of Platform (JDK 25, 2 cores, -m quick -sc false -iters 1 -time 100):
 *   RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
 *     0, 0        0    0.00%   Forbidden  lost cycle: both orders learned, no report
 *     0, 1  560,840   88.75%  Acceptable  actor 1 learned a -> b first, actor 2 reported
 *     1, 0   71,112   11.25%  Acceptable  actor 2 learned b -> a first, actor 1 reported
 * Virtual (loaded machine): 0, 0: 0; 0, 1: 4,861; 1, 0: 2,999.
 * </pre>
 */
public class ConcurrentEdgeInsertNoLostCycle {
  private ConcurrentEdgeInsertNoLostCycle() {}

  /** Actors on jcstress's platform threads. */
  @JCStressTest
  @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "actor 1 learned a -> b first, actor 2 reported")
  @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 learned b -> a first, actor 1 reported")
  @Outcome(id = "0, 0", expect = FORBIDDEN,  desc = "lost cycle: both orders learned, no report")
  @Outcome(             expect = FORBIDDEN,  desc = "timeout or double report: a lost or wrong check")
  @State
  public static class Platform {
    private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    private final Lock a = checker.newLock("a");
    private final Lock b = checker.newLock("b");

    @Actor
    public void aThenB(II_Result r) {
      r.r1 = Nest.take(a, b);
    }

    @Actor
    public void bThenA(II_Result r) {
      r.r2 = Nest.take(b, a);
    }
  }

  /** Each actor runs its acquisitions in a fresh virtual thread: held state follows it. */
  @JCStressTest
  @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "actor 1 learned a -> b first, actor 2 reported")
  @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "actor 2 learned b -> a first, actor 1 reported")
  @Outcome(id = "0, 0", expect = FORBIDDEN,  desc = "lost cycle: both orders learned, no report")
  @Outcome(             expect = FORBIDDEN,  desc = "timeout or double report: a lost or wrong check")
  @State
  public static class Virtual {
    private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    private final Lock a = checker.newLock("a");
    private final Lock b = checker.newLock("b");

    @Actor
    public void aThenB(II_Result r) {
      r.r1 = Nest.inVirtualThread(a, b);
    }

    @Actor
    public void bThenA(II_Result r) {
      r.r2 = Nest.inVirtualThread(b, a);
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
