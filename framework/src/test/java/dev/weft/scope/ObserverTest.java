package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.ObservedScope;
import dev.weft.internal.ObservedTask;
import dev.weft.internal.Observers;
import dev.weft.internal.ScopeObserver;
import dev.weft.internal.TaskOutcome;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The observer SPI on top of the seam: states handed back, outcomes, failing observers. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ObserverTest {

  /** Records "event scope/task outcome" for scopes named "obs*"; its states are strings. */
  static final class Recorder implements ScopeObserver {
    final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    private static boolean mine(ObservedScope s) {
      return s.name().startsWith("obs");
    }

    @Override
    public Object scopeOpened(ObservedScope scope, long nanoTime) {
      if (mine(scope)) {
        events.add(
            "opened "
                + scope.name()
                + " "
                + scope.policyName()
                + (scope.parentScope() == null ? "" : " in " + scope.parentScope().name())
                + (scope.parentTask() == null ? "" : "/" + scope.parentTask().name()));
      }
      return "S:" + scope.name();
    }

    @Override
    public Object taskForked(ObservedTask task, @Nullable Object scopeState, long nanoTime) {
      if (mine(task.observedScope())) {
        events.add(
            "forked "
                + task.name()
                + " "
                + scopeState
                + " deps="
                + task.observedDependencies().stream().map(ObservedTask::name).toList());
      }
      return "T:" + task.name();
    }

    @Override
    public void taskStarted(ObservedTask task, @Nullable Object taskState, long nanoTime) {
      if (mine(task.observedScope())) {
        events.add("started " + taskState);
      }
    }

    @Override
    public void bodyEnded(ObservedTask task, @Nullable Object taskState, long nanoTime) {
      if (mine(task.observedScope())) {
        events.add("body-ended " + taskState);
      }
    }

    @Override
    public void taskEnded(
        ObservedTask task,
        @Nullable Object taskState,
        TaskOutcome outcome,
        @Nullable Throwable failure,
        long nanoTime) {
      if (mine(task.observedScope())) {
        events.add(
            "ended "
                + taskState
                + " "
                + outcome.tag()
                + (failure == null ? "" : " " + failure.getClass().getSimpleName()));
      }
    }

    @Override
    public void scopeClosed(ObservedScope scope, @Nullable Object scopeState, long nanoTime) {
      if (mine(scope)) {
        events.add("closed " + scopeState);
      }
    }
  }

  @Test
  void observer_seesStatesItReturned_andEveryOutcome() throws Exception {
    Recorder r = new Recorder();
    try (var reg = Observers.add(r)) {
      EveryOutcome.run("obs", c -> c);
    }
    assertThat(r.events)
        .contains(
            "opened obs collect-all",
            "forked dep S:obs deps=[ok]",
            "ended T:ok succeeded",
            "ended T:dep succeeded",
            "ended T:bad failed IOException",
            "ended T:skipped skipped TaskSkippedException",
            "ended T:slow timed_out TimeoutException",
            "ended T:saved recovered IOException",
            "closed S:obs");
    List<String> e = List.copyOf(r.events);
    assertThat(e).containsSubsequence("started T:ok", "body-ended T:ok", "ended T:ok succeeded");
    assertThat(e).doesNotContain("started T:skipped");
    assertThat(e.get(e.size() - 1)).isEqualTo("closed S:obs");
  }

  @Test
  void observer_nestedScope_namesParentScopeAndTask() throws Exception {
    Recorder r = new Recorder();
    try (var reg = Observers.add(r);
        var outer = Scope.open("obs-outer")) {
      outer.fork(
          "load",
          () -> {
            try (var inner = Scope.open("obs-inner")) {
              inner.fork("q", () -> 1);
              inner.join();
            }
            return 0;
          });
      outer.join();
    }
    assertThat(r.events).contains("opened obs-inner fail-fast in obs-outer/load");
  }

  @Test
  void observer_seesGeneratedNamesAndBuiltInPolicies() throws Exception {
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    ScopeObserver names =
        new ScopeObserver() {
          @Override
          public @Nullable Object scopeOpened(ObservedScope scope, long nanoTime) {
            if (scope.name().startsWith("obs")) {
              seen.add(scope.name() + " built-in=" + scope.policyBuiltIn());
            }
            return null;
          }

          @Override
          public @Nullable Object taskForked(
              ObservedTask task, @Nullable Object scopeState, long nanoTime) {
            if (task.observedScope().name().startsWith("obs")) {
              seen.add(task.name() + " generated=" + task.nameGenerated());
            }
            return null;
          }
        };
    Policy<Void> custom =
        new Policy<>() {
          @Override
          public boolean onComplete(Task<?> task) {
            return false;
          }

          @Override
          public @Nullable Void result(Scope<Void> scope) {
            return null;
          }
        };
    try (var reg = Observers.add(names)) {
      try (var scope = Scope.open("obs-names", Policy.quorum(1))) {
        scope.fork(() -> 1);
        scope.fork("task-5", () -> 2); // a given name that looks generated
        scope.fork(() -> 3);
        scope.join();
      }
      try (var scope = Scope.open("obs-custom", custom)) {
        scope.join();
      }
    }
    assertThat(seen)
        .containsExactly(
            "obs-names built-in=true",
            "task-1 generated=true",
            "task-5 generated=false",
            "task-3 generated=true",
            "obs-custom built-in=false");
  }

  @Test
  void observer_thatThrows_neverChangesTheScope() throws Exception {
    ScopeObserver broken =
        new ScopeObserver() {
          @Override
          public void taskStarted(ObservedTask task, @Nullable Object taskState, long nanoTime) {
            throw new IllegalStateException("observer bug");
          }

          @Override
          public void taskEnded(
              ObservedTask task,
              @Nullable Object taskState,
              TaskOutcome outcome,
              @Nullable Throwable failure,
              long nanoTime) {
            throw new AssertionError("observer error");
          }
        };
    Recorder r = new Recorder();
    try (var a = Observers.add(broken);
        var b = Observers.add(r);
        var scope = Scope.open("obs-broken")) {
      Task<Integer> t = scope.fork("t", () -> 41);
      scope.join();
      assertThat(t.get()).isEqualTo(41);
    }
    assertThat(r.events).contains("ended T:t succeeded"); // the next observer still sees it
  }

  @Test
  void remove_appliesToScopesOpenedAfterwards() throws Exception {
    Recorder r = new Recorder();
    Observers.Registration reg = Observers.add(r);
    try (var scope = Scope.open("obs-removed")) {
      reg.close();
      scope.fork("a", () -> 1);
      scope.join();
    }
    try (var scope = Scope.open("obs-after")) {
      scope.fork("b", () -> 1);
      scope.join();
    }
    assertThat(r.events).contains("forked a S:obs-removed deps=[]");
    assertThat(r.events).noneMatch(s -> s.contains("obs-after"));
    assertThat(Observers.all()).doesNotContain(r);
  }
}
