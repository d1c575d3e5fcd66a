package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scope.Factories.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Forking and joining: tasks run concurrently in their own named threads, results come back. */
class ScopeForkTest {

  /** The README example, kept as a test so that it always compiles and works. */
  @Test
  void readmeExample_compilesAndReturnsResults() throws Exception {
    try (var scope = Scope.open("checkout")) {
      Task<String> user = scope.fork("user", () -> "alice");
      Task<Integer> cart = scope.fork("cart", () -> 3);
      Task<String> price = scope.fork("price", user, cart, (u, c) -> u + " pays " + c * 10);
      scope.join();
      assertThat(price.get()).isEqualTo("alice pays 30");
    }
  }

  /** Tasks of a scope run at the same time: N tasks meet at one barrier of N parties. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void fork_manyTasks_runConcurrently(Kind kind) throws Exception {
    int n = 8;
    CyclicBarrier barrier = new CyclicBarrier(n);
    try (var scope = Scope.open("concurrent", kind.config())) {
      for (int i = 0; i < n; i++) {
        scope.fork("t" + i, () -> barrier.await(10, TimeUnit.SECONDS));
      }
      scope.join(); // a BrokenBarrier/Timeout would fail the join
    }
  }

  /** Each task runs in a new thread named scope/task, of the configured kind. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void fork_task_runsInThreadNamedAfterScopeAndTask(Kind kind) throws Exception {
    try (var scope = Scope.open("checkout", kind.config())) {
      Task<String> name = scope.fork("user", () -> Thread.currentThread().getName());
      Task<Boolean> virtual = scope.fork("kind", () -> Thread.currentThread().isVirtual());
      scope.join();
      assertThat(name.get()).isEqualTo("checkout/user");
      assertThat(virtual.get()).isEqualTo(kind.name().equals("virtual"));
    }
  }

  /** After join every handle reports its final state; results are delivered. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void join_allSucceed_everyHandleFinalWithResult(Kind kind) throws Exception {
    List<Task<Integer>> tasks = new ArrayList<>();
    try (var scope = Scope.open("sum", kind.config())) {
      for (int i = 0; i < 100; i++) {
        int x = i;
        tasks.add(scope.fork("t" + i, () -> x));
      }
      assertThat(scope.join()).isNull();
      assertThat(tasks).allSatisfy(t -> assertThat(t.state()).isEqualTo(Task.State.SUCCEEDED));
      assertThat(tasks.stream().mapToInt(Task::get).sum()).isEqualTo(4950);
    }
  }

  /** A task may return null. */
  @Test
  void get_taskReturnedNull_returnsNull() throws Exception {
    try (var scope = Scope.open("nulls")) {
      Task<Object> t = scope.fork("nothing", () -> null);
      scope.join();
      assertThat(t.get()).isNull();
      assertThat(t.state()).isEqualTo(Task.State.SUCCEEDED);
    }
  }

  /** 10,000 tasks in one scope all run, all finish, and close leaves none behind. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void fork_tenThousandTasks_allSucceed(Kind kind) throws Exception {
    int n = kind.name().equals("virtual") ? 10_000 : 2_000; // platform threads cost more memory
    AtomicInteger ran = new AtomicInteger();
    Scope<Void> scope = Scope.open("many", kind.config());
    try (scope) {
      for (int i = 0; i < n; i++) {
        scope.fork(() -> ran.incrementAndGet());
      }
      scope.join();
    }
    assertThat(ran).hasValue(n);
    assertThat(scope.tasks())
        .hasSize(n)
        .allSatisfy(t -> assertThat(t.state()).isEqualTo(Task.State.SUCCEEDED));
  }

  /**
   * fork(body) names tasks task-1, task-2... and skips names already taken; the thread of a task
   * with a generated name is named scope/task-N like any other, although the task builds its name
   * string only when something reads it. The name read is the same String each time.
   */
  @Test
  void fork_withoutName_generatesUniqueNames() throws Exception {
    try (var scope = Scope.open("auto")) {
      Task<Integer> a = scope.fork("task-2", () -> 0);
      Task<Integer> b = scope.fork(() -> 1);
      Task<String> c = scope.fork(() -> Thread.currentThread().getName());
      scope.join();
      assertThat(List.of(a.name(), b.name(), c.name()))
          .containsExactly("task-2", "task-3", "task-4");
      assertThat(c.get()).isEqualTo("auto/task-4");
      assertThat(b.name()).isSameAs(b.name());
      assertThat(b.toString()).startsWith("Task[auto/task-3, ");
    }
  }

  /**
   * Generated names are kept apart from the set of given names (a bit each), and are still unique
   * against them both ways: a given name equal to a generated one is rejected (also the very String
   * the generated task returns as its name), one that only looks generated is not, and fork(body)
   * skips given names above and below the number of tasks forked.
   */
  @Test
  void generatedNames_andGivenNames_neverCollide() throws Exception {
    try (var scope = Scope.open("names")) {
      Task<Integer> first = scope.fork(() -> 1); // task-1
      String duplicate = "task name 'task-1' is already used in scope 'names'";
      assertThatThrownBy(() -> scope.fork("task-1", () -> 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(duplicate);
      assertThatThrownBy(() -> scope.fork(first.name(), () -> 0)) // the generated instance itself
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(duplicate);
      List<String> given = List.of("task-01", "task-2x", "task-", "task-99999999999", "task-4");
      for (String n : given) {
        scope.fork(n, () -> 0); // none was generated: all accepted
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        names.add(scope.fork(() -> 2).name());
      }
      // 6 tasks forked before: task-7 first; task-4 was given, task-1 generated below that.
      assertThat(names).containsExactly("task-7", "task-8", "task-9", "task-10");
      assertThatThrownBy(() -> scope.fork("task-9", () -> 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("task name 'task-9' is already used");
      scope.fork("task-11", () -> 0);
      scope.fork("task-14", () -> 0); // 12 tasks
      assertThat(scope.fork(() -> 3).name()).isEqualTo("task-13");
      assertThat(scope.fork(() -> 3).name()).as("task-14 is given").isEqualTo("task-15");
      scope.join();
    }
  }

  /**
   * close() returns only after every started task has finished: the last action of each task (its
   * finally block) happens-before close() returns, even after cancel.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void close_afterCancel_returnsOnlyWhenTasksFinished(Kind kind) throws Exception {
    CountDownLatch started = new CountDownLatch(3);
    AtomicInteger finished = new AtomicInteger();
    try (var scope = Scope.open("closing", kind.config())) {
      for (int i = 0; i < 3; i++) {
        scope.fork(
            "t" + i,
            () -> {
              started.countDown();
              try {
                new CountDownLatch(1).await(); // until interrupted
                return null;
              } finally {
                Thread.onSpinWait(); // a moment of work after the interrupt, before the body ends
                finished.incrementAndGet();
              }
            });
      }
      started.await();
      scope.cancel();
      scope.join();
    } catch (java.util.concurrent.CancellationException expected) {
      // join reports the cancel
    }
    assertThat(finished).hasValue(3);
  }

  /** tasks() lists forked tasks in fork order. */
  @Test
  void tasks_afterForks_inForkOrder() throws Exception {
    try (var scope = Scope.open("order")) {
      scope.fork("a", () -> 1);
      scope.fork("b", () -> 2);
      scope.fork("c", () -> 3);
      scope.join();
      assertThat(scope.tasks()).extracting(Task::name).containsExactly("a", "b", "c");
    }
  }

  /** A closed scope still gives its results. */
  @Test
  void get_afterClose_stillReturnsResult() throws Exception {
    Task<String> t;
    try (var scope = Scope.open("after")) {
      t = scope.fork("x", () -> "v");
      scope.join();
    }
    assertThat(t.get()).isEqualTo("v");
    assertThatThrownBy(t::exception)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("task 'x' succeeded and has no exception: read its result with get()");
  }
}
