package dev.weft.scope;

import java.util.List;

/**
 * What a scope's {@link Scope#join()} waits for, and what it returns or throws.
 *
 * <p>Weft provides four policies:
 *
 * <ul>
 *   <li>{@link #failFast()} (the default): the first failure cancels the other tasks and {@code
 *       join()} throws {@link TaskFailedException}.
 *   <li>{@link #collectAll()}: every task runs to its end; {@code join()} throws one {@link
 *       TaskFailedException} that holds every failure.
 *   <li>{@link #firstSuccess()}: the first task to succeed wins, the others are cancelled, and
 *       {@code join()} returns the winner's value.
 *   <li>{@link #quorum(int) quorum(k)}: {@code join()} returns as soon as {@code k} tasks have
 *       succeeded (cancelling the rest), with their values; it throws as soon as {@code k} can no
 *       longer be reached.
 * </ul>
 *
 * <h2>Writing a policy</h2>
 *
 * A policy instance serves one scope only: create a new one per scope. The scope calls {@link
 * #onFork} in the owner thread, {@link #onComplete} in whichever thread ended the task (many at
 * once: make it thread-safe), {@link #onJoin} in the owner when it calls {@code join()}, and {@link
 * #result} in the owner once every task has reached a final state. Returning {@code true} from
 * {@code onComplete} or {@code onJoin} cancels the scope's unfinished tasks.
 *
 * {@snippet class=dev.weft.samples.PoliciesSample region=custom-policy lang=java}
 *
 * @param <R> what {@code join()} returns
 */
public interface Policy<R> {

  /**
   * Fail-fast: the first failure cancels the rest; {@code join()} throws it. Returns {@code null}.
   */
  static Policy<Void> failFast() {
    return new Policies.FailFast();
  }

  /** Collect-all: every task runs to its end; {@code join()} reports every failure at once. */
  static Policy<Void> collectAll() {
    return new Policies.CollectAll();
  }

  /**
   * First-success: the first task to succeed wins and the rest are cancelled; {@code join()}
   * returns its value. If every task fails, {@code join()} throws with every failure. Exactly one
   * task wins, and its value is the one returned.
   *
   * @param <T> the result type of the tasks
   */
  static <T> Policy<T> firstSuccess() {
    return new Policies.FirstSuccess<>();
  }

  /**
   * Quorum: {@code join()} returns once {@code k} tasks have succeeded, with the values of every
   * task that succeeded (at least {@code k}, in the order they ended), and cancels the rest. It
   * throws {@link TaskFailedException} as soon as so many tasks failed that {@code k} successes can
   * no longer be reached. Cancelled tasks never count as successes.
   *
   * @throws IllegalArgumentException if {@code k} is less than 1
   * @param <T> the result type of the tasks
   */
  static <T> Policy<List<T>> quorum(int k) {
    if (k < 1) {
      throw new IllegalArgumentException(
          "quorum k must be at least 1, was "
              + k
              + ": k is how many tasks must succeed; for one, use Policy.firstSuccess()");
    }
    return new Policies.Quorum<>(k);
  }

  /** Called in the owner thread when {@code task} is forked, before it can start. */
  default void onFork(Task<?> task) {}

  /**
   * Called once per task when it reaches a final state, in the thread that ended it; concurrent
   * calls are possible. Return {@code true} to cancel the scope's unfinished tasks.
   */
  boolean onComplete(Task<?> task);

  /**
   * Called in the owner thread when {@code join()} starts, after the last fork. Return {@code true}
   * to cancel the scope's unfinished tasks (for instance when the goal can no longer be reached).
   */
  default boolean onJoin() {
    return false;
  }

  /**
   * Called in the owner thread once every task of {@code scope} has reached a final state (after
   * cancellation, if the policy or a deadline stopped the scope). Its value is what {@code join()}
   * returns; its exception is what {@code join()} throws.
   */
  R result(Scope<R> scope);
}
