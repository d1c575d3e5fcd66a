package dev.weft.samples.load;

import dev.weft.samples.load.LoadReport.Sample;
import java.util.Locale;

/**
 * Draws a load run as an SVG scatter chart: one dot per request, when it was sent (x, seconds)
 * against how long its answer took (y, ms), coloured by outcome; dashed lines at the deadline and
 * at the deadline plus the margin; the percentiles in the title. Requests that got no answer are
 * drawn at the top edge, in black. Runs of more than {@value #MAX_DOTS} requests show every n-th
 * one (the caption says n); the figures in the title count all of them.
 */
final class SvgChart {
  /** The most dots drawn. */
  static final int MAX_DOTS = 6_000;

  private static final int WIDTH = 900;
  private static final int HEIGHT = 420;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 72;
  private static final int BOTTOM = 50;

  private SvgChart() {}

  /** The SVG document of {@code report}. */
  static String draw(LoadReport report) {
    double seconds = Math.max(0.001, report.took.toNanos() / 1e9);
    double limitMs = report.deadline.plus(report.margin).toMillis();
    double yMax = niceCeiling(Math.max(limitMs * 1.15, report.maxMs() * 1.05));
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
        fmt(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
    svg.append(
        fmt(
            "<text x=\"%d\" y=\"20\" font-size=\"14\">%d requests, %d clients, %.0f req/s: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms</text>%n",
            LEFT,
            report.samples.size(),
            report.clients,
            report.throughput(),
            report.percentileMs(50),
            report.percentileMs(95),
            report.percentileMs(99),
            report.maxMs()));
    svg.append(
        fmt(
            "<text x=\"%d\" y=\"38\" fill=\"#555\">%d ok, %d degraded, %d failed (502), %d deadline (504), %d other 5xx, %d without answer</text>%n",
            LEFT,
            report.ok,
            report.degraded,
            report.badGateway,
            report.deadlineMisses,
            report.other5xx,
            report.lost + report.hung));
    // axes and grid
    for (int i = 0; i <= 5; i++) {
      double ms = yMax * i / 5;
      double y = TOP + plotH - plotH * i / 5.0;
      svg.append(
          fmt(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
              LEFT, y, LEFT + plotW, y));
      svg.append(
          fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", LEFT - 6, y + 4, ms));
    }
    for (int i = 0; i <= 5; i++) {
      double x = LEFT + plotW * i / 5.0;
      svg.append(
          fmt(
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>%n",
              x, TOP + plotH + 18, seconds * i / 5));
    }
    svg.append(
        fmt(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds since start</text>%n",
            LEFT + plotW / 2, HEIGHT - 10));
    svg.append(
        fmt(
            "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">latency (ms)</text>%n",
            TOP + plotH / 2, TOP + plotH / 2));
    svg.append(
        fmt(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
            LEFT, TOP, plotW, plotH));
    line(svg, report.deadline.toMillis(), yMax, plotW, plotH, "#c60", "deadline");
    line(
        svg, limitMs, yMax, plotW, plotH, "#c00", "deadline + " + report.margin.toMillis() + " ms");
    // dots
    int n = report.samples.size();
    int stride = Math.max(1, (n + MAX_DOTS - 1) / MAX_DOTS);
    for (int i = 0; i < n; i += stride) {
      Sample s = report.samples.get(i);
      double x = LEFT + plotW * Math.min(1, s.startNanos() / 1e9 / seconds);
      double ms = s.answered() ? Math.min(s.latencyMs(), yMax) : yMax;
      double y = TOP + plotH - plotH * ms / yMax;
      svg.append(
          fmt(
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.8\" fill=\"%s\" fill-opacity=\"0.6\"/>%n",
              x, y, colour(s)));
    }
    legend(svg, plotW);
    if (stride > 1) {
      svg.append(
          fmt(
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">every %d. request shown</text>%n",
              LEFT + plotW, HEIGHT - 10, stride));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  // --- implementation ---

  private static String colour(Sample s) {
    if (!s.answered()) {
      return "#000";
    }
    return switch (s.status()) {
      case 200 -> s.degraded() ? "#e69f00" : "#009e73";
      case 502 -> "#d55e00";
      case 504 -> "#cc79a7";
      default -> "#0072b2";
    };
  }

  private static void line(
      StringBuilder svg,
      double ms,
      double yMax,
      int plotW,
      int plotH,
      String colour,
      String label) {
    if (ms > yMax) {
      return;
    }
    double y = TOP + plotH - plotH * ms / yMax;
    svg.append(
        fmt(
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6 4\"/>%n",
            LEFT, y, LEFT + plotW, y, colour));
    svg.append(
        fmt(
            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>%n",
            LEFT + plotW - 4, y - 4, colour, label));
  }

  private static void legend(StringBuilder svg, int plotW) {
    String[][] items = {
      {"#009e73", "ok"},
      {"#e69f00", "degraded"},
      {"#d55e00", "502"},
      {"#cc79a7", "504"},
      {"#0072b2", "other"},
      {"#000", "no answer"}
    };
    int x = LEFT + 4;
    int y = TOP - 10;
    for (String[] item : items) {
      svg.append(fmt("<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>%n", x, y - 4, item[0]));
      svg.append(fmt("<text x=\"%d\" y=\"%d\">%s</text>%n", x + 8, y, item[1]));
      x += 16 + 8 * item[1].length();
    }
  }

  /** A round number at or above {@code v}: 1, 2 or 5 times a power of ten. */
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= v) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
