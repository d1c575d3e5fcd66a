package dev.weft.stress.lockorder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/*
 * Property: threads that always take a before b are never reported and never hang, however their
 * first acquisitions (which learn the order and fill the chain cache) interleave.
 *
 * Why it matters: a false report under THROW breaks correct code, and the slow path (graph lock,
 * timed-slice waiting) must not turn contention into a hang.
 *
 * Which bug fails it: a cycle search that reports an order learned twice at the same moment
 * (both threads add a -> b) as a cycle, a held chain cached by one thread that reads as a
 * violation to the other, or a blocking lock() whose sliced wait misses the release and never
 * returns.
 *
 * How: one checker under THROW, locks a and b; both sides nest a then b.
 *  - Timed (TimedPlatform): two actors on jcstress's threads, with timed acquisitions (Nest.take,
 *    10 s); the result per actor is 0 for "took both", 1 for a report, 2 for a timeout.
 *  - Blocking (BlockingPlatform, Mode.Termination): blocking lock() in the actor and in the
 *    signal; the actor must finish.
 *
 * How to run:
 *   stress-tests/run -t ConsistentOrderNeverReported
 *
 * Results of a CI-mode run (2026-12-01, JDK 25.0.3 Temurin, 2 vCPUs AMD EPYC, shared with other
 * builds, load average about 4): stress-tests/run --ci -t ConsistentOrderNeverReported, i.e.
 * -m quick -sc false -iters 1 -time 100, 4 JVM modes, summed. BlockingPlatform finished one
 * iteration per mode here (an earlier run, see docs/lock-ordering.md, had 47 in all): each mode
 * is a fresh VM with a 100 ms budget, which a cold first iteration on a loaded machine likely
 * fills (not measured).
 *   BlockingPlatform [OK]
 *     TERMINATED                4  ACCEPTABLE
 *   TimedPlatform [OK]
 *     0, 0                 80,203  ACCEPTABLE
 */
public class ConsistentOrderNeverReported {

  /** Timed: both actors nest a then b with timed acquisitions; 0 means took both. */
  @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "both took a then b, no report")
  @Outcome(             expect = FORBIDDEN,  desc = "false report or timeout")
  @State
  public static class Timed {
    final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    final Lock a = checker.newLock("a");
    final Lock b = checker.newLock("b");
  }

  @JCStressTest
  @JCStressMeta(Timed.class)
  public static class TimedPlatform {
    @Actor
    public void first(Timed run, II_Result r) {
      r.r1 = ConcurrentEdgeInsertNoLostCycle.Nest.take(run.a, run.b);
    }

    @Actor
    public void second(Timed run, II_Result r) {
      r.r2 = ConcurrentEdgeInsertNoLostCycle.Nest.take(run.a, run.b);
    }
  }

  /** Blocking: {@code lock()} in the actor and in the signal: the actor must finish. */
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "finished")
  @Outcome(id = "STALE",      expect = FORBIDDEN,  desc = "hung")
  @State
  public static class Blocking {
    final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    final Lock a = checker.newLock("a");
    final Lock b = checker.newLock("b");

    void nest() {
      a.lock();
      try {
        b.lock();
        b.unlock();
      } finally {
        a.unlock();
      }
    }
  }

  @JCStressTest(Mode.Termination)
  @JCStressMeta(Blocking.class)
  public static class BlockingPlatform {
    @Actor
    public void actor(Blocking run) {
      run.nest();
    }

    @Signal
    public void signal(Blocking run) {
      run.nest();
    }
  }
}
