package dev.weft.benchmarks;

import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of running a dependency graph of trivial tasks: {@code layers} layers of {@code width}
 * tasks, each task after the first layer depending on two or three tasks of the layer before (the
 * graph is {@link LayeredDag}). Every task body adds its dependencies' {@code Long} results (one
 * boxing per task in every variant); the benchmark thread sums the last layer and returns the sum.
 *
 * <ul>
 *   <li>{@code weft}: one scope, every task forked up front with its dependencies ({@code
 *       fork(name, a, b, body)} or {@code fork(name, a, b, c, body)}); a dependent's thread starts
 *       only once its dependencies have succeeded. {@code join()}, {@code close()}, then {@code
 *       Task.get()} on the last layer.
 *   <li>{@code rawThreads}: every task's virtual thread starts at once, layer by layer; a dependent
 *       blocks in {@code Thread.join()} on each dependency's thread, then reads their results from
 *       array slots. The benchmark thread joins every thread.
 *   <li>{@code completableFutureInline}: layer 0 is {@code supplyAsync(.., executor)}, every later
 *       task is {@code a.thenCombine(b, f)}, or {@code a.thenCombine(b, Long::sum).thenCombine(c,
 *       f)} for three dependencies, without {@code Async}: a body runs in the thread that completes
 *       its last dependency (or in the benchmark thread if all are already complete), so only the
 *       roots get threads. The benchmark thread waits with {@code allOf(last layer).join()}.
 *   <li>{@code completableFutureAsync}: the same with the task's last stage {@code
 *       thenCombineAsync(.., executor)}: one new virtual thread per task, as in Weft.
 * </ul>
 *
 * <p>The executor of the {@code CompletableFuture} variants is one {@code
 * newVirtualThreadPerTaskExecutor()} made in setup; those variants wait for the futures, not for
 * the threads that completed them. The JDK's {@code StructuredTaskScope} runs the same graph in
 * {@code LayeredDagStsBenchmark} ({@code benchmarks-jdk25/}), with one scope per layer.
 *
 * <pre>
 * $ java -jar benchmarks/target/benchmarks.jar LayeredDag -f 2 -wi 8 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class LayeredDagBenchmark {

  /** How many layers the graph has. */
  @Param({"5"})
  public int layers;

  /** How many tasks one layer has. */
  @Param({"20"})
  public int width;

  private LayeredDag dag;
  private ExecutorService executor;

  @Setup(Level.Trial)
  public void setUp() {
    dag = new LayeredDag(layers, width);
    executor = Executors.newVirtualThreadPerTaskExecutor();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    executor.close();
  }

  @Benchmark
  public long weft() throws InterruptedException {
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Task<Long>[][] tasks = new Task[layers][width];
    try (Scope<Void> scope = Scope.open("dag")) {
      for (int j = 0; j < width; j++) {
        Long v = dag.root(j);
        tasks[0][j] = scope.fork(dag.name(0, j), () -> v);
      }
      for (int k = 1; k < layers; k++) {
        for (int j = 0; j < width; j++) {
          int[] d = dag.deps(k, j);
          Task<Long> a = tasks[k - 1][d[0]];
          Task<Long> b = tasks[k - 1][d[1]];
          tasks[k][j] =
              d.length == 2
                  ? scope.fork(dag.name(k, j), a, b, (x, y) -> x + y + 1)
                  : scope.fork(
                      dag.name(k, j), a, b, tasks[k - 1][d[2]], (x, y, z) -> x + y + z + 1);
        }
      }
      scope.join();
    }
    long sum = 0;
    for (Task<Long> t : tasks[layers - 1]) {
      sum += t.get();
    }
    return sum;
  }

  @Benchmark
  public long rawThreads() throws InterruptedException {
    Thread[][] threads = new Thread[layers][width];
    Long[][] results = new Long[layers][width];
    for (int j = 0; j < width; j++) {
      Long v = dag.root(j);
      Long[] slots = results[0];
      int slot = j;
      threads[0][j] = Thread.ofVirtual().start(() -> slots[slot] = v);
    }
    for (int k = 1; k < layers; k++) {
      for (int j = 0; j < width; j++) {
        int[] d = dag.deps(k, j);
        Thread[] depThreads = threads[k - 1];
        Long[] depResults = results[k - 1];
        Long[] slots = results[k];
        int slot = j;
        threads[k][j] =
            Thread.ofVirtual()
                .start(
                    () -> {
                      long v = 1;
                      for (int i : d) {
                        RawThreads.joinUninterruptibly(depThreads[i]);
                        v += depResults[i];
                      }
                      slots[slot] = v;
                    });
      }
    }
    for (Thread[] layer : threads) {
      for (Thread t : layer) {
        t.join();
      }
    }
    long sum = 0;
    for (Long r : results[layers - 1]) {
      sum += r;
    }
    return sum;
  }

  @Benchmark
  public long completableFutureInline() {
    return completableFutures(false);
  }

  @Benchmark
  public long completableFutureAsync() {
    return completableFutures(true);
  }

  // --- implementation ---

  private long completableFutures(boolean async) {
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    CompletableFuture<Long>[][] futures = new CompletableFuture[layers][width];
    for (int j = 0; j < width; j++) {
      Long v = dag.root(j);
      futures[0][j] = CompletableFuture.supplyAsync(() -> v, executor);
    }
    for (int k = 1; k < layers; k++) {
      for (int j = 0; j < width; j++) {
        int[] d = dag.deps(k, j);
        CompletableFuture<Long> a = futures[k - 1][d[0]];
        CompletableFuture<Long> b = futures[k - 1][d[1]];
        if (d.length == 3) {
          a = a.thenCombine(b, Long::sum);
          b = futures[k - 1][d[2]];
        }
        futures[k][j] =
            async
                ? a.thenCombineAsync(b, (x, y) -> x + y + 1, executor)
                : a.thenCombine(b, (x, y) -> x + y + 1);
      }
    }
    CompletableFuture.allOf(futures[layers - 1]).join();
    long sum = 0;
    for (CompletableFuture<Long> f : futures[layers - 1]) {
      sum += f.join();
    }
    return sum;
  }
}
