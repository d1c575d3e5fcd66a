package dev.weft.stress.lockorder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.util.concurrent.locks.ReadWriteLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Property: read locks taken in inverse orders ({@code x} then {@code y} against {@code y} then
 * {@code x}) are never reported and never block: shared holds do not conflict, so the orders
 * form no deadlock (Guava's factory reports this case).
 *
 * <p>How to run: {@code java -jar stress-tests/target/jcstress.jar -t ReadReadNeverReported}
 *
 * <pre>
 * Last run (JDK 25.0.3, 2 cores, loaded machine, -m quick -sc false -iters 1 -time 100):
 *   RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
 *     0, 0   26,140  100.00%  Acceptable  both took both read locks
 * </pre>
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "both took both read locks")
@Outcome(             expect = FORBIDDEN,  desc = "false report or timeout")
@State
public class ReadReadNeverReported {
  private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
  private final ReadWriteLock x = checker.newReadWriteLock("x");
  private final ReadWriteLock y = checker.newReadWriteLock("y");

  @Actor
  public void xThenY(II_Result r) {
    r.r1 = ConcurrentEdgeInsertNoLostCycle.Nest.take(x.readLock(), y.readLock());
  }

  @Actor
  public void yThenX(II_Result r) {
    r.r2 = ConcurrentEdgeInsertNoLostCycle.Nest.take(y.readLock(), x.readLock());
  }
}
