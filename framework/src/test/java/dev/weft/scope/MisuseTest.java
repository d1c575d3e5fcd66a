package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Bad input and misuse: each gets a JDK exception whose message names the rule and the fix. */
class MisuseTest {

  private static Throwable inOtherThread(ThrowingRunnable r) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .name("intruder")
            .start(
                () -> {
                  try {
                    r.run();
                  } catch (Throwable e) {
                    thrown.set(e);
                  }
                });
    t.join();
    return thrown.get();
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** fork, join and close from a thread that does not own the scope. */
  @Test
  void fork_fromNonOwnerThread_throwsWrongThread() throws Exception {
    try (var scope = Scope.open("owned")) {
      String expected =
          "scope 'owned' is owned by thread '"
              + Thread.currentThread().getName()
              + "', not 'intruder': only the thread that opened a scope may fork, join or close it";
      assertThat(inOtherThread(() -> scope.fork("x", () -> 1)))
          .isInstanceOf(WrongThreadException.class)
          .hasMessage(expected);
      assertThat(inOtherThread(scope::join))
          .isInstanceOf(WrongThreadException.class)
          .hasMessage(expected);
      assertThat(inOtherThread(scope::close))
          .isInstanceOf(WrongThreadException.class)
          .hasMessage(expected);
      scope.join();
    }
  }

  /** A task cannot fork into its parent scope. */
  @Test
  void fork_fromTaskIntoOwnScope_throwsWrongThread() throws Exception {
    try (var scope = Scope.open("parent")) {
      Task<Throwable> t =
          scope.fork(
              "child",
              () -> {
                try {
                  scope.fork("grandchild", () -> 1);
                  return null;
                } catch (WrongThreadException e) {
                  return e;
                }
              });
      scope.join();
      assertThat(t.get())
          .isInstanceOf(WrongThreadException.class)
          .hasMessageContaining("not 'parent/child'");
    }
  }

  @Test
  void fork_afterJoin_throwsIllegalState() throws Exception {
    try (var scope = Scope.open("joined")) {
      scope.join();
      assertThatThrownBy(() -> scope.fork("late", () -> 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "scope 'joined' was already joined: fork every task before join(), or open a new "
                  + "scope for another round of tasks");
    }
  }

  @Test
  void fork_afterClose_throwsIllegalState() throws Exception {
    Scope<Void> scope = Scope.open("closed");
    scope.join();
    scope.close();
    assertThatThrownBy(() -> scope.fork("late", () -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("scope 'closed' is closed: fork tasks inside its try-with-resources block");
    assertThatThrownBy(scope::join)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "scope 'closed' is closed: call join() inside its try-with-resources block, before it ends");
    scope.close(); // idempotent
  }

  @Test
  void join_twice_throwsIllegalState() throws Exception {
    try (var scope = Scope.open("twice")) {
      scope.join();
      assertThatThrownBy(scope::join)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "join() was already called on scope 'twice': call it once, or open a new scope "
                  + "for another round of tasks");
    }
  }

  @Test
  void fork_nullOrBlankArguments_throwNamingArgument() throws Exception {
    try (var scope = Scope.open("args")) {
      assertThatThrownBy(() -> scope.fork(null, () -> 1))
          .isInstanceOf(NullPointerException.class)
          .hasMessage(
              "task name must not be null: name the task after what it does, or use fork(body) "
                  + "for a generated name");
      assertThatThrownBy(() -> scope.fork("x", (java.util.concurrent.Callable<Integer>) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("task body must not be null: pass the code the task runs");
      assertThatThrownBy(() -> scope.fork(" ", () -> 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "task name must not be blank: it names the task's thread and appears in every "
                  + "error; use fork(body) for a generated name");
      scope.fork("dup", () -> 1);
      assertThatThrownBy(() -> scope.fork("dup", () -> 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "task name 'dup' is already used in scope 'args': give each task of a scope a unique name");
      assertThatThrownBy(() -> scope.fork("opts", () -> 1, o -> null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage(
              "options function returned null for task 'opts': return the options it is given, "
                  + "e.g. o -> o.withTimeout(Duration.ofSeconds(1))");
      scope.join();
    }
    assertThatThrownBy(() -> Scope.open(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(
            "scope name must not be null: name scopes after what they do, e.g. Scope.open(\"checkout\")");
    assertThatThrownBy(() -> Scope.open(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "scope name must not be blank: name scopes after what they do, e.g. Scope.open(\"checkout\")");
    assertThatThrownBy(() -> Scope.open("p", (Policy<Void>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(
            "scope policy must not be null: pass a new policy, e.g. Policy.collectAll(), or omit it "
                + "for fail-fast");
  }

  @Test
  void withMaxConcurrency_zeroOrNegative_throwsNamingValue() {
    assertThatThrownBy(() -> ScopeConfig.defaults().withMaxConcurrency(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxConcurrency must be at least 1, was 0: omit withMaxConcurrency for no limit");
    assertThatThrownBy(() -> ScopeConfig.defaults().withMaxConcurrency(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxConcurrency must be at least 1, was -3: omit withMaxConcurrency for no limit");
  }

  /** The owner reading a result before join gets told to join first. */
  @Test
  void get_beforeJoin_throwsIllegalState() throws Exception {
    try (var scope = Scope.open("early")) {
      CountDownLatch done = new CountDownLatch(1);
      Task<Integer> t =
          scope.fork(
              "t",
              () -> {
                done.countDown();
                return 1;
              });
      done.await();
      assertThatThrownBy(t::get)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "result of task 't' read before join(): call scope.join() first, or pass the "
                  + "task as a dependency to the task that needs it");
      scope.join();
      assertThat(t.get()).isEqualTo(1);
    }
  }

  /** Another task reading an unfinished task's result is told to declare a dependency. */
  @Test
  void get_fromOtherTaskBeforeEnd_throwsSuggestingDependency() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (var scope = Scope.open("peek", Policy.collectAll())) {
      Task<Integer> slow =
          scope.fork(
              "slow",
              () -> {
                release.await();
                return 1;
              });
      Task<String> peeker =
          scope.fork(
              "peeker",
              () -> {
                try {
                  return "got " + slow.get();
                } finally {
                  release.countDown();
                }
              });
      assertThatThrownBy(scope::join).isInstanceOf(TaskFailedException.class);
      assertThat(peeker.exception())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "task 'slow' of scope 'peek' has not ended: read results after scope.join(), or "
                  + "declare the task as a dependency: scope.fork(name, task, value -> ...)");
    }
  }

  /** get() of a failed task throws, with the failure as cause. */
  @Test
  void get_failedTask_throwsWithCause() throws Exception {
    try (var scope = Scope.open("failed", Policy.collectAll())) {
      Task<Integer> t =
          scope.fork(
              "t",
              () -> {
                throw new IOException("nope");
              });
      assertThatThrownBy(scope::join).isInstanceOf(TaskFailedException.class);
      assertThatThrownBy(t::get)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "task 't' did not succeed (FAILED: java.io.IOException: nope): check state() before "
                  + "get(), or read exception()")
          .hasCauseInstanceOf(IOException.class);
    }
  }

  /** Closing without join throws, with the failures that would be lost attached. */
  @Test
  void close_withoutJoin_throwsWithFailuresSuppressed() throws Exception {
    CountDownLatch failed = new CountDownLatch(1);
    Scope<Void> scope = Scope.open("forgot", Policy.collectAll());
    Task<Integer> t =
        scope.fork(
            "t",
            () -> {
              failed.countDown();
              throw new IOException("lost?");
            });
    failed.await();
    while (!t.state().isFinal()) {
      Thread.onSpinWait();
    }
    assertThatThrownBy(scope::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "scope 'forgot' was closed without join(): call scope.join() before the end of the "
                + "block to wait for its 1 task and see their failures")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(TaskFailedException.class)
                    .hasMessage("task 't' failed in scope 'forgot': java.io.IOException: lost?"));
  }

  /** Closing an outer scope while a nested one is open closes both, then reports it. */
  @Test
  void close_outOfOrder_closesNestedFirstAndThrows() throws Exception {
    Scope<Void> outer = Scope.open("outer");
    Scope<Void> inner = Scope.open("inner");
    Task<Integer> t =
        inner.fork(
            "t",
            () -> {
              new CountDownLatch(1).await();
              return 1;
            });
    outer.join();
    assertThatThrownBy(outer::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "scope 'outer' was closed while nested scope 'inner' was still open; it was "
                + "closed first: close scopes in reverse order of opening (use try-with-resources)");
    assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
    inner.close(); // already closed: no effect
  }

  /** A task that leaves a nested scope open fails, and the scope is closed for it. */
  @Test
  void run_taskLeavesScopeOpen_failsAndClosesIt() throws Exception {
    try (var scope = Scope.open("outer", Policy.collectAll())) {
      Task<String> leaky =
          scope.fork(
              "leaky",
              () -> {
                Scope<Void> forgotten = Scope.open("forgotten");
                forgotten.fork("x", () -> 1);
                return "returned";
              });
      assertThatThrownBy(scope::join)
          .isInstanceOf(TaskFailedException.class)
          .hasMessage(
              "task 'leaky' failed in scope 'outer': java.lang.IllegalStateException: task "
                  + "'leaky' ended with scope 'forgotten' still open; it was cancelled and closed: open "
                  + "nested scopes with try-with-resources");
      assertThat(leaky.state()).isEqualTo(Task.State.FAILED);
    }
  }

  /** An unnamed thread is shown by its id, not as an empty name. */
  @Test
  void cancel_fromUnnamedVirtualThread_messageShowsThreadId() throws Exception {
    try (var scope = Scope.open("cx")) {
      Thread t = Thread.ofVirtual().start(scope::cancel);
      t.join();
      assertThatThrownBy(scope::join)
          .isInstanceOf(java.util.concurrent.CancellationException.class)
          .hasMessage(
              "scope 'cx' was cancelled by cancel() in thread 'virtual#" + t.threadId() + "'");
    }
  }
}
