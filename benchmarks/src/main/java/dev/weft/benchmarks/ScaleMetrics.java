package dev.weft.benchmarks;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one operation of a scale benchmark measures besides JMH's own time, reported by JMH as
 * secondary results of the benchmark (one value per iteration in the JSON's {@code rawData}; the
 * {@code Score} JMH prints for them is the <em>sum</em> over iterations, read the median instead).
 *
 * <p>The benchmark calls {@link #begin} just before its first fork, {@link #forked()} after its
 * last, and {@link #joined()} once every task has ended. Two shapes of task body:
 *
 * <ul>
 *   <li>{@code sleep}: every task sleeps 10 ms. Early tasks end while later ones are forked.
 *   <li>{@code alive}: every task waits on one latch that {@link #forked()} opens, so all {@code n}
 *       tasks are alive at once. Before opening it, {@link #forked()} runs a full collection and
 *       reads the live heap: what {@code n} waiting tasks retain. That probe is left out of {@link
 *       #wallMs} (but not out of JMH's own score).
 * </ul>
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ScaleMetrics {
  /** Milliseconds from the first fork until every task has ended, without the heap probe. */
  public double wallMs;

  /** Nanoseconds per task of the fork phase: from the first fork until the last fork returns. */
  public double forkNsPerTask;

  /**
   * Milliseconds of collector pauses that ended during the fork phase ({@link
   * HeapWatch#pauseMillis()}): the part of the fork phase that is not the forks' own work.
   */
  public double forkGcPauseMs;

  /**
   * {@link #forkNsPerTask} without the collector pauses of the fork phase: what the forks
   * themselves cost, which the pauses (more of them as the scope grows) hide at large sizes.
   */
  public double forkNsPerTaskOutsideGc;

  /**
   * The peak used heap during the operation (before any collection or at the end) above the live
   * heap before it, in MB (2^20 bytes): live tasks and garbage not yet collected, so it depends on
   * the collector's sizing as much as on what the tasks retain. Between collections G1 counts the
   * used heap in whole regions (1 to 32 MB, by heap size), so below a few regions (about 10,000
   * tasks) this reads 0 or one region.
   */
  public double peakHeapMB;

  /**
   * {@code alive} only: the live heap with all {@code n} tasks waiting, above the live heap before
   * the operation, per task, in bytes; {@code -1} for {@code sleep}, where the tasks are never all
   * alive at once.
   */
  public double liveBytesPerTask;

  private int n;
  private boolean alive;
  private long baseline;
  private long start;
  private long forkEnd;
  private long pausesAtStart;
  private long probeNanos;
  private long live;
  private ScaleTask task = new ScaleTask(null);

  /** Before each measured operation: collects the garbage of the last one and reads the heap. */
  @Setup(Level.Iteration)
  public void settle() {
    baseline = HeapWatch.liveAfterGc();
    HeapWatch.resetPeak();
  }

  /**
   * Starts measuring; returns the body every task of this operation runs.
   *
   * @throws IllegalArgumentException if {@code shape} is not {@code sleep} or {@code alive}
   */
  ScaleTask begin(int n, String shape) {
    alive =
        switch (shape) {
          case "alive" -> true;
          case "sleep" -> false;
          default ->
              throw new IllegalArgumentException(
                  "shape must be sleep or alive, got '" + shape + "': pass -p shape=sleep,alive");
        };
    this.n = n;
    task = new ScaleTask(alive ? new CountDownLatch(1) : null);
    probeNanos = 0;
    live = 0;
    pausesAtStart = HeapWatch.pauseMillis();
    start = System.nanoTime();
    return task;
  }

  /**
   * The last fork has returned; in the {@code alive} shape, probes the heap and opens the latch.
   */
  void forked() {
    forkEnd = System.nanoTime();
    forkGcPauseMs = HeapWatch.pauseMillis() - pausesAtStart;
    if (alive) {
      live = HeapWatch.liveAfterGc();
      probeNanos = System.nanoTime() - forkEnd;
      task.open();
    }
  }

  /** Every task has ended: computes the results of this operation. */
  void joined() {
    long end = System.nanoTime();
    long usedAtEnd = HeapWatch.used();
    wallMs = (end - start - probeNanos) / 1e6;
    forkNsPerTask = (double) (forkEnd - start) / n;
    forkNsPerTaskOutsideGc = Math.max(0.0, (forkEnd - start - forkGcPauseMs * 1e6) / n);
    peakHeapMB = (Math.max(HeapWatch.peakBeforeGc(), usedAtEnd) - baseline) / (1024.0 * 1024.0);
    liveBytesPerTask = alive ? (double) (live - baseline) / n : -1;
  }

  /** The body of every task of one operation: sleep 10 ms, or wait for the latch. */
  static final class ScaleTask implements Callable<Object> {
    /** Opened by the owner in {@link #forked()}; null in the sleep shape. Final: safely shared. */
    private final CountDownLatch gate;

    ScaleTask(CountDownLatch gate) {
      this.gate = gate;
    }

    @Override
    public Object call() throws InterruptedException {
      if (gate != null) {
        gate.await();
      } else {
        Thread.sleep(10);
      }
      return this;
    }

    /** The same body for a raw thread, which cannot throw; nothing interrupts it here. */
    void run() {
      try {
        call();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void open() {
      if (gate != null) {
        gate.countDown();
      }
    }
  }
}
