package dev.weft.stress.scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.ScopeConfig;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import dev.weft.stress.shared.CountingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model checking of the scope/task state machine with Lincheck: each test runs a small scope many
 * times while Lincheck chooses the thread switches (at every shared read, write, CAS, park and
 * unpark), so the rare interleavings jcstress hits by luck are explored on purpose.
 *
 * <p>Tasks run on platform threads ({@link ScopeConfig#withThreadFactory}): Lincheck does not
 * control virtual threads. No test uses a deadline: the shared timer thread is outside the model.
 * Lincheck assumes sequential consistency, so these tests check the logic of the state machine; the
 * jcstress tests in {@code src/main} check it under the Java memory model.
 *
 * <p>Assertions inside the concurrent block use JUnit's static {@code Assertions}: Lincheck's
 * instrumentation calls {@code equals} on objects it meets, which AssertJ's assert objects refuse.
 */
@Timeout(90) // each test takes about 10 s alone; leave room for a loaded CI machine
class ScopeStateMachineLincheckTest {
  /**
   * Schedules explored per test: 200 keeps the class under about a minute on 2 cores. Explore
   * deeper locally with {@code -Dweft.lincheck.invocations=5000}.
   */
  private static final int INVOCATIONS = Integer.getInteger("weft.lincheck.invocations", 200);

  private static final UnaryOperator<ScopeConfig> PLATFORM = c -> c.withThreadFactory(Thread::new);

  /** cancel() from another thread racing with a task's completion. */
  @Test
  void cancel_racesCompletion_oneFinalStateAndNoDeliveryAfterCancel() {
    Lincheck.runConcurrentTest(
        INVOCATIONS,
        () -> {
          CountingPolicy<Void> policy = new CountingPolicy<>(Policy.collectAll());
          AtomicReference<Integer> delivered = new AtomicReference<>();
          Task<Integer> a;
          try (Scope<Void> s = Scope.open("lc-cancel", policy, PLATFORM)) {
            a = s.fork("a", () -> 42);
            s.fork(
                "b",
                a,
                v -> {
                  delivered.set(v);
                  return v;
                });
            Thread canceller = new Thread(s::cancel);
            canceller.start();
            try {
              s.join();
            } catch (CancellationException expected) {
              // the cancel came before every task ended
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
            join(canceller);
            Task.State atJoin = a.state();
            assertTrue(atJoin.isFinal(), "a is final after join: " + atJoin);
            assertEquals(1, policy.endings(a), "times the policy was told that a ended");
            if (atJoin == Task.State.CANCELLED) {
              assertNull(delivered.get(), "value b received from a cancelled a");
            } else {
              assertEquals(42, a.get());
            }
          }
          assertEquals(1, policy.endings(a), "times the policy was told that a ended, after close");
        });
  }

  /** Two successes racing under first-success: one winner, and its value is returned. */
  @Test
  void firstSuccess_twoSuccessesRace_exactlyOneWinnerWhoseValueIsReturned() {
    Lincheck.runConcurrentTest(
        INVOCATIONS,
        () -> {
          CountingPolicy<Integer> policy = new CountingPolicy<>(Policy.firstSuccess());
          try (Scope<Integer> s = Scope.open("lc-first", policy, PLATFORM)) {
            s.fork("a", () -> 1);
            s.fork("b", () -> 2);
            Integer value = joinUnchecked(s);
            List<Task<?>> winners = policy.stoppedBy();
            assertEquals(1, winners.size(), "winners: " + winners);
            assertEquals(Task.State.SUCCEEDED, winners.get(0).state());
            assertEquals(winners.get(0).get(), value, "join returned the winner's value");
          }
        });
  }

  /** quorum(2) of three: the list is exactly the successes, and at least two. */
  @Test
  void quorum_thirdTaskRacesCancellation_countsOnlySucceededTasks() {
    Lincheck.runConcurrentTest(
        INVOCATIONS,
        () -> {
          try (Scope<List<Integer>> s =
              Scope.open("lc-quorum", Policy.<Integer>quorum(2), PLATFORM)) {
            List<Task<Integer>> tasks =
                List.of(s.fork("a", () -> 1), s.fork("b", () -> 2), s.fork("c", () -> 3));
            List<Integer> got = new ArrayList<>(joinUnchecked(s));
            List<Integer> succeeded = new ArrayList<>();
            for (Task<Integer> t : tasks) {
              if (t.state() == Task.State.SUCCEEDED) {
                succeeded.add(t.get());
              }
            }
            got.sort(null);
            assertTrue(got.size() >= 2, "at least k values: " + got);
            assertEquals(succeeded, got, "the values of exactly the tasks that succeeded");
          }
        });
  }

  /** A failure racing with a success under fail-fast is always reported. */
  @Test
  void failFast_failureRacesSuccess_joinReportsTheFailure() {
    Lincheck.runConcurrentTest(
        INVOCATIONS,
        () -> {
          try (Scope<Void> s = Scope.open("lc-fail", PLATFORM)) {
            s.fork("ok", () -> 1);
            s.fork(
                "boom",
                () -> {
                  throw new IllegalStateException("boom");
                });
            TaskFailedException e = assertThrows(TaskFailedException.class, s::join);
            assertEquals("boom", e.taskName());
          }
        });
  }

  /** Slots freed by task threads while dependents become ready: never two bodies at once. */
  @Test
  void maxConcurrency_dependentsBecomeReadyInTaskThreads_neverExceedsLimit() {
    Lincheck.runConcurrentTest(
        INVOCATIONS,
        () -> {
          AtomicInteger running = new AtomicInteger();
          AtomicInteger max = new AtomicInteger();
          try (Scope<Void> s =
              Scope.open(
                  "lc-limit", Policy.collectAll(), c -> PLATFORM.apply(c).withMaxConcurrency(1))) {
            Task<Integer> a = s.fork("a", () -> counted(running, max, 1));
            s.fork("b", () -> counted(running, max, 2));
            s.fork("c", a, v -> counted(running, max, v + 2));
            joinUnchecked(s);
            for (Task<?> t : s.tasks()) {
              assertEquals(Task.State.SUCCEEDED, t.state(), t.name());
            }
          }
          assertEquals(1, max.get(), "bodies at once");
        });
  }

  /** A dependent forked while its dependency completes sees the final value. */
  @Test
  void dependency_forkRacesDependencyCompletion_dependentSeesFinalValue() {
    Lincheck.runConcurrentTest(
        INVOCATIONS,
        () -> {
          try (Scope<Void> s = Scope.open("lc-dep", Policy.collectAll(), PLATFORM)) {
            Task<Integer> a = s.fork("a", () -> 42);
            Task<String> b = s.fork("b", a, v -> v + " " + a.state());
            joinUnchecked(s);
            assertEquals("42 SUCCEEDED", b.get());
          }
        });
  }

  // --- helpers ---

  private static int counted(AtomicInteger running, AtomicInteger max, int value) {
    max.accumulateAndGet(running.incrementAndGet(), Math::max);
    running.decrementAndGet();
    return value;
  }

  private static <R> R joinUnchecked(Scope<R> s) {
    try {
      return s.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
