package dev.weft.micrometer;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The context of a task's observation ({@code weft.task}): what a {@link TaskObservationConvention}
 * or an {@code ObservationHandler} may read about the task. Its parent observation is always its
 * scope's observation.
 *
 * <p>Its outcome is written by the thread that ended the task, before the observation is stopped; a
 * handler's {@code onStop} sees it.
 */
public final class TaskObservationContext extends Observation.Context {
  private final String scopeName;
  private final String taskName;
  private final boolean nameGenerated;
  // outcome: written by the thread that ended the task, before the atomic step after which the
  // observation is stopped (TaskObservation), read by the handlers at and after stop.
  private volatile @Nullable String outcome;
  private volatile boolean started;

  TaskObservationContext(String scopeName, String taskName, boolean nameGenerated) {
    this.scopeName = scopeName;
    this.taskName = taskName;
    this.nameGenerated = nameGenerated;
  }

  /** The name of the task's scope. */
  public String scopeName() {
    return scopeName;
  }

  /** The task's name ({@code task-3} for a name that {@code fork(body)} generated). */
  public String taskName() {
    return taskName;
  }

  /**
   * Whether {@code fork(body)} generated the name; such names differ per task, so the default
   * convention reports them all as {@code task-N}.
   */
  public boolean nameGenerated() {
    return nameGenerated;
  }

  /**
   * How the task ended: {@code succeeded}, {@code failed}, {@code timed_out}, {@code recovered} (a
   * fallback replaced its failure), {@code cancelled} or {@code skipped} (a dependency did not
   * succeed); null until it ended. For {@code failed} and {@code timed_out} the failure is the
   * context's {@link #getError() error}.
   */
  public @Nullable String outcome() {
    return outcome;
  }

  /**
   * Whether the task's body ran. A task that ended before its body began (skipped, or cancelled
   * before it started) is observed all the same, by an observation that starts and stops at its
   * end.
   */
  public boolean started() {
    return started;
  }

  void outcome(String outcome) {
    this.outcome = outcome;
  }

  void started(boolean started) {
    this.started = started;
  }
}
