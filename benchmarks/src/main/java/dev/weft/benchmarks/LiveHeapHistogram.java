package dev.weft.benchmarks;

import dev.weft.scope.Scope;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * What each live task holds: {@code n} tasks blocked on one latch, in one Weft scope or as raw
 * virtual threads, and a class histogram of the live heap ({@code jcmd <pid> GC.class_histogram},
 * which collects first) taken while they all wait. Two warm-up rounds, the histogram on the third.
 * docs/performance.md ("Live heap per task") has the figures.
 *
 * <pre>
 * $ java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.LiveHeapHistogram weft 100000 weft.txt
 * $ java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.LiveHeapHistogram raw 100000 raw.txt
 * </pre>
 *
 * <p>Two options make it read the heap the way {@link ScaleBenchmark}'s {@code alive} probe does,
 * to tell which difference in method moves the figure: {@code --generated-names} forks with {@code
 * fork(body)} (Weft names each task {@code task-N}) instead of {@code fork("t" + i, body)}, and
 * {@code --at-last-fork} takes the histogram as soon as the last fork returns instead of once every
 * task has started and waits. {@code --warm-ups K} (default 2) sets the rounds before the one
 * measured: the scale benchmark's shot at 100,000 tasks comes after one warm-up shot.
 */
public final class LiveHeapHistogram {
  private LiveHeapHistogram() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || !(args[0].equals("weft") || args[0].equals("raw"))) {
      throw new IllegalArgumentException(
          "usage: LiveHeapHistogram weft|raw TASKS OUTPUT-FILE [--generated-names] [--at-last-fork]"
              + " [--warm-ups K],"
              + " e.g. weft 100000 weft.txt");
    }
    boolean weft = args[0].equals("weft");
    int n = Integer.parseInt(args[1]);
    File out = new File(args[2]);
    boolean generatedNames = false;
    boolean atLastFork = false;
    int warmUps = 2;
    for (int i = 3; i < args.length; i++) {
      switch (args[i]) {
        case "--generated-names" -> generatedNames = true;
        case "--at-last-fork" -> atLastFork = true;
        case "--warm-ups" -> {
          if (i + 1 == args.length) {
            throw new IllegalArgumentException("--warm-ups needs a count, e.g. --warm-ups 1");
          }
          warmUps = Integer.parseInt(args[++i]);
        }
        default ->
            throw new IllegalArgumentException(
                "unknown option '"
                    + args[i]
                    + "': pass --generated-names, --at-last-fork or --warm-ups K");
      }
    }
    for (int round = 0; round <= warmUps; round++) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(n);
      Callable<Integer> body =
          () -> {
            started.countDown();
            release.await();
            return 1;
          };
      File histogram = round == warmUps ? out : null;
      if (weft) {
        try (var scope = Scope.open("alive")) {
          for (int i = 0; i < n; i++) {
            if (generatedNames) {
              scope.fork(body);
            } else {
              scope.fork("t" + i, body);
            }
          }
          whenAllWait(atLastFork ? null : started, release, histogram);
          scope.join();
        }
      } else {
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
          threads[i] = Thread.ofVirtual().start(() -> call(body));
        }
        whenAllWait(atLastFork ? null : started, release, histogram);
        for (Thread t : threads) {
          t.join();
        }
      }
    }
  }

  private static void call(Callable<Integer> body) {
    try {
      body.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for {@code started} unless it is null, writes the histogram, opens {@code release}. */
  private static void whenAllWait(
      @Nullable CountDownLatch started, CountDownLatch release, @Nullable File histogram)
      throws InterruptedException, IOException {
    if (started != null) {
      started.await();
    }
    if (histogram != null) {
      String jcmd = System.getProperty("java.home") + "/bin/jcmd";
      long pid = ProcessHandle.current().pid();
      new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram")
          .redirectOutput(histogram)
          .redirectErrorStream(true)
          .start()
          .waitFor();
    }
    release.countDown();
  }
}
