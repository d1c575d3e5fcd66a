package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.scope.Factories.Kind;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** cancel(), interrupts of the owner, nested cancellation and tasks that ignore interrupts. */
class CancellationTest {

  private static <T> T blockForever() throws InterruptedException {
    new CountDownLatch(1).await();
    throw new AssertionError("not reached");
  }

  /** Joins {@code scope}; what join() throws goes to {@code thrown}, then on to the caller. */
  private static @Nullable Void joinRecording(Scope<Void> scope, AtomicReference<Throwable> thrown)
      throws InterruptedException {
    try {
      return scope.join();
    } catch (Throwable e) {
      thrown.set(e);
      throw e;
    }
  }

  /** cancel() interrupts running tasks and never starts pending ones; join reports it. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void cancel_runningAndPending_interruptsAndNeverStarts(Kind kind) throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicBoolean pendingRan = new AtomicBoolean();
    try (var scope = Scope.open("cancel", kind.and(c -> c.withMaxConcurrency(1)))) {
      Task<String> first =
          scope.fork(
              "first",
              () -> {
                running.countDown();
                try {
                  return blockForever();
                } catch (InterruptedException e) {
                  interrupted.countDown();
                  throw e;
                }
              });
      Task<String> queued =
          scope.fork(
              "queued",
              () -> {
                pendingRan.set(true);
                return "x";
              });
      Task<String> dependent = scope.fork("dependent", first, v -> v);
      running.await();
      scope.cancel();
      assertThat(scope.isCancelled()).isTrue();
      assertThatThrownBy(scope::join)
          .isInstanceOf(CancellationException.class)
          .hasMessageStartingWith("scope 'cancel' was cancelled by cancel() in thread '");
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(first.state()).isEqualTo(Task.State.CANCELLED);
      assertThat(queued.state()).isEqualTo(Task.State.CANCELLED);
      assertThat(dependent.state()).isIn(Task.State.CANCELLED, Task.State.SKIPPED);
    }
    assertThat(pendingRan).isFalse();
  }

  /** A task may cancel its own scope (any thread may call cancel). */
  @Test
  void cancel_fromTask_cancelsSiblings() throws Exception {
    try (var scope = Scope.open("self")) {
      Task<String> sibling = scope.fork("sibling", CancellationTest::blockForever);
      scope.fork(
          "canceller",
          () -> {
            scope.cancel();
            return null;
          });
      assertThatThrownBy(scope::join)
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining("in thread 'self/canceller'");
      assertThat(sibling.state()).isEqualTo(Task.State.CANCELLED);
    }
  }

  /** Cancelling a scope reaches the tasks of scopes nested inside its tasks. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void cancel_nestedScopes_reachesWholeSubtree(Kind kind) throws Exception {
    int leaves = 3;
    CountDownLatch allRunning = new CountDownLatch(leaves);
    CountDownLatch allInterrupted = new CountDownLatch(leaves);
    AtomicReference<Throwable> innerJoin = new AtomicReference<>();
    try (var outer = Scope.open("outer", kind.config())) {
      outer.fork(
          "middle",
          () -> {
            try (var inner = Scope.open("inner", kind.config())) {
              for (int i = 0; i < leaves; i++) {
                inner.fork(
                    "leaf" + i,
                    () -> {
                      allRunning.countDown();
                      try {
                        return blockForever();
                      } catch (InterruptedException e) {
                        allInterrupted.countDown();
                        throw e;
                      }
                    });
              }
              return joinRecording(inner, innerJoin);
            }
          });
      allRunning.await();
      outer.cancel();
      assertThatThrownBy(outer::join).isInstanceOf(CancellationException.class);
    }
    assertThat(allInterrupted.getCount()).isZero();
    assertThat(innerJoin.get()).isNotNull();
  }

  /**
   * close() without join() cancels what still runs, and says so: the scope's own tasks carry "scope
   * 'x' was closed", those of a scope nested in a task the same behind "enclosing scope 'x' was
   * cancelled: ". (The close's text is built only when a task reads it.)
   */
  @Test
  void close_withoutJoin_cancelledTasksAndNestedScopesNameTheClose() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    AtomicReference<Throwable> innerJoin = new AtomicReference<>();
    Task<String> blocked;
    Task<String> leaf;
    AtomicReference<Task<String>> leafRef = new AtomicReference<>();
    Scope<Void> outer = Scope.open("closing");
    try {
      blocked =
          outer.fork(
              "blocked",
              () -> {
                bothRunning.countDown();
                return blockForever();
              });
      outer.fork(
          "middle",
          () -> {
            try (var inner = Scope.open("inner")) {
              leafRef.set(
                  inner.fork(
                      "leaf",
                      () -> {
                        bothRunning.countDown();
                        return blockForever();
                      }));
              return joinRecording(inner, innerJoin);
            }
          });
      assertThat(bothRunning.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      assertThatThrownBy(outer::close).hasMessageContaining("was closed without join()");
    }
    leaf = leafRef.get();
    assertThat(blocked.state()).isEqualTo(Task.State.CANCELLED);
    assertThat(blocked.exception())
        .isInstanceOf(CancellationException.class)
        .hasMessage("task 'blocked' cancelled: scope 'closing' was closed");
    assertThat(leaf.state()).isEqualTo(Task.State.CANCELLED);
    assertThat(leaf.exception())
        .hasMessage(
            "task 'leaf' cancelled: enclosing scope 'closing' was cancelled: scope 'closing' was"
                + " closed");
    assertThat(innerJoin.get())
        .isInstanceOf(CancellationException.class)
        .hasMessageContaining("scope 'closing' was closed");
  }

  /** An interrupted owner: join throws InterruptedException and the tasks are cancelled. */
  @Test
  void join_ownerInterrupted_throwsAndCancelsTasks() throws Exception {
    try (var scope = Scope.open("interrupted")) {
      Task<String> t = scope.fork("t", CancellationTest::blockForever);
      Thread.currentThread().interrupt();
      assertThatThrownBy(scope::join)
          .isInstanceOf(InterruptedException.class)
          .hasMessage("interrupted while joining scope 'interrupted': its tasks were cancelled");
      assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
    }
    assertThat(Thread.interrupted()).isFalse(); // join consumed the interrupt it reported
  }

  /** An owner interrupted by another thread while blocked in join. */
  @Test
  void join_ownerInterruptedWhileWaiting_throws() throws Exception {
    Thread owner = Thread.currentThread();
    try (var scope = Scope.open("waiting")) {
      scope.fork(
          "interrupter",
          () -> {
            await().until(() -> owner.getState() == Thread.State.WAITING);
            owner.interrupt();
            return blockForever();
          });
      assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
    }
  }

  /**
   * A task that ignores interrupts keeps close waiting; a warning names it after the grace period.
   */
  @Test
  void close_taskIgnoresInterrupt_warnsNamingTaskAndWaits() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger(Scope.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    log.addAppender(events);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger interrupts = new AtomicInteger();
    AtomicBoolean finished = new AtomicBoolean();
    Thread closer;
    try {
      closer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (var scope =
                        Scope.open(
                            "stubborn", c -> c.withCancelGracePeriod(Duration.ofMillis(50)))) {
                      scope.fork(
                          "deaf",
                          () -> {
                            started.countDown();
                            while (true) {
                              try {
                                release.await();
                                finished.set(true);
                                return null;
                              } catch (InterruptedException e) {
                                interrupts.incrementAndGet();
                              }
                            }
                          });
                      started.await();
                      scope.cancel();
                      scope.join();
                    } catch (CancellationException expected) {
                      // the scope was cancelled
                    } catch (InterruptedException e) {
                      throw new AssertionError(e);
                    }
                  });
      await().atMost(Duration.ofSeconds(10)).until(() -> !events.list.isEmpty());
      assertThat(closer.isAlive()).isTrue(); // close() still waits
      assertThat(events.list.get(0).getFormattedMessage())
          .startsWith("scope 'stubborn': task 'deaf' still runs ")
          .endsWith(
              " ms after the scope was cancelled; it does not respond to interrupts, and "
                  + "close() waits for it");
      assertThat(events.list.get(0).getThrowableProxy().getMessage())
          .isEqualTo("stack of thread 'stubborn/deaf'");
      release.countDown();
      closer.join(Duration.ofSeconds(10));
      assertThat(closer.isAlive()).isFalse();
      assertThat(finished).isTrue(); // close returned only after the task ended
      assertThat(interrupts.get()).isPositive();
    } finally {
      log.detachAppender(events);
    }
  }

  /** cancel() is idempotent and join after it still works once. */
  @Test
  void cancel_twice_noEffectSecondTime() throws Exception {
    try (var scope = Scope.open("twice")) {
      scope.cancel();
      scope.cancel();
      Task<Integer> late = scope.fork("late", () -> 1); // forked after cancel: never started
      assertThat(late.state()).isEqualTo(Task.State.CANCELLED);
      assertThatThrownBy(scope::join).isInstanceOf(CancellationException.class);
    }
  }
}
