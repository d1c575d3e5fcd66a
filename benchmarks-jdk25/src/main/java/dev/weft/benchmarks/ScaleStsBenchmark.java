package dev.weft.benchmarks;

import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
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
 * {@link ScaleBenchmark} with the JDK's {@link StructuredTaskScope} (JDK 25 preview API): {@code
 * StructuredTaskScope.open(Joiner.awaitAllSuccessfulOrThrow())}, {@code fork(body)} per task (the
 * {@code Subtask} handles are dropped, as a caller of a million tasks would), {@code join()},
 * {@code close()}. Same settings, same task bodies, same {@link ScaleMetrics}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-preview", "-Xms4g", "-Xmx4g"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class ScaleStsBenchmark {

  /** How many tasks the scope forks. */
  @Param({"1000", "10000", "100000", "1000000"})
  public int n;

  /** {@code sleep} (each task sleeps 10 ms) or {@code alive} (all wait at once for a latch). */
  @Param({"sleep", "alive"})
  public String shape;

  @Benchmark
  public void structuredTaskScope(ScaleMetrics m) throws InterruptedException {
    ScaleMetrics.ScaleTask task = m.begin(n, shape);
    try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAllSuccessfulOrThrow())) {
      for (int i = 0; i < n; i++) {
        scope.fork(task);
      }
      m.forked();
      scope.join();
    }
    m.joined();
  }
}
