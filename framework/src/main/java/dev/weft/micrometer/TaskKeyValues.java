package dev.weft.micrometer;

import dev.weft.internal.TaskOutcome;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The low-cardinality key values of {@link DefaultTaskObservationConvention} for one scope name and
 * task name, made once instead of at every start and stop of an observation. A scope shares one
 * among all its tasks whose names {@code fork(body)} generated (their keys are alike), which also
 * keeps those of each outcome; a named task makes its own at its first use.
 */
final class TaskKeyValues {
  private static final TaskOutcome[] OUTCOMES = TaskOutcome.values();
  private static final KeyValue[] OUTCOME_KEYS = new KeyValue[OUTCOMES.length];

  static {
    for (TaskOutcome o : OUTCOMES) {
      OUTCOME_KEYS[o.ordinal()] = KeyValue.of(DefaultTaskObservationConvention.OUTCOME, o.tag());
    }
  }

  private final KeyValues running;
  // ended: null for one task's keys (each outcome is asked for once); else set on first use by
  // any thread, where a race makes equal values twice and either is correct.
  private final @Nullable AtomicReferenceArray<@Nullable KeyValues> ended;

  /** The keys of tasks named {@code task}; {@code shared}: by many tasks, so keep the ended too. */
  TaskKeyValues(String scopeName, String task, boolean shared) {
    this.running =
        KeyValues.of(
            DefaultTaskObservationConvention.SCOPE, scopeName,
            DefaultTaskObservationConvention.TASK, task);
    this.ended = shared ? new AtomicReferenceArray<>(OUTCOMES.length) : null;
  }

  /** The keys of a task that has not ended (null) or ended with {@code outcome}. */
  KeyValues of(@Nullable TaskOutcome outcome) {
    if (outcome == null) {
      return running;
    }
    AtomicReferenceArray<@Nullable KeyValues> cache = ended;
    if (cache == null) {
      return running.and(OUTCOME_KEYS[outcome.ordinal()]);
    }
    KeyValues kv = cache.get(outcome.ordinal());
    if (kv == null) {
      kv = running.and(OUTCOME_KEYS[outcome.ordinal()]);
      cache.set(outcome.ordinal(), kv);
    }
    return kv;
  }
}
