package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scope.Factories.Kind;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in policies and a custom one. */
class PolicyTest {

  private static <T> T blockForever() throws InterruptedException {
    new CountDownLatch(1).await();
    throw new AssertionError("not reached");
  }

  /** Fail-fast: the first failure cancels (interrupts) the others; join throws it. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void failFast_oneFails_othersCancelledAndJoinThrows(Kind kind) throws Exception {
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch slowInterrupted = new CountDownLatch(1);
    try (var scope = Scope.open("ff", kind.config())) {
      Task<String> slow =
          scope.fork(
              "slow",
              () -> {
                slowStarted.countDown();
                try {
                  return blockForever();
                } catch (InterruptedException e) {
                  slowInterrupted.countDown();
                  throw e;
                }
              });
      slowStarted.await();
      Task<String> bad =
          scope.fork(
              "bad",
              () -> {
                throw new IOException("boom");
              });
      assertThatThrownBy(scope::join)
          .isInstanceOf(TaskFailedException.class)
          .hasMessage("task 'bad' failed in scope 'ff': java.io.IOException: boom")
          .hasCauseInstanceOf(IOException.class)
          .satisfies(e -> assertThat(((TaskFailedException) e).taskName()).isEqualTo("bad"));
      assertThat(bad.state()).isEqualTo(Task.State.FAILED);
      assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
      assertThat(slow.exception())
          .isInstanceOf(java.util.concurrent.CancellationException.class)
          .hasMessageContaining(
              "task 'slow' cancelled: policy fail-fast stopped the scope after task 'bad' failed");
      assertThat(slowInterrupted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Collect-all: every task runs to its end; every failure is reachable, each with its name. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void collectAll_severalFail_allReportedAndOthersComplete(Kind kind) throws Exception {
    CountDownLatch bothFailed = new CountDownLatch(2);
    try (var scope = Scope.open("all", Policy.collectAll(), kind.config())) {
      Task<String> a =
          scope.fork(
              "a",
              () -> {
                bothFailed.countDown();
                throw new IOException("a broke");
              });
      Task<String> b =
          scope.fork(
              "b",
              () -> {
                bothFailed.countDown();
                throw new IllegalStateException("b broke");
              });
      Task<String> c =
          scope.fork(
              "c",
              () -> {
                bothFailed.await(); // still runs after both failures: nothing cancelled it
                return "c ok";
              });
      TaskFailedException e =
          org.junit.jupiter.api.Assertions.assertThrows(TaskFailedException.class, scope::join);
      assertThat(c.get()).isEqualTo("c ok");
      assertThat(e.failedTasks()).extracting(Task::name).containsExactlyInAnyOrder("a", "b");
      assertThat(e.getSuppressed()).singleElement().isInstanceOf(TaskFailedException.class);
      TaskFailedException second = (TaskFailedException) e.getSuppressed()[0];
      assertThat(List.of(e.taskName(), second.taskName())).containsExactlyInAnyOrder("a", "b");
      assertThat(second.getMessage())
          .startsWith("task '" + second.taskName() + "' failed in scope 'all': ");
      assertThat(e.getMessage()).contains("; 1 more failed: '" + second.taskName() + "'");
      assertThat(List.of(a.state(), b.state())).containsOnly(Task.State.FAILED);
    }
  }

  /** First-success: the first to succeed wins, the rest are cancelled, failures are ignored. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void firstSuccess_oneSucceeds_returnsItAndCancelsOthers(Kind kind) throws Exception {
    try (var scope = Scope.open("race", Policy.<String>firstSuccess(), kind.config())) {
      Task<String> slow = scope.fork("slow", PolicyTest::blockForever);
      scope.fork(
          "broken",
          () -> {
            throw new IOException("mirror down");
          });
      scope.fork("fast", () -> "fast");
      assertThat(scope.join()).isEqualTo("fast");
      assertThat(slow.state()).isEqualTo(Task.State.CANCELLED);
    }
  }

  /** First-success: when all fail, join throws with every failure. */
  @Test
  void firstSuccess_allFail_throwsWithEveryFailure() throws Exception {
    try (var scope = Scope.open("race", Policy.<String>firstSuccess())) {
      scope.fork(
          "m1",
          () -> {
            throw new IOException("m1 down");
          });
      scope.fork(
          "m2",
          () -> {
            throw new IOException("m2 down");
          });
      assertThatThrownBy(scope::join)
          .isInstanceOf(TaskFailedException.class)
          .hasMessageStartingWith(
              "no task succeeded in scope 'race': all 2 failed; first failure: task '")
          .satisfies(e -> assertThat(((TaskFailedException) e).failedTasks()).hasSize(2));
    }
  }

  /** First-success with no task at all is a usage error. */
  @Test
  void firstSuccess_noTasks_throwsIllegalState() throws Exception {
    try (var scope = Scope.open("empty", Policy.<String>firstSuccess())) {
      assertThatThrownBy(scope::join)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "first-success scope 'empty' had no task that succeeded or failed (0 forked): "
                  + "fork at least one task before join()");
    }
  }

  /** Quorum: returns once k succeeded, with at least k values, and cancels the rest. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void quorum_kSucceed_returnsValuesAndCancelsRest(Kind kind) throws Exception {
    try (var scope = Scope.open("replicas", Policy.<Integer>quorum(2), kind.config())) {
      scope.fork("r1", () -> 1);
      scope.fork("r2", () -> 2);
      Task<Integer> stuck = scope.fork("r3", PolicyTest::blockForever);
      List<Integer> values = scope.join();
      assertThat(values).containsExactlyInAnyOrder(1, 2);
      assertThat(stuck.state()).isEqualTo(Task.State.CANCELLED);
    }
  }

  /** Quorum: fails as soon as k can no longer be reached, without waiting for the stragglers. */
  @Test
  void quorum_tooManyFail_throwsEarly() throws Exception {
    try (var scope = Scope.open("replicas", Policy.<Integer>quorum(2))) {
      scope.fork(
          "r1",
          () -> {
            throw new IOException("r1 down");
          });
      scope.fork(
          "r2",
          () -> {
            throw new IOException("r2 down");
          });
      Task<Integer> stuck = scope.fork("r3", PolicyTest::blockForever);
      assertThatThrownBy(scope::join)
          .isInstanceOf(TaskFailedException.class)
          .hasMessageStartingWith(
              "quorum of 2 not reached in scope 'replicas': 0 of 3 tasks succeeded");
      assertThat(stuck.state()).isEqualTo(Task.State.CANCELLED);
    }
  }

  /** Quorum: fewer tasks than k is reported at join. */
  @Test
  void quorum_fewerTasksThanK_throwsAtJoin() throws Exception {
    try (var scope = Scope.open("replicas", Policy.<Integer>quorum(3))) {
      scope.fork("r1", () -> 1);
      assertThatThrownBy(scope::join)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "quorum of 3 cannot be reached in scope 'replicas': only 1 task was forked: fork "
                  + "at least 3 tasks before join()");
    }
  }

  /** quorum(k) rejects k below 1, naming the value. */
  @Test
  void quorum_kBelowOne_throwsIllegalArgument() {
    assertThatThrownBy(() -> Policy.quorum(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "quorum k must be at least 1, was 0: k is how many tasks must succeed; for one, use "
                + "Policy.firstSuccess()");
  }

  /** A custom policy sees every completion and decides the result. */
  @Test
  void customPolicy_agreement_returnsAgreedValue() throws Exception {
    final class Agreement implements Policy<String> {
      private final ConcurrentHashMap<String, Integer> votes = new ConcurrentHashMap<>();
      private volatile String agreed;

      @Override
      public boolean onComplete(Task<?> task) {
        if (task.state() != Task.State.SUCCEEDED) {
          return false;
        }
        String v = (String) task.get();
        if (votes.merge(v, 1, Integer::sum) >= 2) {
          agreed = v;
          return true;
        }
        return false;
      }

      @Override
      public String result(Scope<String> scope) {
        if (agreed == null) {
          throw new IllegalStateException("no two replicas agreed");
        }
        return agreed;
      }
    }
    try (var scope = Scope.open("vote", new Agreement())) {
      scope.fork("r1", () -> "x");
      scope.fork("r2", () -> "y");
      scope.fork("r3", () -> "x");
      assertThat(scope.join()).isEqualTo("x");
    }
  }

  /** A policy that throws is not swallowed: join rethrows it. */
  @Test
  void customPolicy_throws_joinRethrows() throws Exception {
    Policy<Void> broken =
        new Policy<>() {
          @Override
          public boolean onComplete(Task<?> task) {
            throw new IllegalStateException("policy bug");
          }

          @Override
          public Void result(Scope<Void> scope) {
            return null;
          }
        };
    try (var scope = Scope.open("broken", broken)) {
      scope.fork("t", () -> 1);
      assertThatThrownBy(scope::join)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("policy bug");
    }
  }

  /**
   * Regression: a task thread's policy callback must not end the owner's permission to read results
   * inside its own callback. (Every task thread used to write the scope's "owner is in a policy
   * callback" flag, to false, which both raced with the owner and moved the scope's cache line
   * between cores on every task.)
   */
  @Test
  void customPolicy_ownerCallbackReadsResults_whileTaskThreadCallbacksRun() throws Exception {
    CountDownLatch releaseOther = new CountDownLatch(1);
    CountDownLatch otherTold = new CountDownLatch(1);
    List<Object> readInOwner = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread owner = Thread.currentThread();
    final class Reading implements Policy<Void> {
      volatile Task<?> ok;

      @Override
      public boolean onComplete(Task<?> task) {
        if (Thread.currentThread() != owner) {
          if (task.name().equals("other")) {
            otherTold.countDown();
          }
          return false;
        }
        // In the owner (the dependent of "bad" is skipped at its fork): let "other" end in its
        // own thread, wait until the policy was told, then read a result.
        releaseOther.countDown();
        try {
          otherTold.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        readInOwner.add(ok.get());
        return false;
      }

      @Override
      public Void result(Scope<Void> scope) {
        return null;
      }
    }
    Reading policy = new Reading();
    try (var scope = Scope.open("reading", policy)) {
      Task<String> ok = scope.fork("ok", () -> "value");
      policy.ok = ok;
      Task<String> bad =
          scope.fork(
              "bad",
              () -> {
                throw new IOException("boom");
              });
      scope.fork(
          "other",
          () -> {
            releaseOther.await();
            return "other";
          });
      org.awaitility.Awaitility.await()
          .until(() -> ok.state() == Task.State.SUCCEEDED && bad.state() == Task.State.FAILED);
      scope.fork("dependent", bad, v -> v); // skipped at once, in the owner
      scope.join();
    }
    assertThat(readInOwner).containsExactly("value");
  }

  /** A policy that never stops its scope and has no result, and no onFork of its own. */
  abstract static class Silent implements Policy<Void> {
    final List<String> forked = new java.util.ArrayList<>(); // owner only

    @Override
    public boolean onComplete(Task<?> task) {
      return false;
    }

    @Override
    public Void result(Scope<Void> scope) {
      return null;
    }
  }

  /** onFork declared by a superclass of the policy's class. */
  abstract static class CountingForks extends Silent {
    @Override
    public void onFork(Task<?> task) {
      forked.add(task.name());
    }
  }

  /** onFork declared by an interface's default method. */
  interface CountsForks extends Policy<Void> {
    List<String> forked();

    @Override
    default void onFork(Task<?> task) {
      forked().add(task.name());
    }
  }

  /** Silent, with onFork inherited from CountsForks. */
  static final class CountsForksByDefault extends Silent implements CountsForks {
    @Override
    public List<String> forked() {
      return forked;
    }
  }

  // fork() skips onFork for a policy class that does not override it (PolicyCalls); an override
  // inherited from a superclass or from an interface's default method is still an override.
  @Test
  void customPolicy_onForkInheritedFromSuperclassOrInterface_calledForEveryFork() throws Exception {
    Silent fromClass = new CountingForks() {};
    Silent fromInterface = new CountsForksByDefault();
    for (Silent policy : List.of(fromClass, fromInterface)) {
      try (var scope = Scope.open("inherited", policy)) {
        Task<String> a = scope.fork("a", () -> "a");
        scope.fork("b", a, v -> v + "b");
        scope.join();
      }
    }
    assertThat(fromClass.forked).containsExactly("a", "b");
    assertThat(fromInterface.forked).containsExactly("a", "b");
  }
}
