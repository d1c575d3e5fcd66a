package dev.weft.benchmarks;

import dev.weft.scope.Scope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One scope of {@code n} tasks (1,000 to 1,000,000) that each sleep 10 ms ({@code shape=sleep}) or
 * all wait at once for one latch ({@code shape=alive}): how the cost per task and the heap grow
 * with the scope's size. Each operation is one timed shot (JMH single-shot mode) in a fork with a
 * fixed 4 GB heap; {@link ScaleMetrics} adds the wall time without the heap probe, the fork phase
 * per task, the peak heap and, for {@code alive}, the live heap per waiting task.
 *
 * <ul>
 *   <li>{@code weft}: {@code Scope.open}, {@code fork(body)} per task (Weft names each {@code
 *       task-N}: at this scale a caller does not build names in advance), {@code join()}, {@code
 *       close()}.
 *   <li>{@code rawThreads}: {@code Thread.ofVirtual().start(body)} per task, then {@code
 *       Thread.join()} per thread.
 * </ul>
 *
 * The JDK's {@code StructuredTaskScope} is measured the same way by {@code ScaleStsBenchmark} in
 * {@code benchmarks-jdk25/}.
 *
 * <pre>
 * $ java -jar benchmarks/target/benchmarks.jar Scale -f 1 -wi 1 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class ScaleBenchmark {

  /** How many tasks the scope forks. */
  @Param({"1000", "10000", "100000", "1000000"})
  public int n;

  /** {@code sleep} (each task sleeps 10 ms) or {@code alive} (all wait at once for a latch). */
  @Param({"sleep", "alive"})
  public String shape;

  @Benchmark
  public void weft(ScaleMetrics m) throws InterruptedException {
    ScaleMetrics.ScaleTask task = m.begin(n, shape);
    try (Scope<Void> scope = Scope.open("scale")) {
      for (int i = 0; i < n; i++) {
        scope.fork(task);
      }
      m.forked();
      scope.join();
    }
    m.joined();
  }

  @Benchmark
  public void rawThreads(ScaleMetrics m) throws InterruptedException {
    ScaleMetrics.ScaleTask task = m.begin(n, shape);
    Runnable body = task::run;
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      threads[i] = Thread.ofVirtual().start(body);
    }
    m.forked();
    for (Thread t : threads) {
      t.join();
    }
    m.joined();
  }
}
