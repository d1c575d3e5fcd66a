package dev.weft.scope;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link Scope#join()} when the scope's deadline passed before every task ended. The
 * scope has cancelled the unfinished tasks; {@link #unfinishedTasks()} names them. Tasks that ended
 * before the deadline keep their results, and failures the policy would have reported are attached
 * as suppressed exceptions.
 */
public class DeadlineExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String scopeName;
  private final List<String> unfinishedTasks;

  /**
   * Reports that scope {@code scopeName}, opened with {@code budget} before its deadline, did not
   * finish {@code unfinishedTasks} in time.
   */
  public DeadlineExceededException(
      String scopeName, @Nullable Duration budget, List<String> unfinishedTasks) {
    super(
        "scope '"
            + scopeName
            + "' missed its deadline"
            + (budget == null
                ? ""
                : budget.isZero()
                    ? " (it had already passed when the scope opened)"
                    : " (" + budget.toMillis() + " ms after it opened)")
            + ": "
            + unfinishedTasks.size()
            + (unfinishedTasks.size() == 1 ? " task" : " tasks")
            + " did not finish and "
            + (unfinishedTasks.size() == 1 ? "was" : "were")
            + " cancelled: "
            + unfinishedTasks.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ")));
    this.scopeName = scopeName;
    this.unfinishedTasks = List.copyOf(unfinishedTasks);
  }

  /** The name of the scope whose deadline passed. */
  public String scopeName() {
    return scopeName;
  }

  /** The tasks that had not ended at the deadline, in fork order. */
  public List<String> unfinishedTasks() {
    return unfinishedTasks;
  }
}
