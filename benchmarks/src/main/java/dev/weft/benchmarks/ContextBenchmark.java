package dev.weft.benchmarks;

import dev.weft.context.ContextPropagator;
import dev.weft.context.WeftContext;
import dev.weft.internal.ForkContext;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import io.micrometer.context.ContextRegistry;
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
import org.slf4j.MDC;

/**
 * The cost of context propagation (docs/observability.md, "Context in tasks"): what a fork pays to
 * capture the forking thread's context, and what a task pays to install and restore it.
 *
 * <p>{@code context} selects what the benchmark thread has when it forks; the class path has
 * logback (a real MDC) and io.micrometer:context-propagation:
 *
 * <ul>
 *   <li>{@code empty}: nothing; the registry has no accessor (context-propagation alone);
 *   <li>{@code emptyAccessor}: nothing, with one {@code ThreadLocalAccessor} registered whose value
 *       is null (as with micrometer-observation and no current Observation);
 *   <li>{@code mdc}: two MDC entries;
 *   <li>{@code accessor}: a value in a registered {@code ThreadLocalAccessor};
 *   <li>{@code propagator}: a value in a registered {@link ContextPropagator}.
 * </ul>
 *
 * <p>{@code capture} is the capture alone ({@code ForkContext.capture()}, what {@code fork} adds);
 * with {@code -prof gc}, {@code empty} and {@code emptyAccessor} should show 0 B/op. {@code
 * forkJoin} forks {@code n} trivial tasks and joins them, as {@code FanOutBenchmark.weft} does:
 * compare its {@code empty} figure with {@code FanOutBenchmark.weft} of the commit before context
 * propagation (benchmarks/compare-commits) for the cost on the empty path, and the other contexts
 * with {@code empty} for the cost of carrying one.
 *
 * <pre>
 * $ ./mvnw -B -q -pl framework,benchmarks -am package -DskipTests
 * $ java -jar benchmarks/target/benchmarks.jar ContextBenchmark -f 2 -wi 5 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(org.openjdk.jmh.annotations.Scope.Thread) // setup runs in the benchmark's own thread
public class ContextBenchmark {
  private static final String ACCESSOR_KEY = "weft-benchmark";
  private static final ThreadLocal<String> VALUE = new ThreadLocal<>();

  /** What the forking thread has (see the class comment). */
  @Param({"empty", "emptyAccessor", "mdc", "accessor", "propagator"})
  public String context;

  /** How many tasks {@code forkJoin} forks. */
  @Param({"1", "100"})
  public int n;

  private String[] names;
  private WeftContext.Registration registration;

  @Setup(Level.Trial)
  public void setUp() {
    names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = "task-" + i;
    }
    switch (context) {
      case "empty" -> {}
      case "emptyAccessor" ->
          ContextRegistry.getInstance().registerThreadLocalAccessor(ACCESSOR_KEY, VALUE);
      case "mdc" -> {
        MDC.put("requestId", "req-7");
        MDC.put("user", "user-42");
      }
      case "accessor" -> {
        ContextRegistry.getInstance().registerThreadLocalAccessor(ACCESSOR_KEY, VALUE);
        VALUE.set("trace-1");
      }
      case "propagator" -> {
        registration = WeftContext.register(ContextPropagator.ofThreadLocal("value", VALUE));
        VALUE.set("tenant-1");
      }
      default -> throw new IllegalArgumentException("unknown context: " + context);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    MDC.clear();
    VALUE.remove();
    ContextRegistry.getInstance().removeThreadLocalAccessor(ACCESSOR_KEY);
    if (registration != null) {
      registration.close();
    }
  }

  /** The capture alone: what {@code fork} adds in the owner. */
  @Benchmark
  public Object capture() {
    return ForkContext.capture();
  }

  /** {@code n} trivial tasks forked and joined, each with the context installed and restored. */
  @Benchmark
  public long forkJoin() throws InterruptedException {
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Task<Integer>[] tasks = new Task[n];
    try (Scope<Void> scope = Scope.open("context")) {
      for (int i = 0; i < n; i++) {
        Integer v = i;
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
}
