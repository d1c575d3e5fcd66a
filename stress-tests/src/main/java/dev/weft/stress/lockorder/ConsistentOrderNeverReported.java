package dev.weft.stress.lockorder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Property: threads that always take {@code a} before {@code b} are never reported and never
 * hang, however their first acquisitions (which learn the order and fill the chain cache)
 * interleave.
 *
 * <p>Why it matters: a false report under THROW breaks correct code, and the slow path (graph
 * lock, timed-slice waiting) must not turn contention into a hang.
 *
 * <p>How to run: {@code java -jar stress-tests/target/jcstress.jar -t ConsistentOrderNeverReported}
 *
 * <pre>
 * Last run (JDK 25.0.3, 2 cores, loaded machine, -m quick -sc false -iters 1 -time 100):
 *   Timed:    RESULT 0, 0  SAMPLES 33,912  Acceptable  both took a then b, no report
 *   Blocking: TERMINATED 47, STALE 0
 * </pre>
 */
public class ConsistentOrderNeverReported {
  private ConsistentOrderNeverReported() {}

  /** Both actors nest a then b with timed acquisitions; 0 means took both. */
  @JCStressTest
  @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "both took a then b, no report")
  @Outcome(             expect = FORBIDDEN,  desc = "false report or timeout")
  @State
  public static class Timed {
    private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    private final Lock a = checker.newLock("a");
    private final Lock b = checker.newLock("b");

    @Actor
    public void first(II_Result r) {
      r.r1 = ConcurrentEdgeInsertNoLostCycle.Nest.take(a, b);
    }

    @Actor
    public void second(II_Result r) {
      r.r2 = ConcurrentEdgeInsertNoLostCycle.Nest.take(a, b);
    }
  }

  /** Blocking {@code lock()} in the actor and in the signal: the actor must finish. */
  @JCStressTest(Mode.Termination)
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "finished")
  @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "hung")
  @State
  public static class Blocking {
    private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    private final Lock a = checker.newLock("a");
    private final Lock b = checker.newLock("b");

    @Actor
    public void actor() {
      nest();
    }

    @Signal
    public void signal() {
      nest();
    }

    private void nest() {
      a.lock();
      try {
        b.lock();
        b.unlock();
      } finally {
        a.unlock();
      }
    }
  }
}
