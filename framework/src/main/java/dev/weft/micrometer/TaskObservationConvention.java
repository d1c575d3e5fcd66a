package dev.weft.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The name, contextual name and key values of a task's observation. Implement it (or extend {@link
 * DefaultTaskObservationConvention}) and pass it to {@link WeftObservations#install(
 * io.micrometer.observation.ObservationRegistry, ScopeObservationConvention,
 * TaskObservationConvention)}, or register a {@code GlobalObservationConvention} of {@link
 * TaskObservationContext} with the registry.
 */
public interface TaskObservationConvention extends ObservationConvention<TaskObservationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof TaskObservationContext;
  }
}
