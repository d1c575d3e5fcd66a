package dev.weft.benchmarks;

import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link LayeredDagBenchmark}'s graph with the JDK's {@link StructuredTaskScope} (JDK 25 preview
 * API), in the one form that API allows: a scope per layer. A subtask cannot wait for another
 * subtask of its own scope ({@code Subtask.get()} does not block; the owner may call it only after
 * {@code join()}, and a scope is joined once and takes no forks after that), so the owner opens a
 * scope for layer 0, joins it, collects its results, opens one for layer 1 whose subtasks read
 * those results, and so on.
 *
 * <p>That is a barrier per layer: a task of layer {@code k} starts only once <em>every</em> task of
 * layer {@code k - 1} has ended, not just its own two or three dependencies, and the owner wakes up
 * once per layer. For trivial bodies the barrier costs little; for bodies of uneven length it would
 * cost latency, which this benchmark does not show.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-preview")
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class LayeredDagStsBenchmark {

  /** How many layers the graph has. */
  @Param({"5"})
  public int layers;

  /** How many tasks one layer has. */
  @Param({"20"})
  public int width;

  private LayeredDag dag;

  @Setup(Level.Trial)
  public void setUp() {
    dag = new LayeredDag(layers, width);
  }

  @Benchmark
  public long structuredTaskScope() throws InterruptedException {
    Long[] prev = null;
    for (int k = 0; k < layers; k++) {
      @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
      Subtask<Long>[] subtasks = new Subtask[width];
      try (var scope = StructuredTaskScope.open(Joiner.<Long>awaitAllSuccessfulOrThrow())) {
        for (int j = 0; j < width; j++) {
          if (k == 0) {
            Long v = dag.root(j);
            subtasks[j] = scope.fork(() -> v);
          } else {
            int[] d = dag.deps(k, j);
            Long[] in = prev;
            subtasks[j] =
                scope.fork(
                    () -> {
                      long v = 1;
                      for (int i : d) {
                        v += in[i];
                      }
                      return v;
                    });
          }
        }
        scope.join();
      }
      Long[] results = new Long[width];
      for (int j = 0; j < width; j++) {
        results[j] = subtasks[j].get();
      }
      prev = results;
    }
    long sum = 0;
    for (Long v : prev) {
      sum += v;
    }
    return sum;
  }
}
