package dev.weft.micrometer;

import dev.weft.internal.TaskOutcome;
import io.micrometer.common.KeyValues;
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
  // keys: the default convention's; a scope's own for generated names, else made at first use (by
  // the task's thread at start, or by the ending thread; an object of final fields, so a racing
  // read sees it whole, and at worst makes it again).
  private @Nullable TaskKeyValues keys;
  // outcome: written by the thread that ended the task, before the atomic step after which the
  // observation is stopped (TaskObservation), read by the handlers at and after stop.
  private volatile @Nullable TaskOutcome outcome;
  private volatile boolean started;

  TaskObservationContext(
      String scopeName, String taskName, boolean nameGenerated, @Nullable TaskKeyValues keys) {
    this.scopeName = scopeName;
    this.taskName = taskName;
    this.nameGenerated = nameGenerated;
    this.keys = keys;
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
    TaskOutcome o = outcome;
    return o == null ? null : o.tag();
  }

  /**
   * Whether the task's body ran. A task that ended before its body began (skipped, or cancelled
   * before it started) is observed all the same, by an observation that starts and stops at its
   * end.
   */
  public boolean started() {
    return started;
  }

  void outcome(TaskOutcome outcome) {
    this.outcome = outcome;
  }

  /** The default convention's key values for this task as it is now (ended or not). */
  KeyValues defaultKeyValues() {
    TaskKeyValues k = keys;
    if (k == null) {
      k = new TaskKeyValues(scopeName, taskName, false);
      keys = k;
    }
    return k.of(outcome);
  }

  void started(boolean started) {
    this.started = started;
  }
}
