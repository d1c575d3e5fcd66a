package dev.weft.lockorder;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The thread-kind fixture of the lock tests: runs test bodies on platform or virtual threads,
 * bounded in time. A test whose threads can be of either kind takes a {@code ThreadFactory kind}
 * from {@link #kinds()} and runs once on each. Public for {@code issues/}.
 */
public final class Threads {
  private Threads() {}

  /**
   * The thread kinds every semantic test runs on, for
   * {@code @MethodSource("dev.weft.lockorder.Threads#kinds")}.
   */
  public static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(Named.of("platform", Thread.ofPlatform().name("platform-", 0).factory())),
        Arguments.of(Named.of("virtual", Thread.ofVirtual().name("virtual-", 0).factory())));
  }

  /** Runs {@code body} on a new thread of {@code factory}, waits for it, returns or rethrows. */
  public static <T> T call(ThreadFactory factory, Callable<T> body) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        factory.newThread(
            () -> {
              try {
                result.set(body.call());
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    t.start();
    if (!t.join(Duration.ofSeconds(20))) {
      throw new AssertionError("thread " + t + " did not finish in 20 s");
    }
    Throwable e = failure.get();
    if (e instanceof Exception ex) {
      throw ex;
    }
    if (e instanceof Error err) {
      throw err;
    }
    return result.get();
  }

  /** {@link #call} for bodies without a result. */
  public static void run(ThreadFactory factory, ThrowingRunnable body) throws Exception {
    call(
        factory,
        () -> {
          body.run();
          return null;
        });
  }

  /** A runnable that may throw. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** The thread's name as reports show it. */
  public static String name(Thread t) {
    return dev.weft.internal.ThreadNames.of(t);
  }

  /** Takes {@code locks} in order, then releases them in reverse. */
  public static void nest(java.util.concurrent.locks.Lock... locks) {
    int taken = 0;
    try {
      for (java.util.concurrent.locks.Lock l : locks) {
        l.lock();
        taken++;
      }
    } finally {
      for (int i = taken - 1; i >= 0; i--) {
        locks[i].unlock();
      }
    }
  }
}
