package dev.weft.benchmarks;

import com.google.common.util.concurrent.CycleDetectingLockFactory;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of lock-order checking: one thread, uncontended, takes {@code depth} nested locks in a fixed
 * (already learned) order and releases them in reverse. Compares a plain {@link ReentrantLock},
 * Weft's checker (THROW, and OFF) and Guava's {@link CycleDetectingLockFactory} (THROW) in the same
 * run; one fork per combination, so each call site sees one lock class.
 *
 * <p>How to run: {@code java -jar benchmarks/target/benchmarks.jar LockOrder -f 1 -wi 3 -w 1 -i 5
 * -r 1}. Figures: docs/performance.md, section "Lock-order checker".
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LockOrderBenchmark {
  /** Nesting depth: how many locks are held at once. */
  @Param({"1", "2", "8"})
  int depth;

  /** Which locks: {@code jdk}, {@code weft}, {@code weft-off} or {@code guava}. */
  @Param({"jdk", "weft", "weft-off", "guava"})
  String impl;

  private Lock[] locks;

  @Setup(Level.Trial)
  public void setUp() {
    locks = new Lock[depth];
    LockOrderChecker weft =
        LockOrderChecker.create(
            impl.equals("weft-off") ? LockOrderPolicy.OFF : LockOrderPolicy.THROW);
    CycleDetectingLockFactory guava =
        CycleDetectingLockFactory.newInstance(CycleDetectingLockFactory.Policies.THROW);
    for (int i = 0; i < depth; i++) {
      locks[i] =
          switch (impl) {
            case "jdk" -> new ReentrantLock();
            case "weft", "weft-off" -> weft.newLock("lock" + i);
            case "guava" -> guava.newReentrantLock("lock" + i);
            default -> throw new IllegalArgumentException("unknown impl '" + impl + "'");
          };
    }
    nested(); // learn the order once: the benchmark measures the steady state
  }

  /** Takes all locks in order, then releases them in reverse. */
  @Benchmark
  public void nested() {
    Lock[] ls = locks;
    for (Lock l : ls) {
      l.lock();
    }
    for (int i = ls.length - 1; i >= 0; i--) {
      ls[i].unlock();
    }
  }
}
