package dev.weft.micrometer;

import dev.weft.internal.ObservedScope;
import dev.weft.internal.ObservedTask;
import dev.weft.internal.ScopeObserver;
import dev.weft.internal.TaskOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The observer behind {@link WeftObservations} for one registry: a {@link ScopeObservation} per
 * scope, a {@link TaskObservation} per task (its parent set explicitly, never from the task
 * thread's current observation).
 */
final class ObservationObserver implements ScopeObserver {
  private static final DefaultScopeObservationConvention DEFAULT_SCOPE =
      new DefaultScopeObservationConvention();
  private static final DefaultTaskObservationConvention DEFAULT_TASK =
      new DefaultTaskObservationConvention();

  private final ObservationRegistry registry;
  private final @Nullable ScopeObservationConvention scopeConvention;
  private final @Nullable TaskObservationConvention taskConvention;
  private final boolean tasks; // false: scopes only, nothing per task

  ObservationObserver(
      ObservationRegistry registry,
      @Nullable ScopeObservationConvention scopeConvention,
      @Nullable TaskObservationConvention taskConvention,
      boolean tasks) {
    this.registry = registry;
    this.scopeConvention = scopeConvention;
    this.taskConvention = taskConvention;
    this.tasks = tasks;
  }

  @Override
  public @Nullable Object scopeOpened(ObservedScope scope, long nanoTime) {
    if (registry.isNoop()) {
      return null;
    }
    ScopeObservationContext c = new ScopeObservationContext(scope.name(), TagValues.policy(scope));
    // Created in the owner: its parent is the observation current here (a request's, say).
    Observation o = Observation.createNotStarted(scopeConvention, DEFAULT_SCOPE, () -> c, registry);
    return new ScopeObservation(c, o);
  }

  @Override
  public @Nullable Object taskForked(
      ObservedTask task, @Nullable Object scopeState, long nanoTime) {
    if (!tasks || !(scopeState instanceof ScopeObservation s)) {
      return null;
    }
    boolean generated = task.nameGenerated();
    TaskObservationContext c =
        new TaskObservationContext(
            s.context.scopeName(),
            task.name(),
            generated,
            generated ? s.generatedTaskKeys() : null);
    return new TaskObservation(this, s, c);
  }

  /**
   * Yes for an observed task of an observed scope: {@link TaskObservation#bodyStarting} makes the
   * task's observation current, or else its scope's. Not when the scope's observation was refused
   * (a predicate, no handler): then the body keeps the observation current at fork.
   */
  @Override
  public boolean setsCurrentObservation(@Nullable Object taskState) {
    return taskState instanceof TaskObservation t && !t.scope.observation.isNoop();
  }

  @Override
  public void taskStarted(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskObservation t) {
      t.bodyStarting();
    }
  }

  @Override
  public void bodyEnded(ObservedTask task, @Nullable Object taskState, long nanoTime) {
    if (taskState instanceof TaskObservation t) {
      t.bodyEnded();
    }
  }

  @Override
  public void taskEnded(
      ObservedTask task,
      @Nullable Object taskState,
      TaskOutcome outcome,
      @Nullable Throwable failure,
      long nanoTime) {
    if (taskState instanceof TaskObservation t) {
      t.ended(outcome, failure);
    }
  }

  @Override
  public void scopeJoined(
      ObservedScope scope, @Nullable Object scopeState, @Nullable Throwable thrown, long nanoTime) {
    if (scopeState instanceof ScopeObservation s) {
      s.joined(thrown);
    }
  }

  @Override
  public void scopeClosed(ObservedScope scope, @Nullable Object scopeState, long nanoTime) {
    if (scopeState instanceof ScopeObservation s) {
      s.closed();
    }
  }

  /**
   * A new, unstarted observation of {@code t}, its parent {@code t}'s scope's observation (set on
   * the context before the registry's predicates see it: the task's thread may have no current
   * observation to take it from).
   */
  Observation newTask(TaskObservation t) {
    TaskObservationContext c = t.context;
    Observation parent = t.scope.observation;
    return Observation.createNotStarted(
        taskConvention,
        DEFAULT_TASK,
        () -> {
          c.setParentObservation(parent);
          return c;
        },
        registry);
  }

  /**
   * After a handler threw from {@code onScopeOpened} of {@code o} in this thread: Micrometer made
   * the new scope current before it called the handlers, and returned none to close. Closes it, so
   * the handlers called before the one that threw see it closed; does nothing when the thread's
   * current scope is not {@code o}'s (the handler threw from {@code onStart}).
   */
  void closeScopeLeftOpen(Observation o, Throwable failure) {
    Observation.Scope current = registry.getCurrentObservationScope();
    if (current != null && current.getCurrentObservation() == o) {
      try {
        current.close();
      } catch (RuntimeException | Error again) {
        failure.addSuppressed(again);
      }
    }
  }
}
