package dev.weft.benchmarks;

import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link FanOutBenchmark}'s shapes with the JDK's {@link StructuredTaskScope} (JDK 25 preview API):
 * the same {@code n}, the same pre-boxed values, the same sum.
 *
 * <ul>
 *   <li>{@code structuredTaskScope}: {@code StructuredTaskScope.open(Joiner
 *       .awaitAllSuccessfulOrThrow())}, {@code fork(body)} per task, {@code join()}, {@code
 *       close()}, then {@code Subtask.get()} per task. Its threads are unnamed, as raw threads are;
 *       {@code join()} waits until every thread has ended.
 *   <li>{@code structuredTaskScopeDiamond}: the diamond (root, {@code n} dependents, sink) as three
 *       scopes in sequence, one per layer: a subtask cannot wait for another subtask of its scope
 *       ({@code Subtask.get()} does not block, and the owner reads results only after {@code
 *       join()}), so a layer's subtasks read the results of the layer before, which the owner
 *       collected after joining it.
 * </ul>
 *
 * <pre>
 * $ java --enable-preview -jar benchmarks-jdk25/target/benchmarks-jdk25.jar \
 *     'FanOut(Sts)?Benchmark.(weft|rawThreads|structuredTaskScope)$' -p n=1000
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-preview")
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class FanOutStsBenchmark {

  /** How many tasks one operation forks (the diamond adds a root and a sink). */
  @Param({"1", "10", "100", "1000"})
  public int n;

  private Integer[] values;

  @Setup
  public void setUp() {
    values = new Integer[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
  }

  @Benchmark
  public long structuredTaskScope() throws InterruptedException {
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Subtask<Integer>[] subtasks = new Subtask[n];
    try (var scope = StructuredTaskScope.open(Joiner.<Integer>awaitAllSuccessfulOrThrow())) {
      for (int i = 0; i < n; i++) {
        Integer v = values[i];
        subtasks[i] = scope.fork(() -> v);
      }
      scope.join();
    }
    long sum = 0;
    for (Subtask<Integer> s : subtasks) {
      sum += s.get();
    }
    return sum;
  }

  @Benchmark
  public long structuredTaskScopeDiamond() throws InterruptedException {
    Subtask<Integer> root;
    try (var scope = StructuredTaskScope.open(Joiner.<Integer>awaitAllSuccessfulOrThrow())) {
      root = scope.fork(() -> values[0]);
      scope.join();
    }
    int r = root.get();
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Subtask<Integer>[] middle = new Subtask[n];
    try (var scope = StructuredTaskScope.open(Joiner.<Integer>awaitAllSuccessfulOrThrow())) {
      for (int i = 0; i < n; i++) {
        int offset = i;
        middle[i] = scope.fork(() -> values[r + offset]);
      }
      scope.join();
    }
    Integer[] results = new Integer[n];
    for (int i = 0; i < n; i++) {
      results[i] = middle[i].get();
    }
    Subtask<Long> sink;
    try (var scope = StructuredTaskScope.open(Joiner.<Long>awaitAllSuccessfulOrThrow())) {
      sink =
          scope.fork(
              () -> {
                long sum = 0;
                for (Integer v : results) {
                  sum += v;
                }
                return sum;
              });
      scope.join();
    }
    return sink.get();
  }
}
