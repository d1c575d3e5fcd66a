package dev.weft.scope;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link Scope#join()} when tasks failed and the scope's policy does not accept it.
 *
 * <p>The message names the scope and the failed tasks. The cause is the first failure (in the order
 * the tasks ended), unwrapped: there is no {@code ExecutionException} layer. Every other failure is
 * attached with {@link #addSuppressed} as a {@code TaskFailedException} of its own that names its
 * task. If a task failed because a scope nested in its body failed, the message shows the path of
 * that failure once ({@code task 'load' failed in scope 'req': req/load -> db/q1:
 * java.io.IOException: db down}); the nested scope's exception is the cause. Dependents that were
 * skipped because of a failure are summarised in the message and listed by {@link #skippedTasks()}.
 *
 * {@snippet class=dev.weft.samples.DependencyJoinSample region=dependency-failed lang=java}
 */
public class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String scopeName;
  private final @Nullable String taskName;
  // null after deserialization (tasks are not serializable): failedTasks() then returns none
  private final transient @Nullable List<Task<?>> failedTasks;
  private final List<String> skippedTasks;

  /**
   * Reports the failure of {@code failed} (at least one task, each in state {@code FAILED}) in the
   * scope named {@code scopeName}.
   *
   * @param headline what went wrong, or {@code null} for the default "task 'x' failed" text
   * @throws IllegalArgumentException if {@code failed} is empty
   */
  public TaskFailedException(
      String scopeName,
      @Nullable String headline,
      List<? extends Task<?>> failed,
      List<? extends Task<?>> skipped) {
    super(
        message(scopeName, headline, failed, skipped),
        failed.isEmpty() ? null : failed.get(0).exception());
    this.scopeName = Objects.requireNonNull(scopeName, "scopeName");
    this.taskName = failed.isEmpty() ? null : failed.get(0).name();
    this.failedTasks = List.copyOf(failed);
    this.skippedTasks = skipped.stream().map(Task::name).toList();
    for (int i = 1; i < failed.size(); i++) {
      addSuppressed(new TaskFailedException(scopeName, null, List.of(failed.get(i)), List.of()));
    }
  }

  /**
   * Reports a failure of {@code task} (or of no task, if null) that is not the task's outcome: for
   * instance an exception the task threw after it was cancelled. {@link #failedTasks()} is empty.
   *
   * @param message the whole message
   * @param cause the failure, or null
   */
  TaskFailedException(
      String scopeName, @Nullable Task<?> task, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.scopeName = Objects.requireNonNull(scopeName, "scopeName");
    this.taskName = task == null ? null : task.name();
    this.failedTasks = List.of();
    this.skippedTasks = List.of();
  }

  /** The name of the scope the tasks belong to. */
  public String scopeName() {
    return scopeName;
  }

  /**
   * The name of the first task that failed; its exception is {@link #getCause()}. Null if this
   * exception names no task: one built with a headline and no failed task, or one that reports
   * failures of several tasks in a summary (such as late failures left out).
   */
  public @Nullable String taskName() {
    return taskName;
  }

  /** Every failed task, first failure first. */
  public List<Task<?>> failedTasks() {
    return failedTasks == null ? List.of() : failedTasks;
  }

  /** The names of dependents that never ran because a dependency did not succeed. */
  public List<String> skippedTasks() {
    return skippedTasks;
  }

  private static String message(
      String scope,
      @Nullable String headline,
      List<? extends Task<?>> failed,
      List<? extends Task<?>> skipped) {
    if (failed.isEmpty() && headline == null) {
      throw new IllegalArgumentException("failed must name at least one task");
    }
    StringBuilder sb = new StringBuilder();
    if (headline != null) {
      sb.append(headline);
      if (!failed.isEmpty()) {
        sb.append("; first failure: task '")
            .append(failed.get(0).name())
            .append("': ")
            .append(
                Messages.failure(scope + "/" + failed.get(0).name(), failed.get(0).exception()));
      }
    } else {
      sb.append("task '")
          .append(failed.get(0).name())
          .append("' failed in scope '")
          .append(scope)
          .append("': ")
          .append(Messages.failure(scope + "/" + failed.get(0).name(), failed.get(0).exception()));
    }
    if (failed.size() > 1) {
      sb.append("; ")
          .append(failed.size() - 1)
          .append(" more failed: ")
          .append(quoted(failed.subList(1, failed.size())));
    }
    if (!skipped.isEmpty()) {
      sb.append("; ")
          .append(skipped.size())
          .append(skipped.size() == 1 ? " dependent skipped: " : " dependents skipped: ")
          .append(quoted(skipped));
    }
    return sb.toString();
  }

  static String quoted(List<? extends Task<?>> tasks) {
    return tasks.stream().map(t -> "'" + t.name() + "'").collect(Collectors.joining(", "));
  }
}
