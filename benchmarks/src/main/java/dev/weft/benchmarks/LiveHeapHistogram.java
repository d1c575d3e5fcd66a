package dev.weft.benchmarks;

import dev.weft.scope.Scope;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

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
 */
public final class LiveHeapHistogram {
  private LiveHeapHistogram() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !(args[0].equals("weft") || args[0].equals("raw"))) {
      throw new IllegalArgumentException(
          "usage: LiveHeapHistogram weft|raw TASKS OUTPUT-FILE, e.g. weft 100000 weft.txt");
    }
    boolean weft = args[0].equals("weft");
    int n = Integer.parseInt(args[1]);
    File out = new File(args[2]);
    for (int round = 0; round < 3; round++) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(n);
      Callable<Integer> body =
          () -> {
            started.countDown();
            release.await();
            return 1;
          };
      File histogram = round == 2 ? out : null;
      if (weft) {
        try (var scope = Scope.open("alive")) {
          for (int i = 0; i < n; i++) {
            scope.fork("t" + i, body);
          }
          whenAllWait(started, release, histogram);
          scope.join();
        }
      } else {
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
          threads[i] = Thread.ofVirtual().start(() -> call(body));
        }
        whenAllWait(started, release, histogram);
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

  private static void whenAllWait(CountDownLatch started, CountDownLatch release, File histogram)
      throws InterruptedException, IOException {
    started.await();
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
