package dev.weft.scope;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Task} view of a task: its name, state, result and exception, and the messages of reads
 * that come too early or find no result. The state machine behind it is {@link TaskNode}.
 */
abstract sealed class TaskHandle<T> implements Task<T> permits TaskNode {
  final ScopeImpl<?> scope;
  // name: the given name; for a generated one (generatedNumber > 0) null until something reads it
  // (name()), which builds task-N. Any thread may build it: each builds an equal String
  // (immutable, so a racy write publishes it whole). Most generated names are never read.
  private @Nullable String name;
  // generatedNumber: the N of a name fork(body) generated, task-N; 0 for a given name.
  final int generatedNumber;
  // thread: written (plainly) by the starter before its CAS PENDING -> RUNNING, which publishes
  // it, or by the owner before it starts and publishes the task (claimUnpublished); cancel reads
  // it after its own CAS from RUNNING, so it sees it. The stuck-task warning and the lock checker
  // read it racily (they may miss a task that is just starting). Plain, because a volatile write
  // before the CAS is a second fence on every fork.
  @Nullable Thread thread;

  TaskHandle(ScopeImpl<?> scope, @Nullable String name, int generatedNumber) {
    this.scope = scope;
    this.name = name;
    this.generatedNumber = generatedNumber;
  }

  /** The name of the task's thread, {@code scope/task}: one string, built by its starter. */
  final String threadName() {
    String n = name;
    return n != null
        ? scope.name + "/" + n
        : TaskList.generatedThreadName(scope.name, generatedNumber);
  }

  /** The state word (TaskNode's constants), read once. */
  abstract int rawState();

  /** The value or Throwable; read only after reading a final state. */
  abstract @Nullable Object rawOutcome();

  /** The Throwable of a task that ended without success; read only after reading such a state. */
  private Throwable rawFailure() {
    return (Throwable) Objects.requireNonNull(rawOutcome(), "outcome of a failed task");
  }

  /** The failure a fallback replaced, or null; read only after reading SUCCEEDED. */
  abstract @Nullable Throwable rawRecoveredFrom();

  @Override
  public final String name() {
    String n = name;
    if (n == null) {
      n = TaskList.generatedName(generatedNumber);
      name = n;
    }
    return n;
  }

  @Override
  public State state() {
    return switch (rawState()) {
      case TaskNode.PENDING -> State.PENDING;
      case TaskNode.RUNNING -> State.RUNNING;
      case TaskNode.COMPLETING -> thread == null ? State.PENDING : State.RUNNING;
      case TaskNode.SUCCEEDED -> State.SUCCEEDED;
      case TaskNode.FAILED -> State.FAILED;
      case TaskNode.CANCELLED -> State.CANCELLED;
      default -> State.SKIPPED;
    };
  }

  @Override
  @SuppressWarnings({"unchecked", "NullAway"}) // NullAway: a result may be null (a nullable T)
  public T get() {
    int s = rawState();
    if (Thread.currentThread() == scope.owner && !scope.resultsReadable()) {
      throw new IllegalStateException(
          "result of task '"
              + name()
              + "' read before join(): call "
              + "scope.join() first, or pass the task as a dependency to the task that needs it");
    }
    if (s == TaskNode.SUCCEEDED) {
      return (T) rawOutcome();
    }
    if (s < TaskNode.SUCCEEDED) {
      throw new IllegalStateException(
          "task '"
              + name()
              + "' of scope '"
              + scope.name
              + "' has not ended: read results after scope.join(), or declare the task as a "
              + "dependency: scope.fork(name, task, value -> ...)");
    }
    Throwable failure = rawFailure();
    throw new IllegalStateException(
        "task '"
            + name()
            + "' did not succeed ("
            + state()
            + ": "
            + Messages.failure(scope.name + "/" + name(), failure)
            + "): check state() before get(), or read exception()",
        failure);
  }

  @Override
  public Throwable exception() {
    int s = rawState();
    if (s < TaskNode.SUCCEEDED) {
      throw new IllegalStateException(
          "task '"
              + name()
              + "' of scope '"
              + scope.name
              + "' has not ended: read its exception after scope.join()");
    }
    if (s == TaskNode.SUCCEEDED) {
      throw new IllegalStateException(
          "task '"
              + name()
              + "' succeeded and has no exception"
              + (rawRecoveredFrom() != null
                  ? ": see recoveredFrom() for the failure its fallback replaced"
                  : ": read its result with get()"));
    }
    return rawFailure();
  }

  @Override
  public Optional<Throwable> recoveredFrom() {
    return rawState() == TaskNode.SUCCEEDED
        ? Optional.ofNullable(rawRecoveredFrom())
        : Optional.empty();
  }

  @Override
  public String toString() {
    return "Task[" + scope.name + "/" + name() + ", " + state() + "]";
  }
}
