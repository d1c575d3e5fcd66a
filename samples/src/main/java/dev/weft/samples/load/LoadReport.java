package dev.weft.samples.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The figures of one load run, from its samples: throughput, latency percentiles, and how many
 * answers were fine, degraded, failed (502), late (504), beyond the deadline plus the margin, or
 * never came. {@link #print} writes them; {@link #passed} says whether the run kept the promises
 * the sample makes (no lost or hung request, no 5xx other than 502 and 504, every answer within the
 * deadline plus the margin).
 */
final class LoadReport {
  /**
   * One request of the run.
   *
   * @param startNanos when it was sent, after the run started
   * @param latencyNanos how long until the whole answer arrived (or the client gave up)
   * @param status the HTTP status, or 0 if no answer came
   * @param degraded whether a 200 named degraded parts
   * @param error why no answer came ({@code "hung"}: none within the client's timeout; {@code
   *     "lost"}: the connection failed), or null
   */
  record Sample(long startNanos, long latencyNanos, int status, boolean degraded, String error) {
    boolean answered() {
      return status != 0;
    }

    double latencyMs() {
      return latencyNanos / 1e6;
    }
  }

  final List<Sample> samples;
  final Duration took;
  final Duration deadline;
  final Duration margin;
  final int clients;

  final long ok;
  final long degraded;
  final long badGateway;
  final long deadlineMisses;
  final long other5xx;
  final long other;
  final long lost;
  final long hung;
  final long late;
  private final double[] sortedMs;

  LoadReport(List<Sample> samples, Duration took, Duration deadline, Duration margin, int clients) {
    this.samples = List.copyOf(samples);
    this.took = took;
    this.deadline = deadline;
    this.margin = margin;
    this.clients = clients;
    ok = count(s -> s.status == 200 && !s.degraded);
    degraded = count(s -> s.status == 200 && s.degraded);
    badGateway = count(s -> s.status == 502);
    deadlineMisses = count(s -> s.status == 504);
    other5xx = count(s -> s.status >= 500 && s.status != 502 && s.status != 504);
    other = count(s -> s.answered() && s.status != 200 && s.status < 500);
    lost = count(s -> "lost".equals(s.error));
    hung = count(s -> "hung".equals(s.error));
    long limit = deadline.plus(margin).toNanos();
    late = count(s -> s.answered() && s.latencyNanos > limit);
    sortedMs =
        this.samples.stream()
            .filter(Sample::answered)
            .mapToDouble(Sample::latencyMs)
            .sorted()
            .toArray();
  }

  /** The latency below which {@code p} percent of the answers came (nearest rank), in ms. */
  double percentileMs(double p) {
    if (sortedMs.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedMs.length);
    return sortedMs[Math.max(0, Math.min(sortedMs.length - 1, rank - 1))];
  }

  /** The slowest answer, in ms. */
  double maxMs() {
    return sortedMs.length == 0 ? 0 : sortedMs[sortedMs.length - 1];
  }

  /** Requests per second over the run. */
  double throughput() {
    double seconds = took.toNanos() / 1e9;
    return seconds == 0 ? 0 : samples.size() / seconds;
  }

  /** Whether the run kept every promise (see the class comment). */
  boolean passed() {
    return lost == 0 && hung == 0 && other5xx == 0 && late == 0;
  }

  /** Writes the figures, one topic a line, then a verdict line per promise. */
  void print(PrintStream out, String target) {
    out.printf(
        Locale.ROOT,
        "load: %d requests in %.1f s from %d clients against %s (deadline %d ms)%n",
        samples.size(),
        took.toNanos() / 1e9,
        clients,
        target,
        deadline.toMillis());
    out.printf(Locale.ROOT, "  throughput  %.1f requests/s%n", throughput());
    out.printf(
        Locale.ROOT,
        "  latency     p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        percentileMs(50),
        percentileMs(95),
        percentileMs(99),
        maxMs());
    out.printf(
        Locale.ROOT,
        "  answers     %d ok, %d degraded (200), %d failed (502), %d deadline misses (504),"
            + " %d other 5xx, %d other%n",
        ok,
        degraded,
        badGateway,
        deadlineMisses,
        other5xx,
        other);
    out.printf(
        Locale.ROOT,
        "  no answer   %d lost (connection failed), %d hung (none within the client timeout)%n",
        lost,
        hung);
    verdict(out, lost + hung == 0, "every request answered (" + (lost + hung) + " lost or hung)");
    verdict(out, other5xx == 0, "no 5xx other than 502/504 (" + other5xx + ")");
    verdict(
        out,
        late == 0,
        "every answer within deadline + "
            + margin.toMillis()
            + " ms ("
            + late
            + " later; slowest "
            + Math.round(maxMs())
            + " ms)");
  }

  // --- implementation ---

  private long count(Predicate<Sample> which) {
    return samples.stream().filter(which).count();
  }

  private static void verdict(PrintStream out, boolean ok, String what) {
    out.println("  " + (ok ? "PASS" : "FAIL") + "  " + what);
  }
}
