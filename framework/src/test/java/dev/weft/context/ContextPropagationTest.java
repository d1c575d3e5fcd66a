package dev.weft.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.internal.ObservedTask;
import dev.weft.internal.Observers;
import dev.weft.internal.ScopeObserver;
import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MDC;

/**
 * The SLF4J MDC reaches tasks: captured at fork, installed for the whole task (dependents, nested
 * scopes, grandchildren, fallbacks in other threads), and taken away when the task ends.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
@DisabledIfSystemProperty(named = "weft.test.noContextLibraries", matches = "true")
class ContextPropagationTest {

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  /** A task, a dependent, a nested scope's task and a grandchild all see the forker's MDC. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void fork_mdcSet_visibleInTaskDependentNestedTaskAndGrandchild(Kind kind) throws Exception {
    MDC.put("requestId", "r-1");
    Map<String, @Nullable String> seen = new ConcurrentHashMap<>();
    try (var scope = Scope.open("outer", kind.config())) {
      Task<String> a = scope.fork("a", () -> record(seen, "a"));
      scope.fork("b", a, x -> record(seen, "b"));
      scope.fork(
          "c",
          () -> {
            try (var inner = Scope.open("inner", kind.config())) {
              inner.fork(
                  "d",
                  () -> {
                    try (var innermost = Scope.open("innermost", kind.config())) {
                      innermost.fork("e", () -> record(seen, "e"));
                      innermost.join();
                    }
                    return record(seen, "d");
                  });
              inner.join();
            }
            return record(seen, "c");
          });
      scope.join();
    }
    assertThat(seen)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a", "r-1", "b", "r-1", "c", "r-1", "d", "r-1", "e", "r-1"));
    assertThat(MDC.get("requestId")).as("the owner keeps its own").isEqualTo("r-1");
  }

  /** The context is read by fork, not by open: what the owner puts in between is seen. */
  @Test
  void fork_mdcPutAfterOpenBeforeFork_isSeen() throws Exception {
    MDC.put("step", "before-open");
    try (var scope = Scope.open("capture")) {
      MDC.put("step", "after-open");
      Task<String> t = scope.fork("t", () -> MDC.get("step"));
      scope.join();
      assertThat(t.get()).isEqualTo("after-open");
    }
  }

  /** What the owner changes after the fork is not seen by the task, even before it reads it. */
  @Test
  void fork_mdcChangedAfterFork_isNotSeen() throws Exception {
    CountDownLatch changed = new CountDownLatch(1);
    MDC.put("step", "at-fork");
    try (var scope = Scope.open("capture")) {
      Task<Map<String, String>> t =
          scope.fork(
              "t",
              () -> {
                changed.await();
                return MDC.getCopyOfContextMap();
              });
      MDC.put("step", "after-fork");
      MDC.put("extra", "after-fork");
      Task<String> later = scope.fork("later", () -> MDC.get("step"));
      changed.countDown();
      scope.join();
      assertThat(t.get()).containsExactlyEntriesOf(Map.of("step", "at-fork"));
      assertThat(later.get()).isEqualTo("after-fork");
    }
  }

  /** A dependent takes the owner's context at its own fork, not what its dependency's body put. */
  @Test
  void fork_dependencyChangesItsMdc_dependentSeesOwnersContext() throws Exception {
    MDC.put("who", "owner");
    try (var scope = Scope.open("deps")) {
      Task<String> dep =
          scope.fork(
              "dep",
              () -> {
                MDC.put("who", "dependency body");
                return "x";
              });
      Task<String> dependent = scope.fork("dependent", dep, x -> MDC.get("who"));
      scope.join();
      assertThat(dependent.get()).isEqualTo("owner");
    }
  }

  /** A task forked with an empty MDC sees none, also after tasks with an MDC ran. */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  void fork_mdcEmpty_taskSeesNone(Kind kind) throws Exception {
    try (var scope = Scope.open("empty", kind.config())) {
      MDC.put("requestId", "r-1");
      Task<String> with = scope.fork("with", () -> MDC.get("requestId"));
      MDC.clear();
      Task<@Nullable Map<String, String>> without =
          scope.fork("without", with, x -> MDC.getCopyOfContextMap());
      scope.join();
      assertThat(with.get()).isEqualTo("r-1");
      assertThat(without.get()).isNullOrEmpty();
    }
  }

  /**
   * When the task ends, its thread gets back what it had: nothing for a new thread, and its own MDC
   * for a thread whose factory put one there before running the task. The task's own view is the
   * forker's MDC only.
   */
  @Test
  void taskEnds_threadGetsBackWhatItHad() throws Exception {
    Map<String, Map<String, String>> atEnd = new ConcurrentHashMap<>();
    ThreadFactory factory =
        r ->
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      MDC.put("thread", "own");
                      r.run();
                      atEnd.put(Thread.currentThread().getName(), copy());
                    });
    ThreadFactory bare =
        r ->
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      r.run();
                      atEnd.put(Thread.currentThread().getName(), copy());
                    });
    MDC.put("requestId", "r-1");
    Task<Map<String, String>> inTask;
    try (var scope = Scope.open("own", c -> c.withThreadFactory(factory))) {
      inTask = scope.fork("t", ContextPropagationTest::copy);
      scope.join();
    }
    try (var scope = Scope.open("bare", c -> c.withThreadFactory(bare))) {
      scope.fork("t", () -> MDC.get("requestId"));
      scope.join();
    }
    assertThat(inTask.get()).containsExactlyEntriesOf(Map.of("requestId", "r-1"));
    assertThat(atEnd.get("own/t")).containsExactlyEntriesOf(Map.of("thread", "own"));
    assertThat(atEnd.get("bare/t")).isEmpty();
  }

  /** A task's fallback sees the task's context also in the timer's thread (its timeout). */
  @Test
  void fallback_afterTimeout_seesTasksContextInTimerThread() throws Exception {
    MDC.put("requestId", "r-1");
    CountDownLatch never = new CountDownLatch(1);
    try (var scope = Scope.open("fallback")) {
      Task<String> slow =
          scope.fork(
              "slow",
              () -> {
                never.await();
                return "not reached";
              },
              o ->
                  o.withTimeout(Duration.ofMillis(20))
                      .withFallback(
                          e -> MDC.get("requestId") + " in " + Thread.currentThread().getName()));
      scope.join();
      assertThat(slow.get()).startsWith("r-1 in ").doesNotContain("fallback/slow");
    }
  }

  /**
   * A fallback that replaces a skip runs in the failed dependency's thread, with its own task's
   * context there (not the dependency's).
   */
  @Test
  void fallback_afterSkip_seesItsTasksContextInDependencyThread() throws Exception {
    Task<String> dependent;
    CountDownLatch forked = new CountDownLatch(1);
    MDC.put("who", "at dependency fork");
    try (var scope = Scope.open("skip", Policy.collectAll())) {
      Task<String> dep =
          scope.fork(
              "dep",
              () -> {
                forked.await(); // fail once the dependent waits for this task
                throw new IllegalStateException("down");
              });
      MDC.put("who", "at dependent fork");
      dependent =
          scope.fork(
              "dependent",
              dep,
              x -> "not reached",
              o -> o.withFallback(e -> MDC.get("who") + " in " + Thread.currentThread().getName()));
      forked.countDown();
      assertThatThrownBy(scope::join).isInstanceOf(TaskFailedException.class);
    }
    assertThat(dependent.get()).isEqualTo("at dependent fork in skip/dep");
  }

  /** Observers run inside the context: it is there at taskStarted and still there at bodyEnded. */
  @Test
  void observers_taskStartedAndBodyEnded_runInsideTheContext() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    ScopeObserver observer =
        new ScopeObserver() {
          @Override
          public void taskStarted(ObservedTask task, @Nullable Object state, long nanoTime) {
            events.add("started " + MDC.get("requestId"));
          }

          @Override
          public void bodyEnded(ObservedTask task, @Nullable Object state, long nanoTime) {
            events.add("body-ended " + MDC.get("requestId"));
          }
        };
    MDC.put("requestId", "r-1");
    try (var registration = Observers.add(observer);
        var scope = Scope.open("observed")) {
      scope.fork("t", () -> events.add("body " + MDC.get("requestId")));
      scope.join();
    }
    assertThat(events).containsExactly("started r-1", "body r-1", "body-ended r-1");
  }

  private static String record(Map<String, @Nullable String> seen, String task) {
    String v = MDC.get("requestId");
    seen.put(task, v == null ? "<none>" : v);
    return task;
  }

  private static Map<String, String> copy() {
    Map<String, String> m = MDC.getCopyOfContextMap();
    return m == null ? new HashMap<>() : m;
  }
}
