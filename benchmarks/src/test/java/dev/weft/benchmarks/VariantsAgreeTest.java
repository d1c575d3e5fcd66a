package dev.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every variant of a benchmark shape does the same work: one call of each returns the same result,
 * so their figures differ only by the machinery around the bodies.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VariantsAgreeTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 100})
  void fanOut_everyVariant_returnsTheSumOfTheTaskIndices(int n) throws Exception {
    FanOutBenchmark b = new FanOutBenchmark();
    b.n = n;
    b.setUp();
    try {
      long expected = (long) n * (n - 1) / 2;
      assertThat(b.weft()).isEqualTo(expected);
      assertThat(b.weftGeneratedNames()).isEqualTo(expected);
      assertThat(b.rawThreads()).isEqualTo(expected);
      assertThat(b.completableFuture()).isEqualTo(expected);
      assertThat(b.executorPerOp()).isEqualTo(expected);
      assertThat(b.weftDiamond()).isEqualTo(expected);
      assertThat(b.rawThreadsDiamond()).isEqualTo(expected);
      assertThat(b.completableFutureDiamond()).isEqualTo(expected);
    } finally {
      b.tearDown();
    }
  }

  @Test
  void layeredDag_everyVariant_returnsTheSequentialSum() throws Exception {
    LayeredDagBenchmark b = new LayeredDagBenchmark();
    b.layers = 5;
    b.width = 20;
    b.setUp();
    try {
      long expected = new LayeredDag(5, 20).expectedSum();
      assertThat(expected).isEqualTo(9100); // computed by hand (a Python loop) from the rule
      assertThat(b.weft()).isEqualTo(expected);
      assertThat(b.rawThreads()).isEqualTo(expected);
      assertThat(b.completableFutureInline()).isEqualTo(expected);
      assertThat(b.completableFutureAsync()).isEqualTo(expected);
    } finally {
      b.tearDown();
    }
  }

  @Test
  void layeredDag_halfOfTheTasksHaveThreeDistinctDependencies() {
    LayeredDag dag = new LayeredDag(5, 20);
    assertThat(dag.deps(0, 3)).isEmpty();
    assertThat(dag.deps(1, 2)).containsExactly(2, 3);
    assertThat(dag.deps(1, 19)).containsExactly(19, 0, 9);
    assertThat(dag.name(4, 7)).isEqualTo("L4-7");
  }

  @Test
  void layeredDag_tooNarrow_namesTheArgumentsAndTheFix() {
    assertThatThrownBy(() -> new LayeredDag(5, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("width >= 4")
        .hasMessageContaining("got layers=5, width=3")
        .hasMessageContaining("-p width=20");
  }

  @ParameterizedTest
  @ValueSource(strings = {"weft", "rawThreads"})
  void scale_sleep_measuresWallTimeForkPhaseAndPeakHeap(String variant) throws Exception {
    // 20,000 threads allocate tens of MB: more than the few regions in which G1 counts used heap.
    ScaleMetrics m = runScale(variant, 20_000, "sleep");
    assertThat(m.wallMs).isGreaterThanOrEqualTo(10.0); // every task sleeps 10 ms
    assertThat(m.forkNsPerTask).isPositive();
    assertThat(m.forkNsPerTask * 20_000 / 1e6).isLessThanOrEqualTo(m.wallMs);
    assertThat(m.peakHeapMB).isPositive();
    assertThat(m.liveBytesPerTask).isEqualTo(-1.0);
    assertThat(m.forkGcPauseMs).isNotNegative();
    assertThat(m.forkNsPerTaskOutsideGc)
        .isCloseTo(Math.max(0.0, m.forkNsPerTask - m.forkGcPauseMs * 1e6 / 20_000), within(1e-6));
  }

  @Test
  void scale_pauseInForkPhase_isTakenOutOfTheForkCost() {
    ScaleMetrics m = new ScaleMetrics();
    m.settle();
    m.begin(1000, "sleep");
    Object[] live = new Object[2_000_000]; // a live set that a full collection takes ms to mark
    for (int i = 0; i < live.length; i++) {
      live[i] = new int[] {i};
    }
    System.gc(); // a full collection, inside the "fork phase"
    m.forked();
    m.joined();
    assertThat(live[live.length - 1]).isNotNull();
    assertThat(m.forkGcPauseMs).isPositive();
    assertThat(m.forkNsPerTaskOutsideGc)
        .isCloseTo(m.forkNsPerTask - m.forkGcPauseMs * 1e6 / 1000, within(1e-6));
  }

  @ParameterizedTest
  @ValueSource(strings = {"weft", "rawThreads"})
  void scale_alive_measuresTheLiveHeapOfTheWaitingTasks(String variant) throws Exception {
    ScaleMetrics m = runScale(variant, 1000, "alive");
    assertThat(m.wallMs).isPositive();
    assertThat(m.forkNsPerTask).isPositive();
    // A parked virtual thread retains its Thread, continuation and stack: hundreds of bytes.
    assertThat(m.liveBytesPerTask).isBetween(200.0, 100_000.0);
  }

  @Test
  void scale_unknownShape_namesTheShapesAndTheFix() {
    ScaleBenchmark b = new ScaleBenchmark();
    b.n = 10;
    b.shape = "busy";
    ScaleMetrics m = new ScaleMetrics();
    assertThatThrownBy(() -> b.weft(m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape must be sleep or alive, got 'busy': pass -p shape=sleep,alive");
  }

  // --- implementation ---

  static ScaleMetrics runScale(String variant, int n, String shape) throws Exception {
    ScaleBenchmark b = new ScaleBenchmark();
    b.n = n;
    b.shape = shape;
    ScaleMetrics m = new ScaleMetrics();
    m.settle();
    switch (variant) {
      case "weft" -> b.weft(m);
      case "rawThreads" -> b.rawThreads(m);
      default -> throw new IllegalArgumentException(variant);
    }
    return m;
  }
}
