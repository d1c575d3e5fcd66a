package dev.weft.scope;

import org.jspecify.annotations.Nullable;

/**
 * The exception of a task that was {@link Task.State#SKIPPED skipped}: one of its dependencies
 * failed or was skipped, so its body never ran. The message names the dependency and, if that
 * dependency was itself skipped, the task whose failure started the chain; the cause is that task's
 * own exception. So however long a chain of skips is, each message has the same size and each cause
 * is the root failure.
 */
public class TaskSkippedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String taskName;
  private final String dependencyName;
  private final String failedTaskName;

  /**
   * Reports that {@code taskName} was skipped because {@code dependencyName} ended in {@code
   * state}.
   */
  public TaskSkippedException(
      String taskName, String dependencyName, Task.State state, @Nullable Throwable cause) {
    this(taskName, dependencyName, state, dependencyName, cause);
  }

  /**
   * Reports that {@code taskName} was skipped because {@code dependencyName} ended in {@code
   * state}, in a chain that task {@code failedTaskName} started by failing with {@code cause}.
   */
  public TaskSkippedException(
      String taskName,
      String dependencyName,
      Task.State state,
      String failedTaskName,
      @Nullable Throwable cause) {
    super(message(taskName, dependencyName, state, failedTaskName, cause), cause);
    this.taskName = taskName;
    this.dependencyName = dependencyName;
    this.failedTaskName = failedTaskName;
  }

  /** The task that was skipped. */
  public String taskName() {
    return taskName;
  }

  /** The dependency that did not succeed. */
  public String dependencyName() {
    return dependencyName;
  }

  /**
   * The task whose failure started the chain of skips: {@link #dependencyName()} if the dependency
   * failed itself, else the task that failed further up. Its exception is {@link #getCause()}.
   */
  public String failedTaskName() {
    return failedTaskName;
  }

  /**
   * The exception of {@code taskName}, skipped because {@code dependency} ended in {@code state}
   * with {@code outcome}: if the dependency was itself skipped, the cause is the failure that
   * started the chain, so messages and cause chains do not grow with the chain's length.
   */
  static TaskSkippedException of(
      String taskName, String dependency, Task.State state, @Nullable Throwable outcome) {
    if (state == Task.State.SKIPPED && outcome instanceof TaskSkippedException skipped) {
      return new TaskSkippedException(
          taskName, dependency, state, skipped.failedTaskName(), skipped.getCause());
    }
    return new TaskSkippedException(taskName, dependency, state, dependency, outcome);
  }

  private static String message(
      String taskName,
      String dependencyName,
      Task.State state,
      String failedTaskName,
      @Nullable Throwable cause) {
    String why =
        switch (state) {
          case FAILED -> "failed";
          case CANCELLED -> "was cancelled";
          case SKIPPED -> "was skipped";
          default -> "ended " + state;
        };
    String root =
        state == Task.State.SKIPPED
                && failedTaskName != null
                && !failedTaskName.equals(dependencyName)
            ? " after task '" + failedTaskName + "' failed"
            : "";
    return "task '"
        + taskName
        + "' skipped: dependency '"
        + dependencyName
        + "' "
        + why
        + root
        + (cause == null ? "" : ": " + Messages.failure(failedTaskName, cause));
  }
}
