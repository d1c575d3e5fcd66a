package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Scope;
import dev.weft.scope.TaskFailedException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a failure a cancelled task threw while it stopped was lost.
 *
 * <p>Under fail-fast, task 'a' fails and the scope cancels task 'b', which was running. If 'b'
 * answered the interrupt with a failure of its own (its cleanup failed, say), that failure was a
 * "late outcome of a cancelled task" and was discarded, logged at TRACE only: the caller never
 * learnt that 'b' broke while it stopped. Such a failure must reach the caller: attached, inside an
 * exception that names 'b', to the exception that leaves the try-with-resources block. An echo of
 * the cancellation itself (the {@code InterruptedException} rethrown, a {@code
 * CancellationException}, or an exception caused by the {@code InterruptedException}) is not news
 * and is not attached; and at most 16 late failures are attached, with one more exception that says
 * how many more there were.
 */
class RacingFailuresDeliveredTest {

  /**
   * Each thread kind with each way a cancelled task echoes its cancellation: from the
   * InterruptedException it caught to what it throws.
   */
  static Stream<Arguments> kindsAndEchoes() {
    List<Named<Function<InterruptedException, Exception>>> echoes =
        List.of(
            Named.of("rethrows InterruptedException", ie -> ie),
            Named.of("throws CancellationException", ie -> new CancellationException("c stopped")),
            Named.of(
                "throws an exception caused by InterruptedException",
                ie -> new IllegalStateException("c was interrupted", ie)));
    return dev.weft.scope.Factories.kinds()
        .flatMap(kind -> echoes.stream().map(echo -> Arguments.of(kind.get()[0], echo)));
  }

  /** b's own failure while it stops is attached (naming 'b'); c's echo of the cancel is not. */
  @ParameterizedTest
  @MethodSource("kindsAndEchoes")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_cancelledTaskThrowsOwnFailure_failureAttachedEchoNot(
      Kind kind, Function<InterruptedException, Exception> echo) throws Exception {
    AtomicReference<Throwable> bThrew = new AtomicReference<>();
    AtomicReference<Throwable> cThrew = new AtomicReference<>();
    CountDownLatch running = new CountDownLatch(2);
    Throwable escaped =
        catchThrowable(
            () -> {
              try (var scope = Scope.open("race", kind.config())) {
                scope.fork(
                    "b",
                    () -> {
                      try {
                        running.countDown();
                        return block();
                      } catch (InterruptedException e) {
                        IllegalStateException own = new IllegalStateException("b cleanup failed");
                        bThrew.set(own);
                        throw own;
                      }
                    });
                scope.fork(
                    "c",
                    () -> {
                      try {
                        running.countDown();
                        return block();
                      } catch (InterruptedException e) {
                        Exception echoed = echo.apply(e);
                        cThrew.set(echoed);
                        throw echoed;
                      }
                    });
                scope.fork(
                    "a",
                    () -> {
                      running.await();
                      throw new IOException("a failed");
                    });
                scope.join();
              }
            });
    assertThat(escaped)
        .as("%s: what leaves the block", kind)
        .isInstanceOf(TaskFailedException.class);
    assertThat(((TaskFailedException) escaped).taskName()).isEqualTo("a");
    assertThat(bThrew.get()).as("b threw on its interrupt").isNotNull();
    assertThat(Causes.reachable(escaped))
        .as(
            "%s: an exception naming 'b' that carries b's failure, in:%s",
            kind, Causes.describe(escaped))
        .anySatisfy(
            t -> {
              assertThat(Causes.messageOf(t)).contains("'b'");
              assertThat(Causes.carries(t, bThrew.get())).isTrue();
            });
    assertThat(cThrew.get()).as("c threw on its interrupt").isNotNull();
    assertThat(Causes.carries(escaped, cThrew.get()))
        .as("%s: c's echo of the cancel attached, in:%s", kind, Causes.describe(escaped))
        .isFalse();
  }

  /**
   * 40 cancelled tasks fail while they stop: 16 failures are attached, and "24 more" are counted.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void close_fortyCancelledTasksThrowOwnFailures_sixteenAttachedRestCounted(Kind kind)
      throws Exception {
    int n = 40;
    AtomicReferenceArray<Throwable> threw = new AtomicReferenceArray<>(n);
    CountDownLatch running = new CountDownLatch(n);
    Throwable escaped =
        catchThrowable(
            () -> {
              try (var scope = Scope.open("race", kind.config())) {
                for (int i = 0; i < n; i++) {
                  int k = i;
                  scope.fork(
                      "n" + i,
                      () -> {
                        try {
                          running.countDown();
                          return block();
                        } catch (InterruptedException e) {
                          IllegalStateException own =
                              new IllegalStateException("n" + k + " cleanup failed");
                          threw.set(k, own);
                          throw own;
                        }
                      });
                }
                scope.fork(
                    "a",
                    () -> {
                      running.await();
                      throw new IOException("a failed");
                    });
                scope.join();
              }
            });
    assertThat(escaped).isInstanceOf(TaskFailedException.class);
    assertThat(((TaskFailedException) escaped).taskName()).isEqualTo("a");
    List<Throwable> carried = Causes.reachable(escaped);
    long attached =
        IntStream.range(0, n)
            .filter(k -> threw.get(k) != null && carried.stream().anyMatch(t -> t == threw.get(k)))
            .count();
    assertThat(attached)
        .as("late failures attached, in:%s", Causes.describe(escaped))
        .isEqualTo(16);
    assertThat(carried)
        .as("a note counting the rest, in:%s", Causes.describe(escaped))
        .anySatisfy(t -> assertThat(Causes.messageOf(t)).contains("24 more"));
  }

  private static <T> T block() throws InterruptedException {
    new CountDownLatch(1).await();
    throw new AssertionError("not reached");
  }
}
