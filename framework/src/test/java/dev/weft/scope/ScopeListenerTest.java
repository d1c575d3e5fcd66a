package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lifecycle seam: which events a listener sees, in which order, from which thread. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ScopeListenerTest {

  /** Records "event scope/task" for scopes whose name starts with "seam". */
  static final class Recorder implements ScopeListener {
    final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    private void add(ScopeImpl<?> s, String what) {
      if (s.name.startsWith("seam")) {
        events.add(what);
      }
    }

    @Override
    public void scopeOpened(ScopeImpl<?> scope) {
      add(scope, "opened " + scope.name);
    }

    @Override
    public void taskForked(TaskNode<?> task) {
      add(task.scope, "forked " + task.name());
    }

    @Override
    public void slotWaitBegun(TaskNode<?> task) {
      add(task.scope, "slot-wait " + task.name());
    }

    @Override
    public void slotWaitEnded(TaskNode<?> task) {
      add(task.scope, "slot " + task.name());
    }

    @Override
    public void taskStarted(TaskNode<?> task) {
      add(
          task.scope,
          "started "
              + task.name()
              + (Thread.currentThread() == task.thread ? "" : " (wrong thread)"));
    }

    @Override
    public void taskEnded(TaskNode<?> task, Task.State state, Throwable failure, long endedAt) {
      add(
          task.scope,
          "ended "
              + task.name()
              + " "
              + state
              + (failure == null ? "" : " " + failure.getClass().getSimpleName()));
    }

    @Override
    public void scopeJoined(ScopeImpl<?> scope, Throwable thrown) {
      add(
          scope,
          "joined " + scope.name + (thrown == null ? "" : " " + thrown.getClass().getSimpleName()));
    }

    @Override
    public void scopeClosed(ScopeImpl<?> scope) {
      add(scope, "closed " + scope.name);
    }
  }

  @AfterEach
  void uninstall() {
    ScopeListener.install(null);
  }

  /** A dependency chain: every event once, a dependent starts only after its dependency ended. */
  @Test
  void listener_dependencyChain_seesEveryEventInOrder() throws Exception {
    Recorder r = new Recorder();
    ScopeListener.install(r);
    try (var scope = Scope.open("seam")) {
      Task<Integer> a = scope.fork("a", () -> 1);
      scope.fork("b", a, v -> v + 1);
      scope.join();
    }
    List<String> e = List.copyOf(r.events);
    assertThat(e)
        .containsExactlyInAnyOrder(
            "opened seam",
            "forked a",
            "started a",
            "forked b",
            "ended a SUCCEEDED",
            "started b",
            "ended b SUCCEEDED",
            "joined seam",
            "closed seam");
    // What is ordered by the scope's rules (a's thread and the owner run side by side):
    assertThat(e)
        .containsSubsequence("opened seam", "forked a", "forked b", "joined seam", "closed seam");
    assertThat(e)
        .containsSubsequence(
            "forked a",
            "started a",
            "ended a SUCCEEDED",
            "started b",
            "ended b SUCCEEDED",
            "joined seam");
    assertThat(e).containsSubsequence("forked b", "started b");
  }

  /** A failure and its skipped dependent; the failure is in the event, join's exception too. */
  @Test
  void listener_failureAndSkip_seesFailureAndSkip() {
    Recorder r = new Recorder();
    ScopeListener.install(r);
    catchThrowable(
        () -> {
          java.util.concurrent.CountDownLatch forked = new java.util.concurrent.CountDownLatch(1);
          try (var scope = Scope.open("seam-fail")) {
            Task<Integer> a =
                scope.fork(
                    "a",
                    () -> {
                      forked
                          .await(); // fail after b is forked (a task forked into a cancelled scope
                      // is cancelled)
                      throw new IOException("down");
                    });
            scope.fork("b", a, v -> v);
            forked.countDown();
            scope.join();
          }
        });
    assertThat(r.events)
        .contains(
            "ended a FAILED IOException",
            "ended b SKIPPED TaskSkippedException",
            "joined seam-fail TaskFailedException",
            "closed seam-fail");
    assertThat(r.events).doesNotContain("started b");
  }

  /** With maxConcurrency(1), the second task waits for a slot, and starts once it has it. */
  @Test
  void listener_concurrencyLimit_seesSlotWait() throws Exception {
    Recorder r = new Recorder();
    ScopeListener.install(r);
    try (var scope = Scope.open("seam-limit", c -> c.withMaxConcurrency(1))) {
      scope.fork("a", () -> 1);
      scope.fork("b", () -> 2);
      scope.join();
    }
    List<String> e = List.copyOf(r.events);
    assertThat(e).containsSubsequence("slot-wait b", "slot b", "started b", "ended b SUCCEEDED");
    assertThat(e).containsSubsequence("ended a SUCCEEDED", "slot b");
    assertThat(e).noneMatch(s -> s.contains("wrong thread"));
  }

  /** A scope opened before the listener was installed keeps the listener it opened with. */
  @Test
  void install_afterOpen_appliesToLaterScopesOnly() throws Exception {
    Recorder r = new Recorder();
    try (var scope = Scope.open("seam-before")) {
      ScopeListener.install(r);
      scope.fork("a", () -> 1);
      scope.join();
    }
    assertThat(r.events).isEmpty();
  }
}
