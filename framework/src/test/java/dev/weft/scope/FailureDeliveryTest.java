package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Every failure reaches the owner, whatever ends the join. */
class FailureDeliveryTest {

  /** An owner interrupted in join still sees the failures that happened before. */
  @Test
  void join_ownerInterruptedAfterFailure_failureSuppressedOnInterruptedException()
      throws Exception {
    try (var scope = Scope.open("import", Policy.collectAll())) {
      Task<Integer> bad =
          scope.fork(
              "parse",
              () -> {
                throw new IllegalArgumentException("bad row 17");
              });
      scope.fork(
          "load",
          () -> {
            new CountDownLatch(1).await();
            return 1;
          });
      while (!bad.state().isFinal()) {
        Thread.onSpinWait();
      }
      Thread.currentThread().interrupt();
      assertThatThrownBy(scope::join)
          .isInstanceOf(InterruptedException.class)
          .satisfies(
              e ->
                  assertThat(e.getSuppressed())
                      .singleElement()
                      .isInstanceOf(TaskFailedException.class)
                      .extracting(Throwable::getMessage)
                      .isEqualTo(
                          "task 'parse' failed in scope 'import': java.lang.IllegalArgumentException: bad row 17"));
    }
  }

  /** A policy that throws cannot report failures itself: join attaches them. */
  @Test
  void join_policyThrows_taskFailuresAttached() throws Exception {
    Policy<Void> broken =
        new Policy<>() {
          @Override
          public boolean onComplete(Task<?> task) {
            if (task.name().equals("trigger")) {
              throw new IllegalStateException("policy bug");
            }
            return false;
          }

          @Override
          public Void result(Scope<Void> scope) {
            return null;
          }
        };
    CountDownLatch failedFirst = new CountDownLatch(1);
    try (var scope = Scope.open("broken", broken)) {
      Task<Integer> failing =
          scope.fork(
              "failing",
              () -> {
                throw new IOException("lost?");
              });
      while (!failing.state().isFinal()) {
        Thread.onSpinWait();
      }
      scope.fork("trigger", () -> 1);
      assertThatThrownBy(scope::join)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("policy bug")
          .satisfies(
              e ->
                  assertThat(e.getSuppressed())
                      .singleElement()
                      .extracting(Throwable::getMessage)
                      .asString()
                      .startsWith("task 'failing' failed"));
    }
  }

  /**
   * Regression: a policy callback that runs in the owner before join (a dependent that falls back
   * at fork time) may read the completed task's result.
   */
  @Test
  void onComplete_inOwnerBeforeJoin_mayReadResult() throws Exception {
    ConcurrentHashMap<String, Object> seen = new ConcurrentHashMap<>();
    Policy<Void> recording =
        new Policy<>() {
          @Override
          public boolean onComplete(Task<?> task) {
            if (task.state() == Task.State.SUCCEEDED) {
              seen.put(task.name(), task.get());
            }
            return false;
          }

          @Override
          public Void result(Scope<Void> scope) {
            return null;
          }
        };
    try (var scope = Scope.open("vote", recording)) {
      Task<String> primary =
          scope.fork(
              "primary",
              () -> {
                throw new IOException("down");
              });
      while (!primary.state().isFinal()) {
        Thread.onSpinWait();
      }
      Task<String> cached = scope.fork("cached", primary, p -> p, o -> o.withFallbackValue("x"));
      assertThatThrownBy(cached::get)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("result of task 'cached' read before join()");
      scope.join();
    }
    assertThat(seen).containsEntry("cached", "x");
  }
}
