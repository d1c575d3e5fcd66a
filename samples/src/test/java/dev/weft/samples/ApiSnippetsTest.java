package dev.weft.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.lockorder.DeadlockException;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.LockOrderViolationException;
import dev.weft.micrometer.WeftMetrics;
import dev.weft.scope.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The javadoc examples of ApiSnippets do what their comments say. */
@Timeout(30)
class ApiSnippetsTest {

  @Test
  void lockOrder_secondOrderThrowsNamingTheCycle() throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    // audit stays held by the thread that took it: the thread ends with it.
    Thread thread = Thread.ofPlatform().start(() -> catching(ApiSnippets::lockOrder, thrown));
    thread.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(thrown.get())
        .isInstanceOf(LockOrderViolationException.class)
        .hasMessageStartingWith("audit -> accounts, accounts -> audit");
  }

  @Test
  void deadlockWatchdog_deadlockWhileServerRuns_isReported() {
    LockOrderChecker checker =
        LockOrderChecker.builder().policy(LockOrderPolicy.WARN).breakDeadlocks(false).build();
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    List<DeadlockException> reports = new CopyOnWriteArrayList<>();
    CountDownLatch reported = new CountDownLatch(1);
    Consumer<RuntimeException> listener =
        e -> {
          if (e instanceof DeadlockException d) {
            reports.add(d);
            reported.countDown();
          }
        };
    LockOrderChecker.addReportListener(listener);
    try {
      ApiSnippets.watchdog(Duration.ofMillis(10), () -> deadlockUntilReported(a, b, reported));
    } finally {
      LockOrderChecker.removeReportListener(listener);
    }

    assertThat(reports).isNotEmpty();
    assertThat(reports.get(0).report().locks()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void metrics_scopesOpenedWhileBound_areCountedAndLaterOnesAreNot() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    ApiSnippets.metrics(registry, () -> openScope("measured"), () -> openScope("after"));

    assertThat(opened(registry, "measured")).isEqualTo(1.0);
    assertThat(registry.find(WeftMetrics.SCOPES_OPENED).tag("scope", "after").counter()).isNull();
  }

  @Test
  void observations_scopeOpenedWhileInstalled_isObservedWithItsTask() {
    List<String> started = new CopyOnWriteArrayList<>();
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<Observation.Context>() {
              @Override
              public void onStart(Observation.Context context) {
                started.add(context.getName());
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });

    ApiSnippets.observations(registry, () -> openScope("observed"));
    openScope("not-observed");

    assertThat(started).containsExactlyInAnyOrder("weft.scope", "weft.task");
  }

  private static double opened(SimpleMeterRegistry registry, String scope) {
    Counter counter = registry.find(WeftMetrics.SCOPES_OPENED).tag("scope", scope).counter();
    assertThat(counter).as("weft.scopes.opened{scope=%s}", scope).isNotNull();
    return counter.count();
  }

  private static void openScope(String name) {
    try (var scope = Scope.open(name)) {
      scope.fork("work", () -> name);
      scope.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Two threads take a and b in opposite orders; released by interrupt once it is reported. */
  private static void deadlockUntilReported(Lock a, Lock b, CountDownLatch reported) {
    CyclicBarrier bothHoldOne = new CyclicBarrier(2);
    Thread first = Thread.ofPlatform().start(() -> takeBoth(a, b, bothHoldOne));
    Thread second = Thread.ofPlatform().start(() -> takeBoth(b, a, bothHoldOne));
    try {
      assertThat(reported.await(10, TimeUnit.SECONDS)).as("deadlock reported").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      first.interrupt();
      second.interrupt();
      joinQuietly(first);
      joinQuietly(second);
    }
  }

  private static void takeBoth(Lock held, Lock wanted, CyclicBarrier bothHoldOne) {
    held.lock();
    try {
      bothHoldOne.await(10, TimeUnit.SECONDS);
      wanted.lockInterruptibly();
      wanted.unlock();
    } catch (Exception e) {
      // interrupted once the deadlock was reported: the lock is given up
    } finally {
      held.unlock();
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void catching(Runnable action, AtomicReference<Throwable> thrown) {
    try {
      action.run();
    } catch (Throwable t) {
      thrown.set(t);
    }
  }
}
