package dev.weft.stress.lockorder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.util.concurrent.locks.ReadWriteLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/*
 * Property: read locks taken in inverse orders (x then y against y then x) are never reported and
 * never block: shared holds do not conflict, so the orders form no deadlock.
 *
 * Why it matters: Guava's factory reports this case: a false positive on correct code, and a
 * common one in read-mostly code, where readers take shared locks in any order.
 *
 * Which bug fails it: a cycle search that treats a read hold like an exclusive one (the held and
 * wanted modes ignored when an edge is followed), so that y -> x read-read closes a cycle with
 * x -> y; or a read acquisition that waits behind another reader.
 *
 * How: one checker under THROW, read-write locks x and y; actor xThenY takes x's read lock then
 * y's, actor yThenX the reverse, with timed acquisitions (Nest.take, 10 s). Result per actor: 0
 * took both, 1 reported, 2 timed out.
 *  - Platform: the actors take the locks on jcstress's own (platform) threads.
 *
 * How to run:
 *   stress-tests/run -t ReadReadNeverReported
 *
 * Results of the last recorded run (JDK 25.0.3, 2 cores, loaded machine, -m quick -sc false
 * -iters 1 -time 100). See docs/lock-ordering.md, "Verification".
 *   Platform [OK]
 *     0, 0         26,140  ACCEPTABLE
 */
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "both took both read locks")
@Outcome(             expect = FORBIDDEN,  desc = "false report or timeout")
@State
public class ReadReadNeverReported {
  final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
  final ReadWriteLock x = checker.newReadWriteLock("x");
  final ReadWriteLock y = checker.newReadWriteLock("y");

  @JCStressTest
  @JCStressMeta(ReadReadNeverReported.class)
  public static class Platform {
    @Actor
    public void xThenY(ReadReadNeverReported run, II_Result r) {
      r.r1 = ConcurrentEdgeInsertNoLostCycle.Nest.take(run.x.readLock(), run.y.readLock());
    }

    @Actor
    public void yThenX(ReadReadNeverReported run, II_Result r) {
      r.r2 = ConcurrentEdgeInsertNoLostCycle.Nest.take(run.y.readLock(), run.x.readLock());
    }
  }
}
