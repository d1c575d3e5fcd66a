package dev.weft.stress.lockorder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.util.concurrent.locks.Lock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/*
 * Property: under THROW, the thread that reports leaves nothing behind: the lock it wanted is not
 * taken, and after it releases what it held, the checker records nothing as held by it.
 *
 * Why it matters: code that catches the report and carries on (a test, a retry, a request that
 * fails alone) must not leave a lock locked or a phantom held lock that every later acquisition
 * of that thread is checked against.
 *
 * Which bug fails it: taking the underlying lock before the check throws (the lock stays locked:
 * the arbiter sees it busy), or recording the wanted lock as held before the check and not
 * removing it when the check throws (the thread's held set keeps an entry).
 *
 * How: one checker under THROW, locks a and b; actor aThenB takes a then b, actor bThenA b then
 * a (Nest.take, timed), so one of them reports. Actor result: 0 took both, 1 reported; plus 10
 * if the checker still records a held lock after the actor released everything. The actor sees
 * that through the public API: it then takes and releases a probe lock of its own class, and an
 * acquisition learns an order from every class its thread holds, so an order into the probe
 * class means a lock recorded as held. Arbiter: 1 if both locks are free afterwards.
 *  - Platform: the actors take the locks on jcstress's own (platform) threads.
 *
 * How to run:
 *   stress-tests/run -t ThrowLeavesNothingHeld
 *
 * Results of the last recorded run (JDK 25.0.3, 2 cores, loaded machine, -m quick -sc false
 * -iters 1 -time 100), taken before issue 10 replaced the read of the internal held-lock count by
 * the probe lock; not run since. See docs/lock-ordering.md, "Verification".
 *   Platform [OK]
 *     0, 1, 1      83,668  ACCEPTABLE
 *     1, 0, 1      10,333  ACCEPTABLE
 */
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "actor 2 reported, nothing left held")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "actor 1 reported, nothing left held")
@Outcome(                expect = FORBIDDEN,  desc = "lock or held-lock record leaked, or lost report")
@State
public class ThrowLeavesNothingHeld {
  final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
  final Lock a = checker.newLock("a");
  final Lock b = checker.newLock("b");
  final Lock probe1 = checker.newLock("probe1");
  final Lock probe2 = checker.newLock("probe2");

  int bothFree() {
    boolean freeA = a.tryLock();
    boolean freeB = b.tryLock();
    if (freeB) {
      b.unlock();
    }
    if (freeA) {
      a.unlock();
    }
    return freeA && freeB ? 1 : 0;
  }

  // Nest.take, plus 10 if the checker still records a lock as held by this thread afterwards:
  // then the probe lock learns an order from it.
  int takeAndCheck(Lock first, Lock second, Lock probe, String probeClass) {
    int result = ConcurrentEdgeInsertNoLostCycle.Nest.take(first, second);
    probe.lock();
    probe.unlock();
    String into = " -> " + probeClass;
    boolean held = checker.edges().stream().anyMatch(e -> e.endsWith(into));
    return held ? result + 10 : result;
  }

  @JCStressTest
  @JCStressMeta(ThrowLeavesNothingHeld.class)
  public static class Platform {
    @Actor
    public void aThenB(ThrowLeavesNothingHeld run, III_Result r) {
      r.r1 = run.takeAndCheck(run.a, run.b, run.probe1, "probe1");
    }

    @Actor
    public void bThenA(ThrowLeavesNothingHeld run, III_Result r) {
      r.r2 = run.takeAndCheck(run.b, run.a, run.probe2, "probe2");
    }

    @Arbiter
    public void bothFree(ThrowLeavesNothingHeld run, III_Result r) {
      r.r3 = run.bothFree();
    }
  }
}
