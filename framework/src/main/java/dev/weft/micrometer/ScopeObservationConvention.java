package dev.weft.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The name, contextual name and key values of a scope's observation. Implement it (or extend {@link
 * DefaultScopeObservationConvention}) and pass it to {@link WeftObservations#install(
 * io.micrometer.observation.ObservationRegistry, ScopeObservationConvention,
 * TaskObservationConvention)}, or register a {@code GlobalObservationConvention} of {@link
 * ScopeObservationContext} with the registry.
 */
public interface ScopeObservationConvention extends ObservationConvention<ScopeObservationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof ScopeObservationContext;
  }
}
