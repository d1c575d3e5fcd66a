package dev.weft.micrometer;

import io.micrometer.common.KeyValues;

/**
 * Weft's convention for scope observations: the name {@value #NAME}, the scope's name as the
 * contextual name (a span's name), and the low-cardinality keys {@code scope}, {@code policy} and,
 * once the scope has closed, {@code outcome}. No high-cardinality keys. Extend it to add or change
 * keys.
 */
public class DefaultScopeObservationConvention implements ScopeObservationConvention {
  /** The observation name. */
  public static final String NAME = "weft.scope";

  /** Key: the scope's name. */
  public static final String SCOPE = "scope";

  /** Key: the scope's policy ({@link ScopeObservationContext#policy()}). */
  public static final String POLICY = "policy";

  /** Key: how the scope ended ({@link ScopeObservationContext#outcome()}), once it has. */
  public static final String OUTCOME = "outcome";

  /** The convention with Weft's defaults. */
  public DefaultScopeObservationConvention() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(ScopeObservationContext context) {
    return context.scopeName();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(ScopeObservationContext context) {
    KeyValues kv = KeyValues.of(SCOPE, context.scopeName(), POLICY, context.policy());
    String outcome = context.outcome();
    return outcome == null ? kv : kv.and(OUTCOME, outcome);
  }
}
