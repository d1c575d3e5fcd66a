package dev.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code StructuredTaskScope} variants do the same work as the others of their shape: the same
 * results as {@code FanOutBenchmark} and {@code LayeredDagBenchmark}, the same metrics as {@code
 * ScaleBenchmark}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StsVariantsAgreeTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 100})
  void fanOut_andDiamond_returnTheSumOfTheTaskIndices(int n) throws Exception {
    FanOutStsBenchmark b = new FanOutStsBenchmark();
    b.n = n;
    b.setUp();
    FanOutBenchmark weft = new FanOutBenchmark();
    weft.n = n;
    weft.setUp();
    try {
      long expected = (long) n * (n - 1) / 2;
      assertThat(b.structuredTaskScope()).isEqualTo(expected).isEqualTo(weft.weft());
      assertThat(b.structuredTaskScopeDiamond()).isEqualTo(expected).isEqualTo(weft.weftDiamond());
    } finally {
      weft.tearDown();
    }
  }

  @Test
  void layeredDag_scopePerLayer_returnsTheSequentialSum() throws Exception {
    LayeredDagStsBenchmark b = new LayeredDagStsBenchmark();
    b.layers = 5;
    b.width = 20;
    b.setUp();
    assertThat(b.structuredTaskScope()).isEqualTo(9100); // as VariantsAgreeTest
  }

  @Test
  void scale_sleep_andAlive_measureEveryMetric() throws Exception {
    ScaleStsBenchmark b = new ScaleStsBenchmark();
    b.n = 1000;
    b.shape = "sleep";
    ScaleMetrics m = new ScaleMetrics();
    m.settle();
    b.structuredTaskScope(m);
    assertThat(m.wallMs).isGreaterThanOrEqualTo(10.0);
    assertThat(m.forkNsPerTask).isPositive();
    assertThat(m.liveBytesPerTask).isEqualTo(-1.0);

    b.shape = "alive";
    m.settle();
    b.structuredTaskScope(m);
    assertThat(m.liveBytesPerTask).isBetween(200.0, 100_000.0);
  }
}
