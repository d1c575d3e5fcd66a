package dev.weft.micrometer;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * One scope's observation: started and opened as the current observation in the owner thread when
 * the scope opens, closed and stopped there when it closes (the scope's try-with-resources keeps
 * the order LIFO). Owner only, but {@link #observation} is read by task threads (the parent of
 * their observations): it is written before any task of the scope is forked.
 */
final class ScopeObservation {
  final ScopeObservationContext context;
  final Observation observation;
  private final Observation.Scope opened;
  // generatedKeys: the key values of the tasks whose names fork(body) generated; made at the first
  // such fork. Owner only (only the owner forks); task threads get it through their context,
  // written before their thread starts.
  private @Nullable TaskKeyValues generatedKeys;
  // outcome: set at join by the owner; null until then.
  private @Nullable String outcome;
  private @Nullable Throwable thrown;

  ScopeObservation(ScopeObservationContext context, Observation observation) {
    this.context = context;
    this.observation = observation.start();
    this.opened = observation.openScope();
  }

  /** The default convention's key values shared by this scope's tasks of generated names. */
  TaskKeyValues generatedTaskKeys() {
    TaskKeyValues k = generatedKeys;
    if (k == null) {
      k = new TaskKeyValues(context.scopeName(), TagValues.GENERATED_TASK, true);
      generatedKeys = k;
    }
    return k;
  }

  void joined(@Nullable Throwable thrown) {
    this.outcome = TagValues.joined(thrown);
    this.thrown = thrown;
  }

  void closed() {
    opened.close();
    String o = outcome != null ? outcome : TagValues.NOT_JOINED;
    context.outcome(o);
    Throwable e = thrown;
    if (e != null && TagValues.scopeError(o)) {
      observation.error(e);
    }
    observation.stop();
  }
}
