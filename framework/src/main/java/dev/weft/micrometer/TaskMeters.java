package dev.weft.micrometer;

import dev.weft.internal.TaskOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one task name of one scope name, kept for every later task of that name: the
 * duration timer of each outcome and the slot-wait timer are registered when first needed, so a
 * task that never timed out has no {@code timed_out} series.
 */
final class TaskMeters {
  private static final TaskOutcome[] OUTCOMES = TaskOutcome.values();

  private final MeterRegistry registry;
  private final Tags tags; // common tags + scope + task
  final Timer queueWait;
  // byOutcome, slotWait: set on first use by any thread; a race registers the same meter twice,
  // and the registry returns the one instance for the same id, so either write is correct.
  private final AtomicReferenceArray<@Nullable Timer> byOutcome =
      new AtomicReferenceArray<>(OUTCOMES.length);
  private volatile @Nullable Timer slotWait;

  TaskMeters(MeterRegistry registry, Tags scopeTags, String task) {
    this.registry = registry;
    this.tags = scopeTags.and("task", task);
    this.queueWait =
        Timer.builder(WeftMetrics.TASK_QUEUE_WAIT)
            .description(
                "Time from a task's fork to the start of its body: its dependencies and a slot of"
                    + " the concurrency limit")
            .tags(tags)
            .register(registry);
  }

  Timer duration(TaskOutcome outcome) {
    Timer t = byOutcome.get(outcome.ordinal());
    if (t == null) {
      t =
          Timer.builder(WeftMetrics.TASK_DURATION)
              .description(
                  "Time from the start of a task's body to the task's end (0 if it never started)")
              .tags(tags)
              .tag("outcome", outcome.tag())
              .register(registry);
      byOutcome.set(outcome.ordinal(), t);
    }
    return t;
  }

  Timer slotWait() {
    Timer t = slotWait;
    if (t == null) {
      t =
          Timer.builder(WeftMetrics.TASK_SLOT_WAIT)
              .description("Time a ready task waited for a slot of its scope's concurrency limit")
              .tags(tags)
              .register(registry);
      slotWait = t;
    }
    return t;
  }
}
