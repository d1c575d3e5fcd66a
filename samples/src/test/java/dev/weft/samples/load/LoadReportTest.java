package dev.weft.samples.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.samples.load.LoadReport.Sample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The figures of a load run, from made-up samples. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadReportTest {
  private static Sample answer(double ms, int status, boolean degraded) {
    return new Sample(0, (long) (ms * 1e6), status, degraded, null);
  }

  @Test
  void report_countsAndPercentiles() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      samples.add(answer(i, 200, i % 10 == 0)); // 1..100 ms, every 10th degraded
    }
    samples.add(answer(120, 502, false));
    samples.add(answer(510, 504, false));

    LoadReport r =
        new LoadReport(
            samples, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofMillis(50), 4);

    assertThat(r.ok).isEqualTo(90);
    assertThat(r.degraded).isEqualTo(10);
    assertThat(r.badGateway).isEqualTo(1);
    assertThat(r.deadlineMisses).isEqualTo(1);
    assertThat(r.late).isZero();
    assertThat(r.percentileMs(50)).isEqualTo(51); // nearest rank of 102 answers
    assertThat(r.percentileMs(99)).isEqualTo(120);
    assertThat(r.maxMs()).isEqualTo(510);
    assertThat(r.throughput()).isEqualTo(51);
    assertThat(r.passed()).isTrue();
  }

  @Test
  void report_lateLostHungOrOther5xx_fails() {
    Duration deadline = Duration.ofMillis(500);
    Duration margin = Duration.ofMillis(50);
    for (Sample bad :
        List.of(
            answer(551, 200, false),
            answer(10, 500, false),
            new Sample(0, 2_500_000_000L, 0, false, "hung"),
            new Sample(0, 1_000_000L, 0, false, "lost"))) {
      LoadReport r =
          new LoadReport(
              List.of(answer(10, 200, false), bad), Duration.ofSeconds(1), deadline, margin, 1);

      assertThat(r.passed()).as(bad.toString()).isFalse();
    }
  }

  @Test
  void print_oneTopicALineAndAVerdictPerPromise() {
    LoadReport r =
        new LoadReport(
            List.of(answer(10, 200, false), answer(20, 200, true), answer(600, 504, false)),
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            Duration.ofMillis(50),
            2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    r.print(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        "http://127.0.0.1:1/dashboard/{userId}");

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            load: 3 requests in 1.0 s from 2 clients against http://127.0.0.1:1/dashboard/{userId} (deadline 500 ms)
              throughput  3.0 requests/s
              latency     p50 20.0 ms, p95 600.0 ms, p99 600.0 ms, max 600.0 ms
              answers     1 ok, 1 degraded (200), 0 failed (502), 1 deadline misses (504), 0 other 5xx, 0 other
              no answer   0 lost (connection failed), 0 hung (none within the client timeout)
              PASS  every request answered (0 lost or hung)
              PASS  no 5xx other than 502/504 (0)
              FAIL  every answer within deadline + 50 ms (1 later; slowest 600 ms)
            """);
  }
}
