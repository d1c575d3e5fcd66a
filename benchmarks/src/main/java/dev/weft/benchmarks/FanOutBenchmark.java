package dev.weft.benchmarks;

import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * The cost of forking {@code n} trivial tasks and waiting for them: a Weft scope against raw
 * virtual threads and against {@link CompletableFuture} on a virtual-thread-per-task executor.
 *
 * <p>Every variant does the same work per task: it returns a pre-boxed {@code Integer} (so no
 * variant pays for boxing), and the benchmark thread sums the results after the join and returns
 * the sum (JMH consumes it). What differs is the machinery around the body:
 *
 * <ul>
 *   <li>{@code weft}: {@code Scope.open}, {@code fork(name, body)} per task (names are built once,
 *       in setup), {@code join()}, {@code close()}, then {@code Task.get()} per task.
 *   <li>{@code weftGeneratedNames}: the same with {@code fork(body)}, which names tasks {@code
 *       task-N} itself.
 *   <li>{@code rawThreads}: {@code Thread.ofVirtual().start(..)} per task, the body stores its
 *       result in an array slot, then {@code Thread.join()} per thread.
 *   <li>{@code completableFuture}: {@code CompletableFuture.supplyAsync(.., executor)} per task on
 *       one {@code Executors.newVirtualThreadPerTaskExecutor()} made in setup, then {@code
 *       allOf(..).join()} and {@code join()} per future. Unlike the other two, this does not wait
 *       for the threads themselves to end, only for the futures to complete.
 *   <li>{@code executorPerOp}: a new {@code Executors.newVirtualThreadPerTaskExecutor()} per
 *       operation, {@code submit(..)} per task, {@code close()} (which waits until every task has
 *       completed), then {@code resultNow()} per future: the JDK's own structured idiom without
 *       {@code StructuredTaskScope}.
 * </ul>
 *
 * <p>The JDK's {@code StructuredTaskScope} (a preview API on JDK 25) is measured on the same shapes
 * by {@code FanOutStsBenchmark} in {@code benchmarks-jdk25/}, whose jar also holds this class.
 *
 * <p>The {@code ...Diamond} variants measure dependency joins: one root task, {@code n} tasks that
 * each need the root's result, and one sink that needs all {@code n} and sums them ({@code n + 2}
 * tasks in all). Weft declares the dependencies ({@code fork(name, root, body)}, {@code fork(name,
 * list, body)}) and starts a dependent's thread only once its dependencies have succeeded; raw
 * threads start everything at once and block in {@code Thread.join()}; the {@code
 * CompletableFuture} variant chains {@code thenApplyAsync} and {@code allOf}.
 *
 * <p>How to run (see {@code docs/performance.md} for the figures and how to read them):
 *
 * <pre>
 * $ ./mvnw -B -q -pl framework,benchmarks -am package -DskipTests
 * $ java -jar benchmarks/target/benchmarks.jar FanOut -f 2 -wi 5 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class FanOutBenchmark {

  /** How many tasks one operation forks (the diamond adds a root and a sink). */
  @Param({"1", "10", "100", "1000"})
  public int n;

  private Integer[] values;
  private String[] names;
  private ExecutorService executor;

  @Setup(Level.Trial)
  public void setUp() {
    values = new Integer[n + 1];
    names = new String[n];
    for (int i = 0; i < n; i++) {
      values[i] = i; // values[n] stays null: the diamond reads values[root + i], root = 0
      names[i] = "task-" + i;
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    executor.close();
  }

  // --- fan-out: n independent tasks, then join ---

  @Benchmark
  public long weft() throws InterruptedException {
    return weft(n, names, values);
  }

  /** {@code n} tasks named {@code names} returning {@code values}, forked and joined. */
  static long weft(int n, String[] names, Integer[] values) throws InterruptedException {
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Task<Integer>[] tasks = new Task[n];
    try (Scope<Void> scope = Scope.open("fan-out")) {
      for (int i = 0; i < n; i++) {
        Integer v = values[i];
        tasks[i] = scope.fork(names[i], () -> v);
      }
      scope.join();
    }
    long sum = 0;
    for (Task<Integer> t : tasks) {
      sum += t.get();
    }
    return sum;
  }

  @Benchmark
  public long weftGeneratedNames() throws InterruptedException {
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Task<Integer>[] tasks = new Task[n];
    try (Scope<Void> scope = Scope.open("fan-out")) {
      for (int i = 0; i < n; i++) {
        Integer v = values[i];
        tasks[i] = scope.fork(() -> v);
      }
      scope.join();
    }
    long sum = 0;
    for (Task<Integer> t : tasks) {
      sum += t.get();
    }
    return sum;
  }

  @Benchmark
  public long rawThreads() throws InterruptedException {
    return rawThreads(n, values);
  }

  /** {@code n} virtual threads storing {@code values}, started and joined. */
  static long rawThreads(int n, Integer[] values) throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    for (int i = 0; i < n; i++) {
      Integer v = values[i];
      int slot = i;
      threads[i] = Thread.ofVirtual().start(() -> results[slot] = v);
    }
    for (Thread t : threads) {
      t.join();
    }
    long sum = 0;
    for (Integer r : results) {
      sum += r;
    }
    return sum;
  }

  @Benchmark
  public long completableFuture() {
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    CompletableFuture<Integer>[] futures = new CompletableFuture[n];
    for (int i = 0; i < n; i++) {
      Integer v = values[i];
      futures[i] = CompletableFuture.supplyAsync(() -> v, executor);
    }
    CompletableFuture.allOf(futures).join();
    long sum = 0;
    for (CompletableFuture<Integer> f : futures) {
      sum += f.join();
    }
    return sum;
  }

  @Benchmark
  public long executorPerOp() {
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Future<Integer>[] futures = new Future[n];
    try (ExecutorService perOp = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        Integer v = values[i];
        futures[i] = perOp.submit(() -> v);
      }
    }
    long sum = 0;
    for (Future<Integer> f : futures) {
      sum += f.resultNow();
    }
    return sum;
  }

  // --- diamond: root -> n dependents -> sink ---

  @Benchmark
  public long weftDiamond() throws InterruptedException {
    Task<Long> sink;
    try (Scope<Void> scope = Scope.open("diamond")) {
      List<Task<Integer>> middle = rootAndDependents(scope);
      sink = scope.fork("sink", middle, () -> sum(middle));
      scope.join();
    }
    return sink.get();
  }

  /**
   * The diamond without its sink: the root and its {@code n} dependents, summed by the owner after
   * {@code join()}. Against {@link #weftDiamond} it shows what the sink costs (one task that
   * depends on all {@code n}), against {@link #weft} what a dependency on the root costs.
   */
  @Benchmark
  public long weftDiamondNoSink() throws InterruptedException {
    List<Task<Integer>> middle;
    try (Scope<Void> scope = Scope.open("diamond")) {
      middle = rootAndDependents(scope);
      scope.join();
    }
    return sum(middle);
  }

  /**
   * The diamond whose sink reads none of its 1,000 dependencies' results: against {@link
   * #weftDiamond} it shows what the sink's reads cost, against {@link #weftDiamondNoSink} what
   * waiting for 1,000 dependencies and starting the sink cost.
   */
  @Benchmark
  public long weftDiamondSinkReadsNothing() throws InterruptedException {
    Task<Long> sink;
    try (Scope<Void> scope = Scope.open("diamond")) {
      List<Task<Integer>> middle = rootAndDependents(scope);
      sink = scope.fork("sink", middle, () -> (long) middle.size());
      scope.join();
    }
    return sink.get();
  }

  /** Forks the diamond's root and its {@code n} dependents in {@code scope}; returns those. */
  private List<Task<Integer>> rootAndDependents(Scope<Void> scope) {
    Task<Integer> root = scope.fork("root", () -> values[0]);
    List<Task<Integer>> middle = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int offset = i;
      middle.add(scope.fork(names[i], root, r -> values[r + offset]));
    }
    return middle;
  }

  /** The sum of the results of {@code tasks}, which have succeeded. */
  private static long sum(List<Task<Integer>> tasks) {
    long sum = 0;
    for (Task<Integer> t : tasks) {
      sum += t.get();
    }
    return sum;
  }

  @Benchmark
  public long rawThreadsDiamond() throws InterruptedException {
    Integer[] rootResult = new Integer[1];
    Integer[] results = new Integer[n];
    long[] sinkResult = new long[1];
    Thread root = Thread.ofVirtual().start(() -> rootResult[0] = values[0]);
    Thread[] middle = new Thread[n];
    for (int i = 0; i < n; i++) {
      int offset = i;
      middle[i] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    RawThreads.joinUninterruptibly(root);
                    results[offset] = values[rootResult[0] + offset];
                  });
    }
    Thread sink =
        Thread.ofVirtual()
            .start(
                () -> {
                  long sum = 0;
                  for (int i = 0; i < middle.length; i++) {
                    RawThreads.joinUninterruptibly(middle[i]);
                    sum += results[i];
                  }
                  sinkResult[0] = sum;
                });
    sink.join();
    root.join(); // already ended: the middle tasks joined it (kept for n = 0)
    return sinkResult[0];
  }

  @Benchmark
  public long completableFutureDiamond() {
    CompletableFuture<Integer> root = CompletableFuture.supplyAsync(() -> values[0], executor);
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    CompletableFuture<Integer>[] middle = new CompletableFuture[n];
    for (int i = 0; i < n; i++) {
      int offset = i;
      middle[i] = root.thenApplyAsync(r -> values[r + offset], executor);
    }
    CompletableFuture<Long> sink =
        CompletableFuture.allOf(middle)
            .thenApplyAsync(
                ignored -> {
                  long sum = 0;
                  for (CompletableFuture<Integer> f : middle) {
                    sum += f.join();
                  }
                  return sum;
                },
                executor);
    return sink.join();
  }
}
