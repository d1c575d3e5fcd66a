package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.shared.Gate;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Threads;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: with withMaxConcurrency(n), never more than n task bodies of the scope run at once,
 * and every task still runs (the limit delays, it does not drop).
 *
 * Why it matters: the limit protects a downstream service or a connection pool of size n. One
 * extra body means one request over the pool, exactly under load.
 *
 * Which bug fails it: a slot freed twice, a start that does not take a slot (a dependent made
 * ready by another task's thread, or a queued task drained by two threads at once), or a lost
 * wake-up that leaves a ready task queued forever (then a task is not SUCCEEDED).
 *
 * How: each body counts itself in and out of a shared counter and records the maximum. The first
 * bodies wait at a gate that actor "release" opens, so slots free while the owner still forks.
 *  - Independent (IndependentVirtual, IndependentPlatform): maxConcurrency(2), four tasks.
 *  - Dependents (DependentsVirtual): maxConcurrency(1), a, b, then c(a) and d(b), which become
 *    ready in task threads as slots free.
 *
 * How to run:
 *   stress-tests/run -t MaxConcurrencyBound
 *
 * Results of the last deeper run (2026-11-25, JDK 25.0.3, 2 vCPUs shared with other builds):
 * stress-tests/run -- -sc false -fsm 1, i.e. -m default with 5 iterations of 1 s, one normal and one
 * stress fork, 4 JVM modes, summed. CI-pass figures are in docs/verification.md.
 *   DependentsVirtual [OK]
 *     max 1  1,673,690  ACCEPTABLE
 *   IndependentPlatform [OK]
 *     max 1     62,997  ACCEPTABLE
 *     max 2    116,650  ACCEPTABLE
 *   IndependentVirtual [OK]
 *     max 1     96,076  ACCEPTABLE
 *     max 2  1,641,102  ACCEPTABLE
 */
public class MaxConcurrencyBound {

  /** Counts concurrent bodies. */
  static final class Meter {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    <T> Callable<T> body(Gate gate, T value) {
      return () -> {
        int now = running.incrementAndGet();
        max.accumulateAndGet(now, Math::max);
        try {
          if (gate != null) {
            gate.await();
          }
          Thread.yield(); // give another body the chance to overlap
          return value;
        } finally {
          running.decrementAndGet();
        }
      };
    }
  }

  static String result(Joined<Void> j, Meter meter, Scope<Void> s) {
    if (!j.returned()) {
      return j.describe();
    }
    for (Task<?> t : s.tasks()) {
      if (t.state() != Task.State.SUCCEEDED) {
        return t.name() + " " + t.state();
      }
    }
    return "max " + meter.max.get();
  }

  static String independent(Threads threads, Gate gate, Meter meter) {
    try (Scope<Void> s =
        Scope.open("limit", Policy.collectAll(), threads.config(c -> c.withMaxConcurrency(2)))) {
      s.fork("a", meter.body(gate, 1));
      s.fork("b", meter.body(gate, 2));
      s.fork("c", meter.body(null, 3));
      s.fork("d", meter.body(null, 4));
      return result(Joined.join(s), meter, s);
    }
  }

  static String dependents(Threads threads, Gate gate, Meter meter) {
    try (Scope<Void> s =
        Scope.open(
            "limit-deps", Policy.collectAll(), threads.config(c -> c.withMaxConcurrency(1)))) {
      Task<Integer> a = s.fork("a", meter.body(gate, 1));
      Task<Integer> b = s.fork("b", meter.body(null, 2));
      Callable<Integer> inC = meter.body(null, 3);
      Callable<Integer> inD = meter.body(null, 4);
      s.fork("c", a, v -> inC.call());
      s.fork("d", b, v -> inD.call());
      return result(Joined.join(s), meter, s);
    }
  }

  /** Independent: four tasks, at most two at once. */
  @Outcome(id = "max 1", expect = ACCEPTABLE, desc = "bodies did not overlap")
  @Outcome(id = "max 2", expect = ACCEPTABLE, desc = "two bodies overlapped: the limit")
  @Outcome(              expect = FORBIDDEN,  desc = "more than 2 bodies at once, or a task did not run")
  @State
  public static class Independent {
    final Gate gate = new Gate();
    final Meter meter = new Meter();
  }

  @JCStressTest
  @JCStressMeta(Independent.class)
  public static class IndependentVirtual {
    @Actor
    public void owner(Independent run, L_Result r) {
      r.r1 = independent(Threads.VIRTUAL, run.gate, run.meter);
    }

    @Actor
    public void release(Independent run) {
      run.gate.open();
    }
  }

  @JCStressTest
  @JCStressMeta(Independent.class)
  public static class IndependentPlatform {
    @Actor
    public void owner(Independent run, L_Result r) {
      r.r1 = independent(Threads.PLATFORM, run.gate, run.meter);
    }

    @Actor
    public void release(Independent run) {
      run.gate.open();
    }
  }

  /** Dependents: one at a time, two of the tasks made ready by the others' threads. */
  @Outcome(id = "max 1", expect = ACCEPTABLE, desc = "one body at a time, dependents included")
  @Outcome(              expect = FORBIDDEN,  desc = "two bodies at once, or a task did not run")
  @State
  public static class Dependents {
    final Gate gate = new Gate();
    final Meter meter = new Meter();
  }

  @JCStressTest
  @JCStressMeta(Dependents.class)
  public static class DependentsVirtual {
    @Actor
    public void owner(Dependents run, L_Result r) {
      r.r1 = dependents(Threads.VIRTUAL, run.gate, run.meter);
    }

    @Actor
    public void release(Dependents run) {
      run.gate.open();
    }
  }
}
