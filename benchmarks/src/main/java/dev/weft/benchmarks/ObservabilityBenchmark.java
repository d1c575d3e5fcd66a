package dev.weft.benchmarks;

import dev.weft.micrometer.DefaultTaskObservationConvention;
import dev.weft.micrometer.WeftMetrics;
import dev.weft.micrometer.WeftObservations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
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
 * What a request handler's fan-out pays for Weft's observability (issue 11): {@code n} trivial
 * tasks forked and joined, as {@code FanOutBenchmark.weft}, with
 *
 * <ul>
 *   <li>{@code off}: nothing switched on, as an application that uses none of it (the class path
 *       still has logback, context-propagation and micrometer-observation, whose {@code
 *       ObservationThreadLocalAccessor} is registered with no current observation);
 *   <li>{@code context}: two MDC entries and a current {@code Observation} in the forking thread,
 *       carried into every task;
 *   <li>{@code metrics}: {@code WeftMetrics} bound to a {@code SimpleMeterRegistry};
 *   <li>{@code observations}: {@code WeftObservations} installed in a registry with a handler (so
 *       observations are real, not no-ops), a scope observation and one per task;
 *   <li>{@code all}: the three together, as the HTTP sample runs;
 *   <li>{@code allNoTaskSpans}: as {@code all}, with an {@code ObservationPredicate} that refuses
 *       {@code weft.task}: a span per scope, none per task;
 *   <li>{@code allScopesOnly}: as {@code all}, with {@code WeftObservations.installScopesOnly}: the
 *       same spans, and nothing built per task.
 * </ul>
 *
 * <p>{@code rawThreads} starts and joins {@code n} virtual threads in the same run, the baseline of
 * docs/performance.md. {@code rawThreadsByHand} does the same with the switched-on parts written by
 * hand ({@link ObservabilityByHand}): the floor that the libraries' own calls set. Goal: {@code
 * all} at most 1.3x {@code off}.
 *
 * <pre>
 * $ ./mvnw -B -q -pl framework,benchmarks -am package -DskipTests
 * $ java -jar benchmarks/target/benchmarks.jar ObservabilityBenchmark -f 2 -wi 5 -i 5 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(org.openjdk.jmh.annotations.Scope.Thread) // setup runs in the benchmark's own thread
public class ObservabilityBenchmark {
  private static final List<String> PARTS =
      List.of(
          "off", "context", "metrics", "observations", "all", "allNoTaskSpans", "allScopesOnly");

  /** What is switched on (see the class comment): one of {@link #PARTS}. */
  @Param({"off", "context", "metrics", "observations", "all", "allNoTaskSpans", "allScopesOnly"})
  public String on;

  /** How many tasks each operation forks. */
  @Param({"1000"})
  public int n;

  private String[] names;
  private Integer[] values;
  private WeftMetrics metrics;
  private WeftObservations observations;
  private Observation.Scope current;
  private ObservabilityByHand byHand;

  @Setup(Level.Trial)
  public void setUp() {
    names = new String[n];
    values = new Integer[n];
    for (int i = 0; i < n; i++) {
      names[i] = "task-" + i;
      values[i] = i;
    }
    if (!PARTS.contains(on)) {
      throw new IllegalArgumentException("unknown part: " + on + ", expected one of " + PARTS);
    }
    boolean all = on.startsWith("all");
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new AcceptAll());
    if (on.equals("allNoTaskSpans")) {
      registry
          .observationConfig()
          .observationPredicate(
              (name, context) -> !name.equals(DefaultTaskObservationConvention.NAME));
    }
    if (all || on.equals("context")) {
      MDC.put("requestId", "req-7");
      MDC.put("user", "user-42");
      current = Observation.start("request", registry).openScope();
    }
    if (all || on.equals("metrics")) {
      metrics = new WeftMetrics();
      metrics.bindTo(new SimpleMeterRegistry());
    }
    byHand =
        new ObservabilityByHand(
            registry,
            all || on.equals("context"),
            all || on.equals("metrics") ? new SimpleMeterRegistry() : null,
            all || on.equals("observations"),
            !on.equals("allScopesOnly"),
            names);
    if (on.equals("allScopesOnly")) {
      observations = WeftObservations.installScopesOnly(registry);
    } else if (all || on.equals("observations")) {
      observations = WeftObservations.install(registry);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    MDC.clear();
    if (current != null) {
      current.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (observations != null) {
      observations.close();
    }
  }

  @Benchmark
  public long weft() throws InterruptedException {
    return FanOutBenchmark.weft(n, names, values);
  }

  @Benchmark
  public long rawThreads() throws InterruptedException {
    return FanOutBenchmark.rawThreads(n, values);
  }

  /**
   * The same fan-out on raw virtual threads, with the parts that {@link #on} names done by hand
   * ({@link ObservabilityByHand}): what the libraries' calls cost without Weft.
   */
  @Benchmark
  public long rawThreadsByHand() throws InterruptedException {
    return byHand.fanOut(values);
  }

  /** A handler that takes every observation and does nothing: observations are real, and cheap. */
  private static final class AcceptAll implements ObservationHandler<Observation.Context> {
    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }
}
