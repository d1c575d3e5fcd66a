package dev.weft.scope;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * A group of tasks opened as a block: every task runs in its own virtual thread, and the scope does
 * not outlive its block.
 *
 * {@snippet class=dev.weft.samples.DependencyJoinSample region=dependency-join lang=java}
 *
 * <h2>Usage</h2>
 *
 * The thread that opens a scope is its <em>owner</em>. The owner forks tasks, calls {@link #join()}
 * once, reads results from the handles, and closes the scope (try-with-resources does it). {@code
 * join()} waits as the scope's {@link Policy} says; {@link #close()} always waits until every
 * thread the scope started has ended, cancelling tasks that have not.
 *
 * <h2>Dependencies</h2>
 *
 * A task can depend on other tasks of the same scope: {@code fork("price", user, cart, (u, c) ->
 * ...)} starts its body only once {@code user} and {@code cart} have succeeded, and passes their
 * results. If a dependency fails, is skipped or is cancelled, the dependent is {@link
 * Task.State#SKIPPED skipped} with a {@link TaskSkippedException} naming that dependency, unless it
 * declares a fallback ({@link TaskOptions#withFallback}). A waiting task holds no thread and no
 * concurrency slot. Handles exist before their dependents, so the graph cannot have a cycle.
 *
 * <h2>Cancellation</h2>
 *
 * {@link #cancel()}, the policy (say, the first failure under fail-fast), an expired deadline or an
 * interrupt of the owner during {@code join()} cancel the scope: every task that has not ended
 * becomes {@link Task.State#CANCELLED CANCELLED} at once, running ones are interrupted, pending
 * ones never start, and scopes nested inside its tasks are cancelled too. A task that ignores the
 * interrupt keeps {@code close()} waiting; after the grace period {@code close()} logs a warning
 * naming it, and keeps waiting.
 *
 * <h2>Deadlines</h2>
 *
 * A scope's deadline is the earlier of its own ({@link ScopeConfig#withTimeout}, {@link
 * ScopeConfig#withDeadline}) and its parent's. Task code reads what is left with {@link
 * #remainingTime()} and can pass it to HTTP or database clients. At the deadline the scope is
 * cancelled and {@code join()} throws {@link DeadlineExceededException} naming the tasks that had
 * not finished; if every task ended in time, {@code join()} returns normally.
 *
 * <h2>Exceptions</h2>
 *
 * Failures reach the owner unwrapped: {@link TaskFailedException} names the scope and task, and its
 * cause is the task's own exception, checked or not. Misuse throws JDK exceptions whose message
 * names the scope and the rule: {@link WrongThreadException} (not the owner), {@link
 * IllegalStateException} (fork after join or close, join twice, close out of order) and {@link
 * IllegalArgumentException} (null or duplicate names, a dependency from another scope).
 *
 * <h2>Thread confinement</h2>
 *
 * {@code fork}, {@code join} and {@code close} may only be called by the owner. {@link #cancel()},
 * {@link #name()}, {@link #tasks()} and the handles may be used from any thread.
 *
 * <h2>Nesting</h2>
 *
 * A scope opened inside a task (or inside another open scope of the same thread) is a child of that
 * scope: it inherits the deadline and is cancelled with it. Scopes close in reverse order of
 * opening.
 *
 * <h2>Memory consistency effects</h2>
 *
 * Actions of the owner before {@code fork} happen-before the task's body. Actions of a task's body
 * happen-before a dependent's body, and happen-before {@code join()} returns or throws.
 *
 * <h2>Limitations &amp; cost</h2>
 *
 * A scope creates one thread per task body; see {@code docs/performance.md} for measured costs.
 * Weft implements this interface; applications do not.
 *
 * @param <R> what {@link #join()} returns, as decided by the {@link Policy}
 */
public sealed interface Scope<R> extends AutoCloseable permits ForkOverloads {

  /** A task body that takes the result of one dependency. */
  @FunctionalInterface
  interface Body1<A, T> {
    T apply(A a) throws Exception;
  }

  /** A task body that takes the results of two dependencies. */
  @FunctionalInterface
  interface Body2<A, B, T> {
    T apply(A a, B b) throws Exception;
  }

  /** A task body that takes the results of three dependencies. */
  @FunctionalInterface
  interface Body3<A, B, C, T> {
    T apply(A a, B b, C c) throws Exception;
  }

  /**
   * Opens a fail-fast scope owned by the current thread.
   *
   * @param name the scope's name, used in thread names and messages
   * @throws IllegalArgumentException if {@code name} is blank
   */
  static Scope<Void> open(String name) {
    return ScopeImpl.open(name, Policy.failFast(), ScopeConfig.defaults());
  }

  /**
   * Opens a fail-fast scope with options, e.g. {@code c -> c.withTimeout(Duration.ofSeconds(1))}.
   */
  static Scope<Void> open(String name, UnaryOperator<ScopeConfig> config) {
    return ScopeImpl.open(name, Policy.failFast(), configure(config));
  }

  /** Opens a scope whose {@code join()} follows {@code policy}. */
  static <R> Scope<R> open(String name, Policy<R> policy) {
    return ScopeImpl.open(name, policy, ScopeConfig.defaults());
  }

  /** Opens a scope with a policy and options. */
  static <R> Scope<R> open(String name, Policy<R> policy, UnaryOperator<ScopeConfig> config) {
    return ScopeImpl.open(name, policy, configure(config));
  }

  /**
   * Time left before the deadline of the current thread's innermost scope (the scope whose task
   * runs in this thread, or the innermost scope this thread owns); empty if it has no deadline or
   * the thread is in no scope. Never negative.
   */
  static Optional<Duration> remainingTime() {
    return ScopeImpl.remainingTime();
  }

  /** The scope's name. */
  String name();

  /**
   * Forks a task named {@code name} that runs {@code body} in a new thread.
   *
   * @throws WrongThreadException if the current thread is not the owner
   * @throws IllegalStateException if the scope was joined or closed
   * @throws IllegalArgumentException if {@code name} is blank or already used in this scope
   */
  <T> Task<T> fork(String name, Callable<? extends T> body);

  /** Forks a task with options, e.g. {@code o -> o.withTimeout(d).withFallbackValue(fallback)}. */
  <T> Task<T> fork(String name, Callable<? extends T> body, UnaryOperator<TaskOptions<T>> options);

  /** Forks a task named {@code task-N}. */
  <T> Task<T> fork(Callable<? extends T> body);

  /**
   * Forks a task whose body runs once {@code a} has succeeded, with its result.
   *
   * @throws IllegalArgumentException if {@code a} belongs to another scope
   */
  <A, T> Task<T> fork(String name, Task<A> a, Body1<? super A, ? extends T> body);

  /** As {@link #fork(String, Task, Body1)}, with options. */
  <A, T> Task<T> fork(
      String name,
      Task<A> a,
      Body1<? super A, ? extends T> body,
      UnaryOperator<TaskOptions<T>> options);

  /** Forks a task whose body runs once {@code a} and {@code b} have succeeded. */
  <A, B, T> Task<T> fork(
      String name, Task<A> a, Task<B> b, Body2<? super A, ? super B, ? extends T> body);

  /** As {@link #fork(String, Task, Task, Body2)}, with options. */
  <A, B, T> Task<T> fork(
      String name,
      Task<A> a,
      Task<B> b,
      Body2<? super A, ? super B, ? extends T> body,
      UnaryOperator<TaskOptions<T>> options);

  /** Forks a task whose body runs once {@code a}, {@code b} and {@code c} have succeeded. */
  <A, B, C, T> Task<T> fork(
      String name,
      Task<A> a,
      Task<B> b,
      Task<C> c,
      Body3<? super A, ? super B, ? super C, ? extends T> body);

  /** As {@link #fork(String, Task, Task, Task, Body3)}, with options. */
  <A, B, C, T> Task<T> fork(
      String name,
      Task<A> a,
      Task<B> b,
      Task<C> c,
      Body3<? super A, ? super B, ? super C, ? extends T> body,
      UnaryOperator<TaskOptions<T>> options);

  /**
   * Forks a task whose body runs once every task in {@code dependencies} has succeeded; the body
   * reads their results with {@link Task#get()}.
   */
  <T> Task<T> fork(String name, List<? extends Task<?>> dependencies, Callable<? extends T> body);

  /** As {@link #fork(String, List, Callable)}, with options. */
  <T> Task<T> fork(
      String name,
      List<? extends Task<?>> dependencies,
      Callable<? extends T> body,
      UnaryOperator<TaskOptions<T>> options);

  /**
   * Waits as the policy says, then returns the policy's result. When it returns or throws, every
   * task is in a final state (threads of cancelled tasks may still be ending; {@link #close()}
   * waits for them). May be called once.
   *
   * @throws TaskFailedException if the policy reports failures
   * @throws DeadlineExceededException if the deadline passed before every task ended
   * @throws java.util.concurrent.CancellationException if the scope, or an enclosing one, was
   *     cancelled with {@link #cancel()}
   * @throws InterruptedException if the owner was interrupted while waiting; the scope is then
   *     cancelled
   * @throws WrongThreadException if the current thread is not the owner
   * @throws IllegalStateException if {@code join()} was already called or the scope is closed
   */
  R join() throws InterruptedException;

  /**
   * Cancels the scope: tasks that have not ended are cancelled (running ones interrupted, pending
   * ones never started), as are scopes nested inside them. Any thread may call it; calls after the
   * first have no effect.
   */
  void cancel();

  /**
   * Whether the scope was cancelled, by {@link #cancel()}, its policy, its deadline or its parent.
   */
  boolean isCancelled();

  /** The tasks forked so far, in fork order. */
  List<Task<?>> tasks();

  /**
   * Cancels tasks that have not ended, then waits until every thread the scope started has ended;
   * never returns while one runs. Nested scopes still open on this thread are closed first (and an
   * {@link IllegalStateException} reports it). Closing a scope that forked tasks without calling
   * {@code join()} throws {@link IllegalStateException}, with the failures it would have lost
   * attached as suppressed exceptions. Calls after the first have no effect.
   *
   * @throws WrongThreadException if the current thread is not the owner
   */
  @Override
  void close();

  private static ScopeConfig configure(UnaryOperator<ScopeConfig> config) {
    java.util.Objects.requireNonNull(
        config,
        "scope config function must not be null: pass one "
            + "such as c -> c.withTimeout(Duration.ofSeconds(1)), or open the scope without it");
    return java.util.Objects.requireNonNull(
        config.apply(ScopeConfig.defaults()),
        "scope config "
            + "function returned null: return the config it is given, e.g. c -> c.withMaxConcurrency(8)");
  }
}
