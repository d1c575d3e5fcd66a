package dev.weft.scope;

import static dev.weft.BadInputTable.inOther;
import static dev.weft.scope.BadInputActions.ONE;
import static dev.weft.scope.BadInputActions.afterJoin;
import static dev.weft.scope.BadInputActions.closed;
import static dev.weft.scope.BadInputActions.inScope;
import static dev.weft.scope.BadInputActions.whileRunning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.BadInputTable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;

/**
 * Rows of {@link BadInputTest}: joining, cancelling, closing, reading results, policies and {@code
 * Scope.remainingTime()}.
 */
final class BadInputEnding {
  private BadInputEnding() {}

  static void addTo(BadInputTable t) {
    t.group("**Joining, cancelling, closing**");
    t.rejects(
        "`s.join()` from another thread",
        WrongThreadException.class,
        "scope 's' is owned by thread 'owner', not 'other': only the thread that opened a scope may fork, "
            + "join or close it",
        inScope(s -> inOther(s::join)));
    t.rejects(
        "`s.join()` twice",
        IllegalStateException.class,
        "join() was already called on scope 's': call it once, or open a new scope for another round of tasks",
        inScope(
            s -> {
              s.join();
              s.join();
            }));
    t.rejects(
        "`s.join()` after `s.close()`",
        IllegalStateException.class,
        "scope 's' is closed: call join() inside its try-with-resources block, before it ends",
        () -> closed().join());
    t.rejects(
        "`s.close()` from another thread",
        WrongThreadException.class,
        "scope 's' is owned by thread 'owner', not 'other': only the thread that opened a scope may fork, "
            + "join or close it",
        inScope(s -> inOther(s::close)));
    t.works(
        "`s.close()` twice", "works: calls after the first have no effect", () -> closed().close());
    t.works(
        "`s.cancel()` twice, after `join()` or after `close()`; from any thread",
        "works: calls after the first have no effect",
        inScope(
            s -> {
              s.cancel();
              inOther(s::cancel);
              assertThatThrownBy(s::join).isInstanceOf(CancellationException.class);
              s.cancel();
            }),
        () -> closed().cancel());
    t.works(
        "`s.tasks()`, `s.isCancelled()`, `s.name()` from any thread, after `close()`",
        "works: any thread may call them",
        () -> {
          Scope<Void> s = closed();
          inOther(() -> assertThat(s.tasks()).isEmpty());
          assertThat(s.isCancelled()).isFalse();
          assertThat(s.name()).isEqualTo("s");
        });
    t.rejects(
        "end the block without `join()` after forking",
        IllegalStateException.class,
        "scope 's' was closed without join(): call scope.join() before the end of the block to wait for its "
            + "1 task and see their failures",
        "(failures attached as suppressed)",
        inScope(s -> s.fork("t", ONE)));
    t.rejects(
        "`outer.close()` while `inner`, opened after it, is open",
        IllegalStateException.class,
        "scope 'outer' was closed while nested scope 'inner' was still open; it was closed first: close scopes "
            + "in reverse order of opening (use try-with-resources)",
        () -> {
          Scope<Void> outer = Scope.open("outer");
          Scope.open("inner");
          outer.close();
        });
    t.rejects(
        "a task body that returns with scope `inner` still open",
        TaskFailedException.class,
        "task 't' failed in scope 's': java.lang.IllegalStateException: task 't' ended with scope 'inner' "
            + "still open; it was cancelled and closed: open nested scopes with try-with-resources",
        "(from `join()`)",
        inScope(
            s -> {
              s.fork("t", () -> Scope.open("inner"));
              s.join();
            }));

    t.group("**Reading results** (`Task`)");
    t.rejects(
        "`t.get()` in the owner before `join()`",
        IllegalStateException.class,
        "result of task 't' read before join(): call scope.join() first, or pass the task as a dependency to "
            + "the task that needs it",
        inScope(
            s -> {
              Task<Integer> task = s.fork("t", ONE);
              try {
                task.get();
              } finally {
                s.join();
              }
            }));
    t.rejects(
        "`t.get()` in another thread, before `t` ended",
        IllegalStateException.class,
        "task 't' of scope 's' has not ended: read results after scope.join(), or declare the task as a "
            + "dependency: scope.fork(name, task, value -> ...)",
        whileRunning(task -> inOther(task::get)));
    t.rejects(
        "`t.exception()` before `t` ended",
        IllegalStateException.class,
        "task 't' of scope 's' has not ended: read its exception after scope.join()",
        whileRunning(task -> task.exception()));
    t.rejects(
        "`t.get()` after `t` failed",
        IllegalStateException.class,
        "task 't' did not succeed (FAILED: java.io.IOException: down): check state() before get(), "
            + "or read exception()",
        "(cause: the failure)",
        afterJoin(
            Policy.collectAll(),
            s ->
                s.fork(
                    "t",
                    () -> {
                      throw new IOException("down");
                    }),
            Task::get));
    t.rejects(
        "`t.get()` after `t` was cancelled",
        IllegalStateException.class,
        "task 't' did not succeed (CANCELLED: java.util.concurrent.CancellationException: task 't' cancelled: "
            + "scope 's' was cancelled by cancel() in thread 'owner'): check state() before get(), or read exception()",
        inScope(
            s -> {
              Task<Integer> task =
                  s.fork(
                      "t",
                      () -> {
                        new CountDownLatch(1).await(); // until the cancel interrupts it
                        return 1;
                      });
              s.cancel();
              assertThatThrownBy(s::join).isInstanceOf(CancellationException.class);
              task.get();
            }));
    t.rejects(
        "`t.get()` after `t` was skipped",
        IllegalStateException.class,
        "task 't' did not succeed (SKIPPED: dev.weft.scope.TaskSkippedException: task 't' skipped: dependency "
            + "'a' failed: java.io.IOException: down): check state() before get(), or read exception()",
        afterJoin(
            Policy.collectAll(),
            s -> {
              Task<Integer> a =
                  s.fork(
                      "a",
                      () -> {
                        throw new IOException("down");
                      });
              return s.fork("t", a, x -> x);
            },
            Task::get));
    t.rejects(
        "`t.exception()` after `t` succeeded",
        IllegalStateException.class,
        "task 't' succeeded and has no exception: read its result with get()",
        afterJoin(Policy.failFast(), s -> s.fork("t", ONE), Task::exception));
    t.rejects(
        "`t.exception()` after `t` succeeded through its fallback",
        IllegalStateException.class,
        "task 't' succeeded and has no exception: see recoveredFrom() for the failure its fallback replaced",
        afterJoin(
            Policy.failFast(),
            s ->
                s.fork(
                    "t",
                    () -> {
                      throw new IOException("down");
                    },
                    o -> o.withFallbackValue(0)),
            Task::exception));

    t.group("**Policies and `Scope.remainingTime()`**");
    t.rejects(
        "`Policy.quorum(0)`",
        IllegalArgumentException.class,
        "quorum k must be at least 1, was 0: k is how many tasks must succeed; for one, use Policy.firstSuccess()",
        () -> Policy.quorum(0));
    t.rejects(
        "`Policy.quorum(-1)`",
        IllegalArgumentException.class,
        "quorum k must be at least 1, was -1: k is how many tasks must succeed; for one, use Policy.firstSuccess()",
        () -> Policy.quorum(-1));
    t.rejects(
        "`Policy.quorum(Integer.MIN_VALUE)`",
        IllegalArgumentException.class,
        "quorum k must be at least 1, was -2147483648: k is how many tasks must succeed; for one, "
            + "use Policy.firstSuccess()",
        () -> Policy.quorum(Integer.MIN_VALUE));
    t.rejects(
        "`Policy.quorum(2)` scope with one task, `s.join()`",
        IllegalStateException.class,
        "quorum of 2 cannot be reached in scope 's': only 1 task was forked: fork at least 2 tasks before join()",
        () -> {
          try (var s = Scope.open("s", Policy.<Integer>quorum(2))) {
            s.fork("t", ONE);
            s.join();
          }
        });
    t.rejects(
        "`Policy.quorum(Integer.MAX_VALUE)` scope with one task, `s.join()`",
        IllegalStateException.class,
        "quorum of 2147483647 cannot be reached in scope 's': only 1 task was forked: fork at least 2147483647 "
            + "tasks before join()",
        () -> {
          try (var s = Scope.open("s", Policy.<Integer>quorum(Integer.MAX_VALUE))) {
            s.fork("t", ONE);
            s.join();
          }
        });
    t.rejects(
        "`Policy.firstSuccess()` scope with no task, `s.join()`",
        IllegalStateException.class,
        "first-success scope 's' had no task that succeeded or failed (0 forked): fork at least one task "
            + "before join()",
        () -> {
          try (var s = Scope.open("s", Policy.<Integer>firstSuccess())) {
            s.join();
          }
        });
    t.works(
        "`Scope.remainingTime()` outside any scope, or in a scope without deadline",
        "works: `Optional.empty()`",
        () -> assertThat(Scope.remainingTime()).isEmpty(),
        inScope(s -> assertThat(Scope.remainingTime()).isEmpty()));
    t.works(
        "`Scope.remainingTime()` after the deadline",
        "works: `PT0S`, never negative",
        () -> {
          try (var s = Scope.open("s", c -> c.withDeadline(Instant.MIN))) {
            assertThat(Scope.remainingTime()).hasValue(Duration.ZERO);
            s.join();
          }
        });
  }
}
