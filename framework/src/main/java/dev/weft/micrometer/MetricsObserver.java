package dev.weft.micrometer;

import dev.weft.internal.ObservedScope;
import dev.weft.internal.ObservedTask;
import dev.weft.internal.ScopeObserver;
import dev.weft.internal.TaskOutcome;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The observer behind {@link WeftMetrics} for one registry. Durations come from the events' shared
 * clock reads ({@code System.nanoTime()}), not from the registry's clock; only the long task timer
 * of active scopes reads the registry's clock.
 */
final class MetricsObserver implements ScopeObserver {
  private static final long NOT_STARTED = Long.MIN_VALUE;

  private final ConcurrentHashMap<String, ScopeMeters> scopes = new ConcurrentHashMap<>();
  private final Function<String, ScopeMeters> newScope;

  MetricsObserver(MeterRegistry registry, Tags tags) {
    this.newScope = s -> new ScopeMeters(registry, tags, s);
  }

  /** One open scope: written by its owner only. */
  private static final class ScopeRun {
    final ScopeMeters meters;
    final String policy;
    final long opened;
    final LongTaskTimer.Sample active;
    @Nullable String outcome; // set at join; null: not joined

    ScopeRun(ScopeMeters meters, String policy, long opened) {
      this.meters = meters;
      this.policy = policy;
      this.opened = opened;
      this.active = meters.active.start();
    }
  }

  /** One task. */
  private static final class TaskRun {
    final TaskMeters meters;
    final long forked;
    // slotWaitBegun: written by the thread that made the task ready, read by the one that gives
    // it a slot after taking it from the ready queue (the queue orders the two).
    long slotWaitBegun;
    // started: written by the task's thread at start, read by the thread that ends the task,
    // which can race with the start (a cancel): then the task counts as not started.
    volatile long started = NOT_STARTED;

    TaskRun(TaskMeters meters, long forked) {
      this.meters = meters;
      this.forked = forked;
    }
  }

  @Override
  public Object scopeOpened(ObservedScope scope, long nanoTime) {
    String name = scope.name();
    ScopeMeters m = scopes.get(name);
    if (m == null) {
      m = ScopeMeters.capped(scopes, name, newScope, "scope names");
    }
    m.opened.increment();
    return new ScopeRun(m, TagValues.policy(scope), nanoTime);
  }

  @Override
  public @Nullable Object taskForked(
      ObservedTask task, @Nullable Object scopeState, long nanoTime) {
    if (!(scopeState instanceof ScopeRun s)) {
      return null;
    }
    return new TaskRun(s.meters.task(TagValues.task(task)), nanoTime);
  }

  @Override
  public void slotWaitBegun(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskRun t) {
      t.slotWaitBegun = nanoTime;
    }
  }

  @Override
  public void slotWaitEnded(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskRun t) {
      t.meters.slotWait().record(nanoTime - t.slotWaitBegun, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void taskStarted(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskRun t) {
      t.started = nanoTime;
      t.meters.queueWait.record(nanoTime - t.forked, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void taskEnded(
      ObservedTask task,
      @Nullable Object taskState,
      TaskOutcome outcome,
      @Nullable Throwable failure,
      long nanoTime) {
    if (taskState instanceof TaskRun t) {
      long started = t.started;
      long took = started == NOT_STARTED ? 0 : Math.max(0, nanoTime - started);
      t.meters.duration(outcome).record(took, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void scopeJoined(
      ObservedScope scope, @Nullable Object scopeState, @Nullable Throwable thrown, long nanoTime) {
    if (scopeState instanceof ScopeRun s) {
      s.outcome = TagValues.joined(thrown);
    }
  }

  @Override
  public void scopeClosed(ObservedScope scope, @Nullable Object scopeState, long nanoTime) {
    if (scopeState instanceof ScopeRun s) {
      s.active.stop();
      String outcome = s.outcome != null ? s.outcome : TagValues.NOT_JOINED;
      s.meters.duration(s.policy, outcome).record(nanoTime - s.opened, TimeUnit.NANOSECONDS);
    }
  }
}
