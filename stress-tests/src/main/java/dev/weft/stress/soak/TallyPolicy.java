package dev.weft.stress.soak;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import dev.weft.stress.soak.TreePlan.TallyPlan;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak's custom {@link Policy}: counts task ends, stops the scope after a planned number of
 * them, may throw once from {@code onComplete} or {@code onJoin}, and never accepts a failure:
 * {@code result} throws a {@link TaskFailedException} naming every failed task, else returns how
 * many tasks succeeded. One instance per scope, as the API asks.
 */
final class TallyPolicy implements Policy<Integer> {
  private final TallyPlan plan;
  private final String scopeName;
  private final AtomicInteger ended = new AtomicInteger();
  private final AtomicBoolean threw = new AtomicBoolean();
  // Written by whichever thread ended a task (or the owner in onJoin); read by the checks.
  private volatile boolean stopped;
  private volatile RuntimeException thrown;

  TallyPolicy(TallyPlan plan, String scopeName) {
    this.plan = plan;
    this.scopeName = scopeName;
  }

  @Override
  public boolean onComplete(Task<?> task) {
    int n = ended.incrementAndGet();
    if (n == plan.throwAt() && threw.compareAndSet(false, true)) {
      throw record(
          new Injected.PolicyFailure(
              "tally of scope '"
                  + scopeName
                  + "' threw in onComplete("
                  + task.name()
                  + "), end "
                  + n));
    }
    if (n == plan.cancelAfter()) {
      stopped = true;
      return true;
    }
    return false;
  }

  @Override
  public boolean onJoin() {
    if (plan.throwInJoin() && threw.compareAndSet(false, true)) {
      throw record(
          new Injected.PolicyFailure("tally of scope '" + scopeName + "' threw in onJoin()"));
    }
    return false;
  }

  @Override
  public Integer result(Scope<Integer> scope) {
    List<Task<?>> tasks = scope.tasks();
    List<Task<?>> failed = tasks.stream().filter(t -> t.state() == Task.State.FAILED).toList();
    if (!failed.isEmpty()) {
      List<Task<?>> skipped = tasks.stream().filter(t -> t.state() == Task.State.SKIPPED).toList();
      throw new TaskFailedException(
          scope.name(),
          "tally: " + failed.size() + " of " + tasks.size() + " tasks failed",
          failed,
          skipped);
    }
    return (int) tasks.stream().filter(t -> t.state() == Task.State.SUCCEEDED).count();
  }

  /** Whether the policy asked to stop the scope (it returned true from onComplete). */
  boolean stopped() {
    return stopped;
  }

  /** What the policy threw from a callback, or null. */
  RuntimeException thrown() {
    return thrown;
  }

  private RuntimeException record(RuntimeException e) {
    thrown = e;
    return e;
  }

  @Override
  public String toString() {
    return "tally(" + plan + ")";
  }
}
