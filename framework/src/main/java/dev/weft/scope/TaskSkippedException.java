package dev.weft.scope;

/**
 * The exception of a task that was {@link Task.State#SKIPPED skipped}: one of its dependencies
 * failed, was skipped or was cancelled, so its body never ran. The message names the dependency
 * and the cause is the dependency's own exception, so a chain of skips leads to the task that
 * failed first.
 */
public class TaskSkippedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String taskName;
  private final String dependencyName;

  /** Reports that {@code taskName} was skipped because {@code dependencyName} ended in {@code state}. */
  public TaskSkippedException(String taskName, String dependencyName, Task.State state, Throwable cause) {
    super("task '" + taskName + "' skipped: dependency '" + dependencyName + "' "
        + switch (state) {
          case FAILED -> "failed";
          case CANCELLED -> "was cancelled";
          case SKIPPED -> "was skipped";
          default -> "ended " + state;
        } + (cause == null ? "" : ": " + cause), cause);
    this.taskName = taskName;
    this.dependencyName = dependencyName;
  }

  /** The task that was skipped. */
  public String taskName() {
    return taskName;
  }

  /** The dependency that did not succeed. */
  public String dependencyName() {
    return dependencyName;
  }
}
