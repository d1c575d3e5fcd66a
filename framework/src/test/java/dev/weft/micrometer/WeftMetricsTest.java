package dev.weft.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.lockorder.DeadlockException;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.LockOrderViolationException;
import dev.weft.scope.DeadlineExceededException;
import dev.weft.scope.EveryOutcome;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WeftMetrics: meter names, tags and counts in a SimpleMeterRegistry. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WeftMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WeftMetrics metrics = new WeftMetrics(Tags.of("app", "test"));

  @BeforeEach
  void bind() {
    metrics.bindTo(registry);
  }

  @AfterEach
  void unbind() {
    metrics.close();
  }

  @Test
  void tasks_everyOutcome_countedByScopeTaskAndOutcome() {
    EveryOutcome.run("orders", c -> c);

    assertThat(taskCount("orders", "ok", "succeeded")).isEqualTo(1);
    assertThat(taskCount("orders", "dep", "succeeded")).isEqualTo(1);
    assertThat(taskCount("orders", "bad", "failed")).isEqualTo(1);
    assertThat(taskCount("orders", "skipped", "skipped")).isEqualTo(1);
    assertThat(taskCount("orders", "slow", "timed_out")).isEqualTo(1);
    assertThat(taskCount("orders", "saved", "recovered")).isEqualTo(1);
    // a task that never started: counted, with no time and no queue wait
    assertThat(taskTimer("orders", "skipped", "skipped").totalTime(TimeUnit.NANOSECONDS)).isZero();
    assertThat(queueWait("orders", "skipped").count()).isZero();
    assertThat(queueWait("orders", "ok").count()).isEqualTo(1);
    // only outcomes that happened have a series
    assertThat(registry.find(WeftMetrics.TASK_DURATION).tag("task", "ok").timers()).hasSize(1);
    assertThat(scopeCount("orders", "collect-all", "failed")).isEqualTo(1);
    assertThat(registry.get(WeftMetrics.TASK_DURATION).tag("task", "ok").timer().getId().getTags())
        .extracting(t -> t.getKey() + "=" + t.getValue())
        .containsExactlyInAnyOrder("app=test", "scope=orders", "task=ok", "outcome=succeeded");
  }

  @Test
  void tasks_cancelledRunningAndPending_countedAsCancelled() {
    CountDownLatch never = new CountDownLatch(1);
    assertThatThrownBy(
            () -> {
              try (var scope = Scope.open("cancel", c -> c.withMaxConcurrency(2))) {
                scope.fork(
                    "running",
                    () -> {
                      never.await();
                      return 0;
                    });
                scope.fork(
                    "boom",
                    () -> {
                      throw new IOException("x");
                    });
                scope.fork("pending", () -> 1); // no slot until boom ends; then the scope stops
                scope.join();
              }
            })
        .isInstanceOf(TaskFailedException.class);
    assertThat(taskCount("cancel", "running", "cancelled")).isEqualTo(1);
    assertThat(taskCount("cancel", "boom", "failed")).isEqualTo(1);
    // "pending" got boom's slot, or was cancelled before: either way it was counted once
    assertThat(
            registry.find(WeftMetrics.TASK_DURATION).tag("task", "pending").timers().stream()
                .mapToLong(Timer::count)
                .sum())
        .isEqualTo(1);
    assertThat(scopeCount("cancel", "fail-fast", "failed")).isEqualTo(1);
  }

  @Test
  void scopes_everyOutcome_byScopePolicyAndOutcome() throws Exception {
    try (var scope = Scope.open("ok", Policy.quorum(1))) {
      scope.fork("a", () -> 1);
      scope.join();
    }
    try (var scope = Scope.open("late", c -> c.withTimeout(Duration.ofMillis(20)))) {
      CountDownLatch never = new CountDownLatch(1);
      scope.fork(
          "wait",
          () -> {
            never.await();
            return 0;
          });
      assertThatThrownBy(scope::join).isInstanceOf(DeadlineExceededException.class);
    }
    try (var scope = Scope.open("stopped")) {
      scope.cancel();
      assertThatThrownBy(scope::join).isInstanceOf(CancellationException.class);
    }
    try (var scope = Scope.open("abandoned")) {
      scope.fork("a", () -> 1);
    } catch (IllegalStateException expected) {
      // closing a scope with tasks but no join() is reported; the scope is closed all the same
    }
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
    try (var scope = Scope.open("mine", custom)) {
      scope.join();
    }

    assertThat(scopeCount("ok", "quorum(1)", "succeeded")).isEqualTo(1);
    assertThat(scopeCount("late", "fail-fast", "deadline_exceeded")).isEqualTo(1);
    assertThat(scopeCount("stopped", "fail-fast", "cancelled")).isEqualTo(1);
    assertThat(scopeCount("abandoned", "fail-fast", "not_joined")).isEqualTo(1);
    assertThat(scopeCount("mine", "custom", "succeeded")).isEqualTo(1);
    assertThat(registry.get(WeftMetrics.SCOPES_OPENED).tag("scope", "ok").counter().count())
        .isEqualTo(1);
    LongTaskTimer active =
        registry.get(WeftMetrics.SCOPES_ACTIVE).tag("scope", "ok").longTaskTimer();
    assertThat(active.activeTasks()).isZero();
  }

  @Test
  void activeScopes_countedWhileOpen() throws Exception {
    try (var scope = Scope.open("open-now")) {
      LongTaskTimer active =
          registry.get(WeftMetrics.SCOPES_ACTIVE).tag("scope", "open-now").longTaskTimer();
      assertThat(active.activeTasks()).isEqualTo(1);
      scope.join();
    }
    assertThat(
            registry
                .get(WeftMetrics.SCOPES_ACTIVE)
                .tag("scope", "open-now")
                .longTaskTimer()
                .activeTasks())
        .isZero();
  }

  @Test
  void generatedNames_oneSeries_taskN() throws Exception {
    try (var scope = Scope.open("fan-out")) {
      for (int i = 0; i < 5; i++) {
        scope.fork(() -> 1);
      }
      scope.fork("named", () -> 2);
      scope.join();
    }
    assertThat(taskCount("fan-out", "task-N", "succeeded")).isEqualTo(5);
    assertThat(taskCount("fan-out", "named", "succeeded")).isEqualTo(1);
    assertThat(
            registry.find(WeftMetrics.TASK_DURATION).tag("scope", "fan-out").timers().stream()
                .map(t -> t.getId().getTag("task"))
                .distinct())
        .containsExactlyInAnyOrder("task-N", "named");
  }

  @Test
  void queueWait_dependencyAndSlot_measured() throws Exception {
    long spin = TimeUnit.MILLISECONDS.toNanos(30);
    CountDownLatch allForked = new CountDownLatch(1);
    try (var scope = Scope.open("waits", c -> c.withMaxConcurrency(1))) {
      Task<Integer> first =
          scope.fork(
              "first",
              () -> {
                allForked.await(); // the others' waits begin before first's spin
                return spinFor(spin);
              });
      scope.fork("queued", () -> 2); // ready at once, but the one slot is first's
      scope.fork("after", first, v -> v + 1);
      allForked.countDown();
      scope.join();
    }
    assertThat(queueWait("waits", "after").totalTime(TimeUnit.NANOSECONDS))
        .isGreaterThanOrEqualTo(spin);
    Timer slot = registry.get(WeftMetrics.TASK_SLOT_WAIT).tag("task", "queued").timer();
    assertThat(slot.count()).isEqualTo(1);
    assertThat(slot.totalTime(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(spin);
    assertThat(taskTimer("waits", "first", "succeeded").totalTime(TimeUnit.NANOSECONDS))
        .isGreaterThanOrEqualTo(spin);
  }

  @Test
  void noLimit_noSlotWaitSeries() throws Exception {
    try (var scope = Scope.open("unlimited")) {
      scope.fork("a", () -> 1);
      scope.join();
    }
    assertThat(registry.find(WeftMetrics.TASK_SLOT_WAIT).meters()).isEmpty();
  }

  @Test
  void lockOrder_violationsByPolicy_andDeadlocks() throws Exception {
    assertThat(violations("throw")).isZero(); // registered at bind, before any report
    assertThat(violations("warn")).isZero();
    assertThat(deadlocks()).isZero();

    LockOrderChecker strict = LockOrderChecker.create(LockOrderPolicy.THROW);
    Lock a = strict.newLock("a");
    Lock b = strict.newLock("b");
    nest(a, b);
    assertThatThrownBy(() -> nest(b, a)).isInstanceOf(LockOrderViolationException.class);
    assertThatThrownBy(() -> nest(b, a)).isInstanceOf(LockOrderViolationException.class);
    assertThat(violations("throw")).isEqualTo(2);

    LockOrderChecker lenient = LockOrderChecker.create(LockOrderPolicy.WARN);
    Lock x = lenient.newLock("x");
    Lock y = lenient.newLock("y");
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    CyclicBarrier bothHold = new CyclicBarrier(2);
    Thread t1 = Thread.ofVirtual().start(() -> crossed(x, y, bothHold, thrown));
    Thread t2 = Thread.ofVirtual().start(() -> crossed(y, x, bothHold, thrown));
    assertThat(t1.join(Duration.ofSeconds(10))).isTrue();
    assertThat(t2.join(Duration.ofSeconds(10))).isTrue();
    assertThat(thrown).singleElement().isInstanceOf(DeadlockException.class);
    assertThat(violations("warn")).isEqualTo(1); // the order y -> x, once
    assertThat(deadlocks()).isEqualTo(1);
  }

  @Test
  void close_scopesOpenedAfterwardsNotMeasured() throws Exception {
    metrics.close();
    try (var scope = Scope.open("after-close")) {
      scope.fork("a", () -> 1);
      scope.join();
    }
    assertThat(registry.find(WeftMetrics.SCOPES_OPENED).tag("scope", "after-close").meters())
        .isEmpty();
    assertThatThrownBy(() -> metrics.bindTo(registry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("WeftMetrics is closed: create a new one to bind again");
  }

  @Test
  void twoRegistries_bothMeasured() throws Exception {
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    metrics.bindTo(second);
    try (var scope = Scope.open("both")) {
      scope.fork("a", () -> 1);
      scope.join();
    }
    for (SimpleMeterRegistry r : List.of(registry, second)) {
      assertThat(
              r.get(WeftMetrics.TASK_DURATION)
                  .tags("scope", "both", "task", "a", "outcome", "succeeded")
                  .timer()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void manyScopeNames_cappedAsOther() throws Exception {
    for (int i = 0; i < WeftMetrics.MAX_NAMES + 5; i++) {
      try (var scope = Scope.open("s" + i)) {
        scope.join();
      }
    }
    Collection<Meter> opened = registry.find(WeftMetrics.SCOPES_OPENED).meters();
    assertThat(opened).hasSize(WeftMetrics.MAX_NAMES + 1);
    assertThat(registry.get(WeftMetrics.SCOPES_OPENED).tag("scope", "other").counter().count())
        .isEqualTo(5);
  }

  @Test
  void badInput_namesTheArgument() {
    assertThatThrownBy(() -> metrics.bindTo(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("registry must not be null: pass the application's registry");
    assertThatThrownBy(() -> new WeftMetrics(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tags must not be null: pass Tags.empty() for none");
  }

  // --- helpers ---

  private long taskCount(String scope, String task, String outcome) {
    return taskTimer(scope, task, outcome).count();
  }

  private Timer taskTimer(String scope, String task, String outcome) {
    return registry
        .get(WeftMetrics.TASK_DURATION)
        .tags("scope", scope, "task", task, "outcome", outcome)
        .timer();
  }

  private Timer queueWait(String scope, String task) {
    return registry.get(WeftMetrics.TASK_QUEUE_WAIT).tags("scope", scope, "task", task).timer();
  }

  private long scopeCount(String scope, String policy, String outcome) {
    return registry
        .get(WeftMetrics.SCOPE_DURATION)
        .tags("scope", scope, "policy", policy, "outcome", outcome)
        .timer()
        .count();
  }

  private double violations(String policy) {
    Counter c = registry.get(WeftMetrics.LOCK_ORDER_VIOLATIONS).tag("policy", policy).counter();
    return c.count();
  }

  private double deadlocks() {
    return registry.get(WeftMetrics.DEADLOCKS_FOUND).counter().count();
  }

  /** Runs for {@code nanos} (a measured duration, not a wait for another thread). */
  static int spinFor(long nanos) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < nanos) {
      Thread.onSpinWait();
    }
    return 1;
  }

  private static void nest(Lock outer, Lock inner) {
    outer.lock();
    try {
      inner.lock();
      inner.unlock();
    } finally {
      outer.unlock();
    }
  }

  private static void crossed(
      Lock first, Lock second, CyclicBarrier bothHold, List<Throwable> out) {
    try {
      first.lock();
      try {
        bothHold.await(10, TimeUnit.SECONDS);
        second.lock();
        second.unlock();
      } finally {
        first.unlock();
      }
    } catch (Exception e) {
      out.add(e);
    }
  }
}
