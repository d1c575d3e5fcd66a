package dev.weft.trace;

import static dev.weft.trace.Traces.failed;
import static dev.weft.trace.Traces.opening;
import static dev.weft.trace.Traces.ran;
import static dev.weft.trace.Traces.scope;
import static dev.weft.trace.Traces.skipped;
import static dev.weft.trace.Traces.task;
import static dev.weft.trace.Traces.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.scope.Scope;
import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.Outcome;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.Task;
import dev.weft.trace.CriticalPath.Step;
import dev.weft.trace.CriticalPath.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chain of tasks that decided a scope's duration, on known graphs and on a real run. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CriticalPathTest {

  @Test
  void knownGraph_slowerDependencyThenDependent() {
    CriticalPath path = CriticalPath.of(Traces.knownGraph());

    assertThat(path.taskPaths()).containsExactly("req/b", "req/c");
    List<Step> steps = path.steps();
    assertThat(steps.get(0).waitedFor()).isEqualTo(Wait.FORK);
    assertThat(steps.get(1).waitedFor()).isEqualTo(Wait.DEPENDENCY);
    assertThat(steps.get(1).waitNanos()).isEqualTo(Traces.ms(30));
    assertThat(path.toString()).isEqualTo("req/b (29.0 ms) -> req/c (waited 30.0 ms, 10.0 ms)");
    assertThat(path.contains(path.scope().task("c"))).isTrue();
    assertThat(path.contains(path.scope().task("d"))).isFalse();
  }

  /** With a limit of one slot, each task waited for the one before it: the path is all three. */
  @Test
  void slots_pathFollowsTheTaskThatGaveTheSlot() {
    ScopeTrace t =
        trace(
            scope(
                "lim",
                "lim",
                0,
                31,
                31,
                task("lim", "x", 0, 0, 0, 1, 10, 10, Outcome.SUCCEEDED, null, null, List.of()),
                task("lim", "y", 0, 0, 10, 11, 20, 20, Outcome.SUCCEEDED, null, "x", List.of()),
                task("lim", "z", 0, 0, 20, 21, 30, 30, Outcome.SUCCEEDED, null, "y", List.of())));

    CriticalPath path = CriticalPath.of(t);

    assertThat(path.taskPaths()).containsExactly("lim/x", "lim/y", "lim/z");
    assertThat(path.steps())
        .extracting(Step::waitedFor)
        .containsExactly(Wait.FORK, Wait.SLOT, Wait.SLOT);
    assertThat(path.toString()).contains("lim/y (waited for a slot 10.0 ms, 9.0 ms)");
  }

  /**
   * With a limit, the dependency whose end made a task ready also gives it its slot: the task
   * waited for that dependency, not for a slot.
   */
  @Test
  void slotGivenByTheDependencyThatMadeItReady_isADependencyWait() {
    ScopeTrace t =
        trace(
            scope(
                "lim",
                "lim",
                0,
                41,
                41,
                task("lim", "a", 0, 0, 0, 1, 30, 30, Outcome.SUCCEEDED, null, null, List.of()),
                task(
                    "lim",
                    "c",
                    0,
                    30,
                    30,
                    31,
                    41,
                    41,
                    Outcome.SUCCEEDED,
                    null,
                    "a",
                    List.of(),
                    "a")));
    // slot 30 and ready 30 in ms: make the slot come a few microseconds after readiness
    ScopeTrace.TracedTask c = t.root().task("c");
    ScopeTrace.TracedTask later =
        new ScopeTrace.TracedTask(
            c.name(),
            c.path(),
            c.dependencies(),
            c.forkedNanos(),
            c.readyNanos(),
            c.readyNanos() + 3_000,
            c.startedNanos(),
            c.bodyEndedNanos(),
            c.endedNanos(),
            c.outcome(),
            null,
            c.thread(),
            "a",
            List.of());
    CriticalPath path = CriticalPath.of(scope("lim", "lim", 0, 41, 41, t.root().task("a"), later));

    assertThat(path.steps())
        .extracting(Step::waitedFor)
        .containsExactly(Wait.FORK, Wait.DEPENDENCY);
    assertThat(path.toString()).endsWith("-> lim/c (waited 30.0 ms, 10.0 ms)");
  }

  /** Fail-fast: join returned at a's failure; the skipped dependent points back at it. */
  @Test
  void failure_pathEndsAtWhatJoinWaitedFor_skippedPointsAtFailedDependency() {
    ScopeTrace t =
        trace(
            scope(
                "ff",
                "ff",
                0,
                6,
                20,
                failed("ff", "a", 5),
                task("ff", "b", 0, 0, 0, 1, 19, 6, Outcome.CANCELLED, null, null, List.of()),
                skipped("ff", "c", 5, "a", "b")));

    CriticalPath path = CriticalPath.of(t);

    // b ended (cancelled) at 6, when join returned: it is what join saw last.
    assertThat(path.taskPaths()).containsExactly("ff/b");
    CriticalPath skipped =
        CriticalPath.of(scope("ff", "ff", 0, 5, 20, t.root().task("a"), t.root().task("c")));
    assertThat(skipped.taskPaths()).containsExactly("ff/a", "ff/c");
    assertThat(skipped.steps().get(1).waitedFor()).isEqualTo(Wait.DEPENDENCY);
    assertThat(skipped.toString()).endsWith("-> ff/c (waited 5.0 ms, skipped)");
  }

  /** A step whose body opened a scope carries that scope's path: req/load { req/load/db/q1 }. */
  @Test
  void nested_innerPathOfTheScopeThatClosedLast() {
    TracedScope first = scope("db", "req/load/db", 1, 3, 3, ran("req/load/db", "warm", 1, 1, 1, 3));
    TracedScope second =
        scope(
            "db",
            "req/load/db",
            3,
            40,
            40,
            ran("req/load/db", "q1", 3, 3, 4, 40),
            ran("req/load/db", "q2", 3, 3, 4, 10));
    ScopeTrace t =
        trace(
            scope(
                "req",
                "req",
                0,
                41,
                41,
                opening("req", "load", 41, first, second),
                ran("req", "ping", 0, 0, 1, 2)));

    CriticalPath path = CriticalPath.of(t);

    assertThat(path.taskPaths()).containsExactly("req/load", "req/load/db/q1");
    assertThat(path.steps().get(0).inner()).isNotNull();
    assertThat(path.steps().get(0).inner().scope()).isSameAs(second);
    assertThat(path.toString()).isEqualTo("req/load (40.0 ms) { req/load/db/q1 (36.0 ms) }");
  }

  @Test
  void noTasks_emptyPath() {
    CriticalPath path = CriticalPath.of(trace(scope("empty", "empty", 0, 1, 1)));

    assertThat(path.steps()).isEmpty();
    assertThat(path.toString()).isEqualTo("empty: no tasks");
  }

  @Test
  void null_throwsNpeNamingTheArgument() {
    assertThatThrownBy(() -> CriticalPath.of((ScopeTrace) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("trace must not be null: pass the ScopeTrace given to the sink");
    assertThatThrownBy(() -> CriticalPath.of((TracedScope) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scope must not be null: pass a scope of a ScopeTrace");
  }

  /**
   * A real scope: {@code orders} ends only after {@code profile} has ended (a latch the test
   * releases then), and {@code pricing} needs both: the path is orders -> pricing.
   */
  @Test
  void realRun_slowDependencyHeldTheDependentUp() throws Exception {
    AtomicReference<ScopeTrace> traced = new AtomicReference<>();
    CountDownLatch release = new CountDownLatch(1);
    try (var scope = Scope.open("dash", c -> c.withTrace(traced::set))) {
      Task<String> profile = scope.fork("profile", () -> "p");
      Task<String> orders =
          scope.fork(
              "orders",
              () -> {
                assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
                return "o";
              });
      scope.fork("pricing", profile, orders, (p, o) -> p + o);
      await().atMost(Duration.ofSeconds(5)).until(() -> profile.state() == Task.State.SUCCEEDED);
      release.countDown();
      scope.join();
    }

    CriticalPath path = CriticalPath.of(traced.get());

    assertThat(path.taskPaths()).containsExactly("dash/orders", "dash/pricing");
    assertThat(path.steps().get(1).waitedFor()).isEqualTo(Wait.DEPENDENCY);
  }
}
