package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * What a scope keeps of a task that ended while the scope is still open: its outcome, not what its
 * body captured. A handler that forks many tasks over one input each must not hold every input
 * until {@code close()}.
 */
class TaskMemoryTest {
  private static final Duration GC_WAIT = Duration.ofSeconds(10);

  /** A body that captures a large array, and a weak reference to that array. */
  private record Captured(Callable<Integer> body, WeakReference<byte[]> input) {
    static Captured of(boolean fail) {
      byte[] input = new byte[4 << 20];
      Callable<Integer> body =
          () -> {
            if (fail) {
              throw new IllegalStateException("failed over " + input.length + " bytes");
            }
            return input.length;
          };
      return new Captured(body, new WeakReference<>(input));
    }
  }

  private static boolean collected(WeakReference<?> ref) {
    System.gc();
    return ref.get() == null;
  }

  @Test
  void succeededTask_releasesWhatItsBodyCaptured_andKeepsItsResult() throws Exception {
    try (Scope<Void> scope = Scope.open("memory")) {
      Captured c = Captured.of(false);
      Task<Integer> task = scope.fork("reads-input", c.body());
      c = new Captured(() -> 0, c.input()); // the test drops its own reference to the body
      scope.join();
      WeakReference<byte[]> input = c.input();
      await().atMost(GC_WAIT).until(() -> collected(input));
      assertThat(task.get()).isEqualTo(4 << 20);
    }
  }

  @Test
  void failedTask_releasesWhatItsBodyCaptured_andKeepsItsFailure() throws Exception {
    try (Scope<Void> scope = Scope.open("memory", Policy.collectAll())) {
      Captured c = Captured.of(true);
      Task<Integer> task = scope.fork("fails-over-input", c.body());
      c = new Captured(() -> 0, c.input());
      assertThatThrownBy(scope::join).isInstanceOf(TaskFailedException.class);
      WeakReference<byte[]> input = c.input();
      await().atMost(GC_WAIT).until(() -> collected(input));
      assertThat(task.exception()).hasMessage("failed over " + (4 << 20) + " bytes");
    }
  }

  @Test
  void dependentTask_releasesWhatItsBodyCaptured() throws Exception {
    try (Scope<Void> scope = Scope.open("memory")) {
      Task<Integer> head = scope.fork("head", () -> 1);
      byte[] input = new byte[4 << 20];
      WeakReference<byte[]> ref = new WeakReference<>(input);
      Task<Integer> dependent = forkOver(scope, head, input);
      input = null;
      scope.join();
      await().atMost(GC_WAIT).until(() -> collected(ref));
      assertThat(dependent.get()).isEqualTo(1 + (4 << 20));
    }
  }

  @Test
  void skippedTask_releasesWhatItsBodyCaptured() throws Exception {
    try (Scope<Void> scope = Scope.open("memory", Policy.collectAll())) {
      Task<Integer> head =
          scope.fork(
              "head",
              () -> {
                throw new IllegalStateException("head failed");
              });
      byte[] input = new byte[4 << 20];
      WeakReference<byte[]> ref = new WeakReference<>(input);
      Task<Integer> dependent = forkOver(scope, head, input);
      input = null;
      assertThatThrownBy(scope::join).isInstanceOf(TaskFailedException.class);
      await().atMost(GC_WAIT).until(() -> collected(ref));
      assertThat(dependent.state()).isEqualTo(Task.State.SKIPPED);
    }
  }

  @Test
  void taskCancelledBeforeItStarted_releasesWhatItsBodyCaptured() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    try (Scope<Void> scope = Scope.open("memory", c -> c.withMaxConcurrency(1))) {
      scope.fork(
          "holds-the-only-slot",
          () -> {
            never.await();
            return 0;
          });
      Captured c = Captured.of(false);
      Task<Integer> queued = scope.fork("queued", c.body());
      c = new Captured(() -> 0, c.input());
      scope.cancel();
      assertThat(queued.state()).isEqualTo(Task.State.CANCELLED);
      WeakReference<byte[]> input = c.input();
      await().atMost(GC_WAIT).until(() -> collected(input));
      assertThatThrownBy(scope::join).isInstanceOf(CancellationException.class);
    }
  }

  private static Task<Integer> forkOver(Scope<Void> scope, Task<Integer> head, byte[] input) {
    return scope.fork("reads-head-and-input", head, h -> h + input.length);
  }
}
