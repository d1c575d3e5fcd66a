package dev.weft.scope;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The convenience {@code fork} overloads of {@link Scope}, each turned into the one entry point
 * {@link #fork(String, TaskNode[], Callable, UnaryOperator)}: they check the body, turn the typed
 * dependency handles into the scope's task nodes, and wrap a body that takes dependency results
 * into a {@code Callable} that reads them (a dependent's body runs only once they succeeded).
 */
abstract sealed class ForkOverloads<R> implements Scope<R> permits ScopeImpl {

  /**
   * The one fork: validates the name and options, registers the task and starts it when its
   * dependencies (already checked to be this scope's tasks) have succeeded. Owner only.
   */
  abstract <T> Task<T> fork(
      String name,
      TaskNode<?>[] dependencies,
      Callable<? extends T> body,
      UnaryOperator<TaskOptions<T>> options);

  /**
   * {@code task} as a dependency of a task of this scope; {@code argument} names it in messages. A
   * message is built only when it is thrown: a fork with a thousand dependencies builds no string.
   */
  abstract <A> TaskNode<A> dependency(Task<A> task, String argument);

  /** Forks {@code body} as a task named {@code task-N}, N the next free generated number. */
  abstract <T> Task<T> forkGenerated(Callable<? extends T> body);

  @Override
  public <T> Task<T> fork(String name, Callable<? extends T> body) {
    return fork(name, body, UnaryOperator.identity());
  }

  @Override
  public <T> Task<T> fork(
      String name, Callable<? extends T> body, UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(body, Messages.NULL_BODY);
    return fork(name, TaskNode.NO_DEPENDENCIES, body, options);
  }

  @Override
  public <T> Task<T> fork(Callable<? extends T> body) {
    Objects.requireNonNull(body, Messages.NULL_BODY);
    return forkGenerated(body);
  }

  @Override
  public <A, T> Task<T> fork(String name, Task<A> a, Body1<? super A, ? extends T> body) {
    return fork(name, a, body, UnaryOperator.identity());
  }

  @Override
  public <A, T> Task<T> fork(
      String name,
      Task<A> a,
      Body1<? super A, ? extends T> body,
      UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(body, Messages.NULL_BODY);
    TaskNode<A> na = dependency(a, "a");
    return fork(name, new TaskNode<?>[] {na}, () -> body.apply(na.value()), options);
  }

  @Override
  public <A, B, T> Task<T> fork(
      String name, Task<A> a, Task<B> b, Body2<? super A, ? super B, ? extends T> body) {
    return fork(name, a, b, body, UnaryOperator.identity());
  }

  @Override
  public <A, B, T> Task<T> fork(
      String name,
      Task<A> a,
      Task<B> b,
      Body2<? super A, ? super B, ? extends T> body,
      UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(body, Messages.NULL_BODY);
    TaskNode<A> na = dependency(a, "a");
    TaskNode<B> nb = dependency(b, "b");
    return fork(
        name, new TaskNode<?>[] {na, nb}, () -> body.apply(na.value(), nb.value()), options);
  }

  @Override
  public <A, B, C, T> Task<T> fork(
      String name,
      Task<A> a,
      Task<B> b,
      Task<C> c,
      Body3<? super A, ? super B, ? super C, ? extends T> body) {
    return fork(name, a, b, c, body, UnaryOperator.identity());
  }

  @Override
  public <A, B, C, T> Task<T> fork(
      String name,
      Task<A> a,
      Task<B> b,
      Task<C> c,
      Body3<? super A, ? super B, ? super C, ? extends T> body,
      UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(body, Messages.NULL_BODY);
    TaskNode<A> na = dependency(a, "a");
    TaskNode<B> nb = dependency(b, "b");
    TaskNode<C> nc = dependency(c, "c");
    return fork(
        name,
        new TaskNode<?>[] {na, nb, nc},
        () -> body.apply(na.value(), nb.value(), nc.value()),
        options);
  }

  @Override
  public <T> Task<T> fork(
      String name, List<? extends Task<?>> dependencies, Callable<? extends T> body) {
    return fork(name, dependencies, body, UnaryOperator.identity());
  }

  @Override
  public <T> Task<T> fork(
      String name,
      List<? extends Task<?>> dependencies,
      Callable<? extends T> body,
      UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(
        dependencies,
        "dependency list must not be null: pass the tasks this "
            + "task waits for, or use fork(name, body) for none");
    Objects.requireNonNull(body, Messages.NULL_BODY);
    TaskNode<?>[] deps = new TaskNode<?>[dependencies.size()];
    for (int i = 0; i < deps.length; i++) {
      Task<?> d = dependencies.get(i);
      if (d == null) {
        throw new NullPointerException(
            "dependency dependencies["
                + i
                + "] must not be null: "
                + "pass tasks forked in this scope, or leave it out of the list");
      }
      deps[i] = dependency(d, "dependencies"); // not null: checked above, naming the index
    }
    return fork(name, deps, body, options);
  }

  // --- the arguments of a fork, checked ---

  /** The options of task {@code taskName}: the name and options checked, the function applied. */
  static <T> TaskOptions<T> options(
      String taskName, String scopeName, UnaryOperator<TaskOptions<T>> options) {
    Objects.requireNonNull(
        taskName,
        "task name must not be null: name the task after what it "
            + "does, or use fork(body) for a generated name");
    Objects.requireNonNull(
        options,
        "task options function must not be null: pass one such as "
            + "o -> o.withTimeout(Duration.ofSeconds(1)), or fork without options");
    if (taskName.isBlank()) {
      throw new IllegalArgumentException(
          "task name must not be blank: it names the task's thread "
              + "and appears in every error; use fork(body) for a generated name");
    }
    TaskOptions<T> opts;
    try {
      opts = options.apply(TaskOptions.defaults());
    } catch (IllegalArgumentException | NullPointerException e) {
      String message = "task '" + taskName + "' of scope '" + scopeName + "': " + e.getMessage();
      RuntimeException named =
          e instanceof NullPointerException
              ? new NullPointerException(message)
              : new IllegalArgumentException(message);
      named.initCause(e);
      throw named;
    }
    if (opts == null) { // the message is built only then: a fork builds no string
      throw new NullPointerException(
          "options function returned null for task '"
              + taskName
              + "': return the options it is given, e.g. o -> o.withTimeout(Duration.ofSeconds(1))");
    }
    return opts;
  }

  /**
   * Why {@code task} cannot be a dependency in {@code scope}, which {@link #dependency} throws:
   * {@code task} is null or not a task of {@code scope}; {@code closed}: its own scope is closed.
   */
  static RuntimeException notADependency(
      ScopeImpl<?> scope, @Nullable Task<?> task, String argument, boolean closed) {
    if (task == null) {
      return new NullPointerException(
          "dependency "
              + argument
              + " must not be null: pass a task "
              + "forked in this scope, or use fork(name, body) for a task without dependencies");
    }
    String owning =
        !(task instanceof TaskNode<?> n)
            ? "no Weft scope"
            : "scope '" + n.scope.name + "'" + (closed ? ", which is closed" : "");
    return new IllegalArgumentException(
        "dependency '"
            + task.name()
            + "' belongs to "
            + owning
            + ", not to scope '"
            + scope.name
            + "': a task can only depend on tasks of its own "
            + "scope; pass the value instead, or fork both tasks in one scope");
  }
}
