package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scope.Factories.Kind;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dependency joins: a dependent starts only after its dependencies succeeded, with their values.
 */
class DependencyTest {

  /** The dependent's body does not start while a dependency is still running. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void fork_dependencyRunning_dependentWaitsAndGetsFinalValue(Kind kind) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean dependentStarted = new AtomicBoolean();
    try (var scope = Scope.open("deps", kind.config())) {
      Task<String> user =
          scope.fork(
              "user",
              () -> {
                release.await();
                return "alice";
              });
      Task<String> greeting =
          scope.fork(
              "greeting",
              user,
              u -> {
                dependentStarted.set(true);
                return "hello " + u;
              });
      assertThat(greeting.state()).isEqualTo(Task.State.PENDING);
      assertThat(dependentStarted).isFalse();
      release.countDown();
      scope.join();
      assertThat(greeting.get()).isEqualTo("hello alice");
    }
  }

  /** One, two, three and a list of dependencies pass their values. */
  @Test
  void fork_oneTwoThreeAndListOfDependencies_passValues() throws Exception {
    try (var scope = Scope.open("arity")) {
      Task<Integer> a = scope.fork("a", () -> 1);
      Task<Integer> b = scope.fork("b", () -> 2);
      Task<Integer> c = scope.fork("c", () -> 3);
      Task<Integer> one = scope.fork("one", a, x -> x * 10);
      Task<Integer> two = scope.fork("two", a, b, (x, y) -> x + y);
      Task<Integer> three = scope.fork("three", a, b, c, (x, y, z) -> x + y + z);
      Task<Integer> list =
          scope.fork("list", List.of(a, b, c, one), () -> a.get() + b.get() + c.get() + one.get());
      scope.join();
      assertThat(List.of(one.get(), two.get(), three.get(), list.get()))
          .containsExactly(10, 3, 6, 16);
    }
  }

  /** A chain of 100 tasks runs in order, each seeing the previous value. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void fork_longChain_runsInDependencyOrder(Kind kind) throws Exception {
    try (var scope = Scope.open("chain", kind.config())) {
      Task<Integer> prev = scope.fork("t0", () -> 0);
      for (int i = 1; i < 100; i++) {
        prev = scope.fork("t" + i, prev, v -> v + 1);
      }
      scope.join();
      assertThat(prev.get()).isEqualTo(99);
    }
  }

  /** A dependency that already ended before the fork is handled at fork time. */
  @Test
  void fork_dependencyAlreadySucceeded_startsAtOnce() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (var scope = Scope.open("late", Policy.collectAll())) {
      Task<Integer> a =
          scope.fork(
              "a",
              () -> {
                done.countDown();
                return 5;
              });
      done.await();
      while (!a.state().isFinal()) {
        Thread.onSpinWait(); // a ends right after the latch
      }
      Task<Integer> b = scope.fork("b", a, x -> x + 1);
      scope.join();
      assertThat(b.get()).isEqualTo(6);
    }
  }

  /** A failed dependency skips its dependents (transitively), naming the failed task. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void join_dependencyFailed_skipsDependentsAndNamesFailedTask(Kind kind) throws Exception {
    AtomicInteger ran = new AtomicInteger();
    Task<String> user;
    Task<String> price;
    Task<String> render;
    Scope<Void> scope = Scope.open("checkout", Policy.collectAll(), kind.config());
    try (scope) {
      user =
          scope.fork(
              "user",
              () -> {
                throw new IOException("db down");
              });
      price =
          scope.fork(
              "price",
              user,
              u -> {
                ran.incrementAndGet();
                return u;
              });
      render =
          scope.fork(
              "render",
              price,
              p -> {
                ran.incrementAndGet();
                return p;
              });
      assertThatThrownBy(scope::join)
          .isInstanceOf(TaskFailedException.class)
          .hasMessage(
              "task 'user' failed in scope 'checkout': java.io.IOException: db down; "
                  + "2 dependents skipped: 'price', 'render'")
          .hasCauseInstanceOf(IOException.class)
          .satisfies(
              e ->
                  assertThat(((TaskFailedException) e).skippedTasks())
                      .containsExactly("price", "render"));
    }
    assertThat(ran).hasValue(0);
    assertThat(price.state()).isEqualTo(Task.State.SKIPPED);
    assertThat(price.exception())
        .isInstanceOf(TaskSkippedException.class)
        .hasMessage("task 'price' skipped: dependency 'user' failed: java.io.IOException: db down")
        .hasCauseInstanceOf(IOException.class);
    assertThat(render.exception())
        .hasMessageStartingWith("task 'render' skipped: dependency 'price' was skipped")
        .hasRootCauseInstanceOf(IOException.class);
    assertThat(((TaskSkippedException) render.exception()).dependencyName()).isEqualTo("price");
  }

  /** A dependent with a fallback runs its fallback instead of being skipped. */
  @Test
  void join_dependencyFailedWithFallback_dependentRecovers() throws Exception {
    try (var scope = Scope.open("checkout", Policy.collectAll())) {
      Task<String> recs =
          scope.fork(
              "recs",
              () -> {
                throw new IOException("recs down");
              });
      Task<String> banner =
          scope.fork(
              "banner", recs, r -> "top: " + r, o -> o.withFallbackValue("no recommendations"));
      assertThatThrownBy(scope::join).isInstanceOf(TaskFailedException.class); // recs itself failed
      assertThat(banner.state()).isEqualTo(Task.State.SUCCEEDED);
      assertThat(banner.get()).isEqualTo("no recommendations");
      assertThat(banner.recoveredFrom()).get().isInstanceOf(TaskSkippedException.class);
    }
  }

  /** A failure with a fallback on the failing task itself does not fail the scope. */
  @Test
  void join_taskFailsWithFallback_scopeSucceeds() throws Exception {
    try (var scope = Scope.open("checkout")) {
      Task<List<String>> ads =
          scope.fork(
              "ads",
              () -> {
                throw new IOException("ads down");
              },
              o -> o.withFallbackValue(List.of()));
      Task<String> page = scope.fork("page", ads, a -> "ads=" + a.size());
      scope.join();
      assertThat(page.get()).isEqualTo("ads=0");
      assertThat(ads.recoveredFrom()).get().isInstanceOf(IOException.class);
    }
  }

  /** A fallback that throws fails the task with its exception, the original suppressed. */
  @Test
  void join_fallbackThrows_taskFailsWithBoth() throws Exception {
    try (var scope = Scope.open("fb", Policy.collectAll())) {
      Task<String> t =
          scope.fork(
              "t",
              () -> {
                throw new IOException("first");
              },
              o ->
                  o.withFallback(
                      e -> {
                        throw new IllegalStateException("fallback broke");
                      }));
      assertThatThrownBy(scope::join)
          .isInstanceOf(TaskFailedException.class)
          .hasCauseInstanceOf(IllegalStateException.class);
      assertThat(t.exception().getSuppressed()).singleElement().isInstanceOf(IOException.class);
    }
  }

  /** A dependency from another scope is rejected, naming both scopes. */
  @Test
  void fork_dependencyFromAnotherScope_throwsNamingBothScopes() throws Exception {
    try (var outer = Scope.open("outer")) {
      Task<Integer> foreign = outer.fork("foreign", () -> 1);
      try (var inner = Scope.open("inner")) {
        assertThatThrownBy(() -> inner.fork("mine", foreign, x -> x))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                "dependency 'foreign' belongs to scope 'outer', not to scope 'inner': a "
                    + "task can only depend on tasks of its own scope; pass the value instead, or fork "
                    + "both tasks in one scope");
        inner.join();
      }
      outer.join();
    }
  }

  /** Null dependencies are rejected with the argument's name. */
  @Test
  void fork_nullDependency_throwsNamingArgument() throws Exception {
    try (var scope = Scope.open("nulls")) {
      Task<Integer> a = scope.fork("a", () -> 1);
      assertThatThrownBy(() -> scope.fork("x", a, null, (p, q) -> p))
          .isInstanceOf(NullPointerException.class)
          .hasMessage(
              "dependency b must not be null: pass a task forked in this scope, or use "
                  + "fork(name, body) for a task without dependencies");
      assertThatThrownBy(() -> scope.fork("c", java.util.Arrays.asList(a, null), () -> 1))
          .isInstanceOf(NullPointerException.class)
          .hasMessage(
              "dependency dependencies[1] must not be null: pass tasks forked in this scope, or "
                  + "leave it out of the list");
      scope.join();
    }
  }

  /** A waiting dependent holds no concurrency slot: an independent task still gets one. */
  @Test
  void fork_dependentWaiting_holdsNoSlot() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch independentRan = new CountDownLatch(1);
    try (var scope = Scope.open("slots", c -> c.withMaxConcurrency(2))) {
      Task<Integer> first =
          scope.fork(
              "first",
              () -> {
                release.await();
                return 1;
              });
      Task<Integer> waiting = scope.fork("waiting", first, x -> x + 1);
      scope.fork(
          "independent",
          () -> {
            independentRan.countDown();
            return 3;
          });
      // 'first' holds one slot; if 'waiting' held the other, 'independent' could not run now.
      assertThat(independentRan.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(waiting.state()).isEqualTo(Task.State.PENDING);
      release.countDown();
      scope.join();
      assertThat(waiting.get()).isEqualTo(2);
    }
  }
}
