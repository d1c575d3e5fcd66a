package dev.weft.stress.scope;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.stress.shared.Gate;
import dev.weft.stress.shared.Joined;
import dev.weft.stress.shared.Threads;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/*
 * Property: no task body starts before all of its dependencies have succeeded, and the values it
 * receives are the dependencies' final values (with every write their bodies made).
 *
 * Why it matters: dependency joins are the point of fork(name, a, v -> ...): a body that starts
 * early reads null or a half-built result and the scope "succeeds" with garbage.
 *
 * Which bug fails it: the dependent is forked while its dependency completes (the owner pushes
 * the dependent onto the dependency's waiter list while the task thread swaps it for ENDED). If
 * the owner misreads an ended dependency as succeeded, starts the dependent before the last
 * dependency released it, or the release does not order the dependency's outcome before the
 * dependent's start, the body sees "null" for the value, 0 for the plain field, or a dependency
 * that is not SUCCEEDED yet.
 *
 * How: actor "owner" forks a (waits at a gate, writes the plain field x = 1, returns 42), then
 * b(a), which reports what it saw; actor "release" opens the gate, so a ends before, during or
 * after the fork of b.
 *  - OneDependency (OneDependencyVirtual, OneDependencyPlatform): b(a) as above.
 *  - TwoDependencies (TwoDependenciesVirtual): b(a, c), where c ends at once and a at the gate,
 *    so the last release can come from either thread.
 *
 * How to run:
 *   stress-tests/run -t DependentStartsAfterDependency
 *
 * Results of the last deeper run (2026-11-25, JDK 25.0.3, 2 vCPUs shared with other builds):
 * stress-tests/run -- -sc false -fsm 1, i.e. -m default with 5 iterations of 1 s, one normal and one
 * stress fork, 4 JVM modes, summed. CI-pass figures are in docs/verification.md.
 *   OneDependencyPlatform [OK]
 *     42, x=1, SUCCEEDED                  342,977  ACCEPTABLE
 *   OneDependencyVirtual [OK]
 *     42, x=1, SUCCEEDED                1,838,359  ACCEPTABLE
 *   TwoDependenciesVirtual [OK]
 *     42, x=1, SUCCEEDED, 7, SUCCEEDED  1,958,984  ACCEPTABLE
 */
public class DependentStartsAfterDependency {

  static String oneDependency(Threads threads, Gate gate, int[] x) {
    try (Scope<Void> s = Scope.open("dep", Policy.collectAll(), threads.config())) {
      Task<Integer> a =
          s.fork(
              "a",
              () -> {
                gate.await();
                x[0] = 1;
                return 42;
              });
      Task<String> b = s.fork("b", a, v -> v + ", x=" + x[0] + ", " + a.state());
      Joined<Void> j = Joined.join(s);
      return j.returned() ? b.get() : j.describe() + ", b " + b.state();
    }
  }

  static String twoDependencies(Threads threads, Gate gate, int[] x) {
    try (Scope<Void> s = Scope.open("dep2", Policy.collectAll(), threads.config())) {
      Task<Integer> a =
          s.fork(
              "a",
              () -> {
                gate.await();
                x[0] = 1;
                return 42;
              });
      Task<Integer> c = s.fork("c", () -> 7);
      Task<String> b =
          s.fork(
              "b",
              a,
              c,
              (va, vc) -> va + ", x=" + x[0] + ", " + a.state() + ", " + vc + ", " + c.state());
      Joined<Void> j = Joined.join(s);
      return j.returned() ? b.get() : j.describe() + ", b " + b.state();
    }
  }

  /** OneDependency: b(a), a ends at the gate. */
  @Outcome(id = "42, x=1, SUCCEEDED", expect = ACCEPTABLE, desc = "b started after a succeeded, saw its value and writes")
  @Outcome(                           expect = FORBIDDEN,  desc = "b started early or saw a stale value")
  @State
  public static class OneDependency {
    final Gate gate = new Gate();
    final int[] x = new int[1]; // plain: visible to b only through the scope's happens-before edge
  }

  @JCStressTest
  @JCStressMeta(OneDependency.class)
  public static class OneDependencyVirtual {
    @Actor
    public void owner(OneDependency run, L_Result r) {
      r.r1 = oneDependency(Threads.VIRTUAL, run.gate, run.x);
    }

    @Actor
    public void release(OneDependency run) {
      run.gate.open();
    }
  }

  @JCStressTest
  @JCStressMeta(OneDependency.class)
  public static class OneDependencyPlatform {
    @Actor
    public void owner(OneDependency run, L_Result r) {
      r.r1 = oneDependency(Threads.PLATFORM, run.gate, run.x);
    }

    @Actor
    public void release(OneDependency run) {
      run.gate.open();
    }
  }

  /** TwoDependencies: b(a, c), c ends at once, a at the gate. */
  @Outcome(id = "42, x=1, SUCCEEDED, 7, SUCCEEDED", expect = ACCEPTABLE, desc = "b started after a and c succeeded")
  @Outcome(                                         expect = FORBIDDEN,  desc = "b started before both succeeded")
  @State
  public static class TwoDependencies {
    final Gate gate = new Gate();
    final int[] x = new int[1];
  }

  @JCStressTest
  @JCStressMeta(TwoDependencies.class)
  public static class TwoDependenciesVirtual {
    @Actor
    public void owner(TwoDependencies run, L_Result r) {
      r.r1 = twoDependencies(Threads.VIRTUAL, run.gate, run.x);
    }

    @Actor
    public void release(TwoDependencies run) {
      run.gate.open();
    }
  }
}
