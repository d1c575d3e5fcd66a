package dev.weft.stress.lockorder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.internal.HeldLocks;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Property: under THROW, the thread that reports leaves nothing behind: the lock it wanted is not
 * taken, and after it releases what it held, the checker records nothing as held by it.
 *
 * <p>Actor result: 0 took both, 1 reported; plus 10 if the checker still records a held lock
 * after the actor released everything. Arbiter: 1 if both locks are free afterwards.
 *
 * <p>How to run: {@code java -jar stress-tests/target/jcstress.jar -t ThrowLeavesNothingHeld}
 *
 * <pre>
 * Last run (JDK 25.0.3, 2 cores, loaded machine, -m quick -sc false -iters 1 -time 100):
 *    RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
 *   0, 1, 1   83,668   89.01%  Acceptable  actor 2 reported, nothing left held
 *   1, 0, 1   10,333   10.99%  Acceptable  actor 1 reported, nothing left held
 * </pre>
 */
@JCStressTest
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "actor 2 reported, nothing left held")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "actor 1 reported, nothing left held")
@Outcome(                expect = FORBIDDEN,  desc = "lock or held-lock record leaked, or lost report")
@State
public class ThrowLeavesNothingHeld {
  private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
  private final Lock a = checker.newLock("a");
  private final Lock b = checker.newLock("b");

  @Actor
  public void aThenB(III_Result r) {
    r.r1 = takeAndCheck(a, b);
  }

  @Actor
  public void bThenA(III_Result r) {
    r.r2 = takeAndCheck(b, a);
  }

  @Arbiter
  public void bothFree(III_Result r) {
    boolean freeA = a.tryLock();
    boolean freeB = b.tryLock();
    if (freeB) {
      b.unlock();
    }
    if (freeA) {
      a.unlock();
    }
    r.r3 = freeA && freeB ? 1 : 0;
  }

  private static int takeAndCheck(Lock first, Lock second) {
    int result = ConcurrentEdgeInsertNoLostCycle.Nest.take(first, second);
    return HeldLocks.current().size() == 0 ? result : result + 10;
  }
}
