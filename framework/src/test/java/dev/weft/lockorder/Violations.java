package dev.weft.lockorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.lockorder.Threads.ThrowingRunnable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Lock;

/**
 * Asserts lock-order reports, as Guava's {@code CycleDetectingLockFactoryTest} checks its messages:
 * a report is a {@link LockOrderViolationException} whose {@link
 * LockOrderViolationException#cycle() cycle()} is exactly the expected lock classes and whose
 * message starts with the cycle's edges on a line of their own ({@code "b -> a, a -> b\n"} for the
 * cycle {@code [b, a]}). Each helper returns the report for the checks particular to a test. Public
 * for {@code issues/}.
 */
public final class Violations {
  private Violations() {}

  /**
   * Runs {@code body} on the current thread; it must throw the report of {@code cycle}.
   *
   * @param cycle the lock classes of the cycle, starting with the held one
   */
  public static LockOrderViolationException assertViolation(
      ThrowingRunnable body, String... cycle) {
    Throwable thrown = catchThrowable(body::run);
    assertThat(thrown)
        .as("report of the cycle %s", List.of(cycle))
        .isInstanceOf(LockOrderViolationException.class);
    return assertViolation(thrown, cycle);
  }

  /**
   * On a new thread of {@code kind}: holds {@code held}, then takes {@code wanted}, which must
   * throw the report of {@code cycle}; releases {@code held}.
   */
  public static LockOrderViolationException assertViolation(
      ThreadFactory kind, Lock held, Lock wanted, String... cycle) throws Exception {
    return Threads.call(
        kind,
        () -> {
          held.lock();
          try {
            Throwable thrown = catchThrowable(wanted::lock);
            assertThat(thrown)
                .as("report for taking %s while holding %s", wanted, held)
                .isInstanceOf(LockOrderViolationException.class);
            return assertViolation(thrown, cycle);
          } finally {
            held.unlock();
          }
        });
  }

  /** Checks that {@code reported} (thrown, or given to a report listener) reports {@code cycle}. */
  public static LockOrderViolationException assertViolation(Throwable reported, String... cycle) {
    assertThat(reported).isInstanceOf(LockOrderViolationException.class);
    LockOrderViolationException e = (LockOrderViolationException) reported;
    assertThat(e.cycle()).containsExactly(cycle);
    assertThat(e.getMessage()).startsWith(edges(cycle) + "\n");
    return e;
  }

  /**
   * The first line of the report of {@code cycle}: each class to the next, the last back to the
   * first ({@code "c -> a, a -> b, b -> c"}; {@code "x -> x"} for one class).
   */
  public static String edges(String... cycle) {
    List<String> edges = new ArrayList<>();
    for (int i = 0; i < cycle.length; i++) {
      edges.add(cycle[i] + " -> " + cycle[(i + 1) % cycle.length]);
    }
    return String.join(", ", edges);
  }
}
