package dev.weft.micrometer;

import io.micrometer.common.KeyValues;

/**
 * Weft's convention for task observations: the name {@value #NAME}, the task's name as the
 * contextual name (a span's name; the scope is its parent span), and the low-cardinality keys
 * {@code scope}, {@code task} and, once the task has ended, {@code outcome}. Names that {@code
 * fork(body)} generated are all {@code task-N}, in the keys and in the contextual name. No
 * high-cardinality keys. Extend it to add or change keys.
 */
public class DefaultTaskObservationConvention implements TaskObservationConvention {
  /** The observation name. */
  public static final String NAME = "weft.task";

  /** Key: the name of the task's scope. */
  public static final String SCOPE = "scope";

  /** Key: the task's name, or {@code task-N} for a generated one. */
  public static final String TASK = "task";

  /** Key: how the task ended ({@link TaskObservationContext#outcome()}), once it has. */
  public static final String OUTCOME = "outcome";

  /** The convention with Weft's defaults. */
  public DefaultTaskObservationConvention() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(TaskObservationContext context) {
    return task(context);
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(TaskObservationContext context) {
    return context.defaultKeyValues(); // made once per task (per scope for generated names)
  }

  /** The task's name as a key value: {@code task-N} if {@code fork(body)} generated it. */
  protected static String task(TaskObservationContext context) {
    return context.nameGenerated() ? TagValues.GENERATED_TASK : context.taskName();
  }
}
