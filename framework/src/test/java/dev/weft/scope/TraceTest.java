package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.internal.ObservedScope;
import dev.weft.internal.Observers;
import dev.weft.internal.ScopeObserver;
import dev.weft.scope.ScopeTrace.Outcome;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The execution trace of a scope: switching it on, what it records, when and how it arrives. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TraceTest {

  /** Traces are handed over here: one per closed traced scope. */
  private final ConcurrentLinkedQueue<ScopeTrace> traces = new ConcurrentLinkedQueue<>();

  private ScopeTrace only() {
    assertThat(traces).hasSize(1);
    return traces.peek();
  }

  @Test
  void withTrace_null_throwsNpeNamingArgumentAndFix() {
    assertThatThrownBy(() -> ScopeConfig.defaults().withTrace(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageStartingWith("trace sink must not be null: pass the consumer of the finished")
        .hasMessageEndingWith("or omit withTrace for no trace");
  }

  /** Without a trace and without observers, a scope's listener is the empty one, as before. */
  @Test
  void untraced_noObservers_listenerIsNone_nestedInTracedIsNot() throws Exception {
    try (var plain = Scope.open("plain")) {
      ScopeImpl<?> p = (ScopeImpl<?>) plain;
      assertThat(p.listener).isSameAs(ScopeListener.NONE);
      assertThat(p.traces).isSameAs(TraceRecorder.NONE);
      plain.join();
    }
    AtomicReference<@Nullable ScopeListener> nested = new AtomicReference<>();
    try (var traced = Scope.open("traced", c -> c.withTrace(traces::add))) {
      assertThat(((ScopeImpl<?>) traced).listener).isNotSameAs(ScopeListener.NONE);
      traced.fork(
          "t",
          () -> {
            try (var inner = Scope.open("inner")) {
              nested.set(((ScopeImpl<?>) inner).listener);
              inner.join();
            }
            return 0;
          });
      traced.join();
    }
    assertThat(nested.get()).isNotNull().isNotSameAs(ScopeListener.NONE);
    assertThat(config(c -> c.withTrace(traces::add)).traceSink()).isPresent();
    assertThat(ScopeConfig.defaults().traceSink()).isEmpty();
  }

  /** The sink runs once, in the owner, when every task thread has terminated. */
  @Test
  void sink_calledOnceInOwner_afterEveryThreadTerminated() throws Exception {
    ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<String> seen = new AtomicReference<>();
    Thread owner = Thread.currentThread();
    try (var scope =
        Scope.open(
            "once",
            c ->
                c.withTrace(
                    t -> {
                      calls.incrementAndGet();
                      seen.set(
                          (Thread.currentThread() == owner ? "owner" : "other")
                              + (threads.stream().anyMatch(Thread::isAlive) ? " alive" : " ended")
                              + " "
                              + threads.size());
                      traces.add(t);
                    }))) {
      for (int i = 0; i < 3; i++) {
        scope.fork(
            "t" + i,
            () -> {
              threads.add(Thread.currentThread());
              return 1;
            });
      }
      scope.join();
      assertThat(calls).hasValue(0); // not before close
    }
    assertThat(calls).hasValue(1);
    assertThat(seen).hasValue("owner ended 3");
    assertThat(only().root().tasks())
        .extracting(TracedTask::name)
        .containsExactly("t0", "t1", "t2");
  }

  /** Each outcome as the SPI names it; failures as class names, never messages. */
  @Test
  void trace_everyOutcome_recordedWithFailureClassOnly() {
    EveryOutcome.run("outcomes", c -> c.withTrace(traces::add));
    TracedScope root = only().root();
    assertThat(root.policy()).isEqualTo("collect-all");
    assertThat(root.tasks())
        .extracting(TracedTask::name, TracedTask::outcome, TracedTask::failure)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ok", Outcome.SUCCEEDED, null),
            org.assertj.core.groups.Tuple.tuple("dep", Outcome.SUCCEEDED, null),
            org.assertj.core.groups.Tuple.tuple("bad", Outcome.FAILED, "java.io.IOException"),
            org.assertj.core.groups.Tuple.tuple(
                "skipped", Outcome.SKIPPED, TaskSkippedException.class.getName()),
            org.assertj.core.groups.Tuple.tuple(
                "slow", Outcome.TIMED_OUT, "java.util.concurrent.TimeoutException"),
            org.assertj.core.groups.Tuple.tuple("saved", Outcome.RECOVERED, "java.io.IOException"));
    assertThat(root.task("dep").dependencies()).containsExactly("ok");
    // Without a limit, ready is the end of its last dependency, and it has its slot at once.
    assertThat(root.task("dep").readyNanos())
        .isEqualTo(Math.max(root.task("dep").forkedNanos(), root.task("ok").endedNanos()));
    assertThat(root.task("dep").slotNanos()).isEqualTo(root.task("dep").readyNanos());
    assertThat(root.task("skipped").started()).isFalse();
    assertThat(root.task("skipped").readyNanos()).isEqualTo(ScopeTrace.NEVER);
    assertThat(root.task("skipped").thread()).isNull();
    assertThat(root.task("ok").thread()).isEqualTo("outcomes/ok");
    assertThat(root.joinFailure()).isEqualTo(TaskFailedException.class.getName());
    assertThat(only().toString() + root).doesNotContain("secret");
  }

  /** forked <= ready <= slot <= started <= bodyEnded, forked <= ended; inside the scope's life. */
  @Test
  void trace_times_areOrdered() throws Exception {
    try (var scope = Scope.open("times", c -> c.withMaxConcurrency(2).withTrace(traces::add))) {
      Task<Integer> a = scope.fork("a", () -> 1);
      Task<Integer> b = scope.fork("b", () -> 2);
      Task<Integer> c = scope.fork("c", a, b, Integer::sum);
      scope.fork("d", c, v -> v);
      scope.fork("e", () -> 3);
      scope.join();
    }
    ScopeTrace trace = only();
    TracedScope s = trace.root();
    assertThat(s.openedNanos()).isZero();
    assertThat(s.joinedNanos()).isBetween(0L, s.closedNanos());
    assertThat(trace.durationNanos()).isEqualTo(s.closedNanos());
    for (TracedTask t : s.tasks()) {
      assertThat(t.outcome()).as(t.name()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(List.of(t.forkedNanos(), t.readyNanos(), t.slotNanos(), t.startedNanos()))
          .as(t.name() + " forked, ready, slot, started")
          .isSorted()
          .allMatch(n -> n >= 0);
      assertThat(t.bodyEndedNanos()).as(t.name()).isBetween(t.startedNanos(), t.endedNanos());
      assertThat(t.endedNanos()).as(t.name()).isLessThanOrEqualTo(s.closedNanos());
    }
    TracedTask c = s.task("c");
    // With a limit, ready is when it joined the queue for a slot: after both dependencies ended.
    assertThat(c.readyNanos())
        .isGreaterThanOrEqualTo(Math.max(s.task("a").endedNanos(), s.task("b").endedNanos()));
    assertThat(c.dependencies()).containsExactly("a", "b");
    assertThat(trace.openedAt()).isBeforeOrEqualTo(java.time.Instant.now());
  }

  /** A scope opened in a task's body is recorded under that task; one opened by the owner too. */
  @Test
  void trace_nestedScopes_recordedUnderTheirTaskAndOwner() throws Exception {
    try (var req = Scope.open("req", c -> c.withTrace(traces::add))) {
      req.fork(
          "load",
          () -> {
            try (var db = Scope.open("db", Policy.collectAll())) {
              db.fork("q1", () -> 1);
              db.join();
            }
            return 0;
          });
      try (var side = Scope.open("side")) {
        side.fork("s1", () -> 1);
        side.join();
      }
      req.join();
    }
    ScopeTrace trace = only();
    TracedTask load = trace.task("req/load");
    assertThat(load.scopes()).extracting(TracedScope::path).containsExactly("req/load/db");
    TracedScope db = load.scopes().get(0);
    assertThat(db.policy()).isEqualTo("collect-all");
    assertThat(db.owner()).isEqualTo("req/load");
    assertThat(db.openedNanos()).isBetween(load.startedNanos(), load.bodyEndedNanos());
    assertThat(db.closedNanos()).isBetween(db.openedNanos(), load.bodyEndedNanos());
    TracedTask q1 = trace.task("req/load/db/q1");
    assertThat(q1.thread()).isEqualTo("db/q1");
    assertThat(trace.root().scopes()).extracting(TracedScope::path).containsExactly("req/side");
    assertThat(trace.tasks())
        .extracting(TracedTask::path)
        .containsExactly("req/load", "req/load/db/q1", "req/side/s1");
    assertThat(trace.scopes())
        .extracting(TracedScope::path)
        .containsExactly("req", "req/load/db", "req/side");
  }

  /** A nested scope with a trace of its own is in both traces. */
  @Test
  void trace_nestedScopeWithItsOwnTrace_inBothTraces() throws Exception {
    ConcurrentLinkedQueue<ScopeTrace> inner = new ConcurrentLinkedQueue<>();
    try (var req = Scope.open("req", c -> c.withTrace(traces::add))) {
      req.fork(
          "load",
          () -> {
            try (var db = Scope.open("db", c -> c.withTrace(inner::add))) {
              db.fork("q1", () -> 1);
              db.join();
            }
            return 0;
          });
      req.join();
    }
    assertThat(inner).hasSize(1);
    assertThat(inner.peek().root().path()).isEqualTo("db");
    assertThat(inner.peek().tasks()).extracting(TracedTask::path).containsExactly("db/q1");
    assertThat(only().tasks())
        .extracting(TracedTask::path)
        .containsExactly("req/load", "req/load/db/q1");
  }

  /** The task whose end freed a slot of the concurrency limit is named by the task that got it. */
  @Test
  void trace_slotWait_namesTheTaskThatFreedTheSlot() throws Exception {
    CountDownLatch bForked = new CountDownLatch(1);
    try (var scope = Scope.open("limit", c -> c.withMaxConcurrency(1).withTrace(traces::add))) {
      scope.fork(
          "a",
          () -> {
            bForked.await(); // b queues for the slot while a holds it
            return 1;
          });
      scope.fork("b", () -> 2);
      bForked.countDown();
      scope.join();
    }
    TracedScope s = only().root();
    TracedTask a = s.task("a");
    TracedTask b = s.task("b");
    assertThat(a.slotFrom()).isNull(); // the owner gave it at fork
    assertThat(b.slotFrom()).isEqualTo("a");
    assertThat(b.slotNanos()).isGreaterThanOrEqualTo(a.endedNanos());
    assertThat(b.slotWaitNanos()).isPositive();
  }

  /** A cancelled task: CANCELLED, with the body's end after the cancel ended it. */
  @Test
  void trace_cancelledTask_endsAtTheCancel() {
    CountDownLatch started = new CountDownLatch(1);
    catchThrowable(
        () -> {
          try (var scope = Scope.open("cancel", c -> c.withTrace(traces::add))) {
            scope.fork(
                "blocked",
                () -> {
                  started.countDown();
                  new CountDownLatch(1).await(); // until interrupted
                  return 0;
                });
            started.await();
            scope.cancel();
            scope.join();
          }
        });
    TracedTask t = only().root().task("blocked");
    assertThat(t.outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(t.failure()).isEqualTo("java.util.concurrent.CancellationException");
    assertThat(t.started()).isTrue();
    assertThat(t.bodyEndedNanos()).isGreaterThanOrEqualTo(t.endedNanos());
    assertThat(t.finishedNanos()).isEqualTo(t.bodyEndedNanos());
  }

  /** What the sink throws is thrown by close(), which still closed the scope. */
  @Test
  void sinkThrows_closeThrowsIt_scopeClosed() {
    AtomicReference<Scope<Void>> opened = new AtomicReference<>();
    Throwable thrown =
        catchThrowable(
            () -> {
              try (var scope =
                  Scope.open(
                      "sink",
                      c ->
                          c.withTrace(
                              t -> {
                                throw new IllegalStateException("sink broke");
                              }))) {
                opened.set(scope);
                scope.fork("a", () -> 1);
                scope.join();
              }
            });
    assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("sink broke");
    assertThatThrownBy(() -> opened.get().fork("late", () -> 1))
        .isInstanceOf(IllegalStateException.class);
  }

  /** If close() throws anyway (no join), the sink's exception is suppressed in that one. */
  @Test
  void sinkThrows_closeWithoutJoin_suppressedInCloseFailure() {
    Throwable thrown =
        catchThrowable(
            () -> {
              try (var scope =
                  Scope.open(
                      "nojoin",
                      c ->
                          c.withTrace(
                              t -> {
                                throw new IllegalStateException("sink broke");
                              }))) {
                scope.fork("a", () -> 1);
              }
            });
    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was closed without join()");
    assertThat(thrown.getSuppressed()).anySatisfy(s -> assertThat(s).hasMessage("sink broke"));
  }

  /** A traced scope reports to the installed observers too; the trace does not replace them. */
  @Test
  void traced_withInstalledObserver_bothSeeTheScope() throws Exception {
    ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
    ScopeObserver o =
        new ScopeObserver() {
          @Override
          public void scopeClosed(ObservedScope scope, @Nullable Object state, long nanoTime) {
            closed.add(scope.name());
          }
        };
    try (var reg = Observers.add(o);
        var scope = Scope.open("both", c -> c.withTrace(traces::add))) {
      scope.fork("a", () -> 1);
      scope.join();
    }
    assertThat(closed).contains("both");
    assertThat(only().root().tasks()).hasSize(1);
  }

  private static ScopeConfig config(java.util.function.UnaryOperator<ScopeConfig> c) {
    return c.apply(ScopeConfig.defaults());
  }
}
