package dev.weft.samples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scope.ScopeTrace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bounded store of recent traces: the oldest go first, an id put again keeps its newest. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecentTracesTest {
  @Test
  void put_beyondCapacity_evictsTheOldest() {
    RecentTraces traces = new RecentTraces(3);
    ScopeTrace a = trace("a");
    ScopeTrace b = trace("b");
    ScopeTrace c = trace("c");
    ScopeTrace d = trace("d");

    traces.put("a", a);
    traces.put("b", b);
    traces.put("c", c);
    assertThat(traces.get("a")).isSameAs(a);
    traces.put("d", d);

    assertThat(traces.get("a")).isNull();
    assertThat(traces.get("b")).isSameAs(b);
    assertThat(traces.get("c")).isSameAs(c);
    assertThat(traces.get("d")).isSameAs(d);
    assertThat(traces.size()).isEqualTo(3);
    assertThat(traces.get("never")).isNull();
  }

  @Test
  void put_sameIdAgain_keepsTheNewestUntilItIsEvicted() {
    RecentTraces traces = new RecentTraces(2);
    ScopeTrace first = trace("first");
    ScopeTrace second = trace("second");

    traces.put("r", first);
    traces.put("r", second);
    assertThat(traces.get("r")).isSameAs(second);
    traces.put("x", trace("x")); // evicts the first entry of "r": the second stays
    assertThat(traces.get("r")).isSameAs(second);
    traces.put("y", trace("y")); // evicts the second entry of "r"

    assertThat(traces.get("r")).isNull();
    assertThat(traces.size()).isEqualTo(2);
  }

  @Test
  void put_fromManyThreads_keepsExactlyCapacityOnceTheyEnd() throws Exception {
    int capacity = 64;
    int threads = 8;
    int each = 2_000;
    RecentTraces traces = new RecentTraces(capacity);
    ScopeTrace trace = trace("t");
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> puts = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        String prefix = "t" + t + "-";
        puts.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < each; i++) {
                    traces.put(prefix + i, trace);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : puts) {
        f.get(30, TimeUnit.SECONDS);
      }
    }

    assertThat(traces.size()).isEqualTo(capacity);
  }

  @Test
  void capacityBelowOne_refusedNamingTheValue() {
    assertThatThrownBy(() -> new RecentTraces(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be at least 1 (the number of traces kept), was 0");
  }

  private static ScopeTrace trace(String name) {
    return ScopeTrace.of(
        Instant.EPOCH,
        new ScopeTrace.TracedScope(
            name, name, "fail-fast", "main", 0, 1, null, 2, List.of(), List.of()));
  }
}
