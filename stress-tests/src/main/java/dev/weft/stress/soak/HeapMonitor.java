package dev.weft.stress.soak;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Check (f), heap flat: every {@code everySeconds} the driver, between trees, runs {@code
 * System.gc()} twice and samples the used heap. The first sample, taken once the run is warm (after
 * the first interval), is the baseline; a later sample more than {@code boundBytes} above it is a
 * violation. A run shorter than two intervals takes its baseline at the start.
 */
final class HeapMonitor {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long everyNanos;
  private final long boundBytes;
  private long nextNanos;
  private long baseline = -1;
  private long last = -1;
  private boolean reported; // a growth is reported once

  HeapMonitor(long everySeconds, long boundBytes, long runSeconds) {
    this.everyNanos = TimeUnit.SECONDS.toNanos(everySeconds);
    this.boundBytes = boundBytes;
    this.nextNanos = System.nanoTime() + (runSeconds < 2 * everySeconds ? 0 : everyNanos);
  }

  /** Samples if a sample is due; returns a violation text if the heap grew past the bound. */
  String maybeSample() {
    if (System.nanoTime() - nextNanos < 0) {
      return null;
    }
    nextNanos = System.nanoTime() + everyNanos;
    return sample();
  }

  /** Samples now (at the end of the run); returns a violation text, or null. */
  String sample() {
    System.gc();
    System.gc();
    last = memory.getHeapMemoryUsage().getUsed();
    if (baseline < 0) {
      baseline = last;
      return null;
    }
    if (last - baseline > boundBytes && !reported) {
      reported = true;
      return "used heap after GC grew from "
          + mb(baseline)
          + " to "
          + mb(last)
          + ", more than "
          + mb(boundBytes)
          + " over the run";
    }
    return null;
  }

  long baseline() {
    return baseline;
  }

  long last() {
    return last;
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
