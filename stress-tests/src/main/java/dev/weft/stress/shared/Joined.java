package dev.weft.stress.shared;

import dev.weft.scope.Scope;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@link Scope#join()} did, with a watchdog: a join that has not returned after {@link
 * #BOUND_SECONDS} is cancelled from the watchdog thread and reported as {@link #hung()}, so a
 * deadlock in the scope becomes an outcome of the test instead of hanging jcstress.
 *
 * @param value what join returned (null if it threw)
 * @param failure what join threw (null if it returned)
 * @param hung whether the watchdog had to cancel the scope
 */
public record Joined<R>(R value, Throwable failure, boolean hung) {
  /** How long a join may take before the watchdog cancels it. */
  public static final long BOUND_SECONDS = 10;

  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  /** Joins {@code scope} (the caller must own it) under the watchdog. */
  public static <R> Joined<R> join(Scope<R> scope) {
    AtomicBoolean fired = new AtomicBoolean();
    ScheduledFuture<?> dog =
        WATCHDOG.schedule(
            () -> {
              fired.set(true);
              scope.cancel();
            },
            BOUND_SECONDS,
            TimeUnit.SECONDS);
    try {
      R v = scope.join();
      return new Joined<>(v, null, fired.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Joined<>(null, e, fired.get());
    } catch (Throwable e) {
      return new Joined<>(null, e, fired.get());
    } finally {
      dog.cancel(false);
    }
  }

  /** Whether join threw a {@link CancellationException} (and the watchdog did not cause it). */
  public boolean cancelled() {
    return !hung && failure instanceof CancellationException;
  }

  /** Whether join returned normally. */
  public boolean returned() {
    return failure == null && !hung;
  }

  /** A short description of a failure, for outcomes that the test does not expect. */
  public String describe() {
    if (hung) {
      return "hung";
    }
    return failure == null ? "returned " + value : "threw " + failure.getClass().getSimpleName();
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("stress-watchdog").unstarted(r));
    e.setRemoveOnCancelPolicy(true);
    return e;
  }
}
