package dev.weft.stress.shared;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a policy and counts what the scope tells it: how many times each task was reported as ended
 * (once, if the task ended in exactly one final state) and for which tasks the policy asked to stop
 * the scope (for first-success: the winners).
 */
public final class CountingPolicy<R> implements Policy<R> {
  private final Policy<R> delegate;
  // Written by whichever thread ended a task; read by the owner after join (join happens-after
  // every onComplete returned) or by the jcstress arbiter.
  private final Map<String, AtomicInteger> ended = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Task<?>> stoppedBy = new ConcurrentLinkedQueue<>();

  public CountingPolicy(Policy<R> delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onFork(Task<?> task) {
    delegate.onFork(task);
  }

  @Override
  public boolean onComplete(Task<?> task) {
    ended.computeIfAbsent(task.name(), n -> new AtomicInteger()).incrementAndGet();
    boolean stop = delegate.onComplete(task);
    if (stop) {
      stoppedBy.add(task);
    }
    return stop;
  }

  @Override
  public boolean onJoin() {
    return delegate.onJoin();
  }

  @Override
  public R result(Scope<R> scope) {
    return delegate.result(scope);
  }

  /** How many times {@code task} was reported as ended. */
  public int endings(Task<?> task) {
    AtomicInteger n = ended.get(task.name());
    return n == null ? 0 : n.get();
  }

  /** The tasks after which the policy asked to stop the scope, in order. */
  public java.util.List<Task<?>> stoppedBy() {
    return java.util.List.copyOf(stoppedBy);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
