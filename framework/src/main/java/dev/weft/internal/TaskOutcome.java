package dev.weft.internal;

/** How a task ended, as meters and traces report it (one word per outcome, lower case in tags). */
public enum TaskOutcome {
  /** The body returned. */
  SUCCEEDED,
  /** The body threw (or could not start), and no fallback replaced the failure. */
  FAILED,
  /** The task's own timeout ({@code withTimeout}) expired, and no fallback replaced it. */
  TIMED_OUT,
  /** The task failed or timed out, and its fallback gave its value. */
  RECOVERED,
  /** The scope was cancelled (by a policy, its deadline, {@code cancel()} or close) first. */
  CANCELLED,
  /** A dependency did not succeed, so the body never ran. */
  SKIPPED;

  // tag: computed once; meters and observations read it for every task that ends.
  private final String tag = name().toLowerCase(java.util.Locale.ROOT);

  /** The tag value: the constant's name in lower case with '_' as in {@code timed_out}. */
  public String tag() {
    return tag;
  }
}
