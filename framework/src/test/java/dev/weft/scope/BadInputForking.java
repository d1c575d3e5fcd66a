package dev.weft.scope;

import static dev.weft.BadInputTable.inOther;
import static dev.weft.scope.BadInputActions.FOREVER;
import static dev.weft.scope.BadInputActions.ForeignTask;
import static dev.weft.scope.BadInputActions.ForkingPolicy;
import static dev.weft.scope.BadInputActions.HUGE;
import static dev.weft.scope.BadInputActions.ONE;
import static dev.weft.scope.BadInputActions.closed;
import static dev.weft.scope.BadInputActions.concat;
import static dev.weft.scope.BadInputActions.forEachOptionsOverload;
import static dev.weft.scope.BadInputActions.forEachOverload;
import static dev.weft.scope.BadInputActions.inScope;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.BadInputTable;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** Rows of {@link BadInputTest}: every {@code fork} overload. */
final class BadInputForking {
  private BadInputForking() {}

  static void addTo(BadInputTable t) {
    t.group("**Forking** (every `fork` overload)");
    t.rejects(
        "`s.fork(null, body)`, and every overload with a name",
        NullPointerException.class,
        "task name must not be null: name the task after what it does, or use fork(body) for a generated name",
        forEachOverload(null));
    t.rejects(
        "`s.fork(\"\", body)`, `s.fork(\" \", body)`, and every overload with a name",
        IllegalArgumentException.class,
        "task name must not be blank: it names the task's thread and appears in every error; "
            + "use fork(body) for a generated name",
        concat(forEachOverload(""), forEachOverload(" ")));
    t.rejects(
        "`s.fork(\"t\", body)` when `t` exists",
        IllegalArgumentException.class,
        "task name 't' is already used in scope 's': give each task of a scope a unique name",
        inScope(
            s -> {
              s.fork("t", ONE);
              s.fork("t", ONE);
            }),
        inScope(
            s -> {
              Task<Integer> a = s.fork("a", ONE);
              s.fork("t", ONE);
              s.fork("t", a, x -> x);
            }));
    t.rejects(
        "`s.fork(\"t\", (Callable<T>) null)`, `s.fork(null)`, and every overload's body",
        NullPointerException.class,
        "task body must not be null: pass the code the task runs",
        inScope(s -> s.fork("t", (Callable<Integer>) null)),
        inScope(s -> s.fork("t", (Callable<Integer>) null, o -> o)),
        inScope(s -> s.fork((Callable<Integer>) null)),
        inScope(s -> s.fork("t", s.fork("a", ONE), (Scope.Body1<Integer, Integer>) null)),
        inScope(s -> s.fork("t", s.fork("a", ONE), (Scope.Body1<Integer, Integer>) null, o -> o)),
        inScope(
            s ->
                s.fork(
                    "t",
                    s.fork("a", ONE),
                    s.fork("b", ONE),
                    (Scope.Body2<Integer, Integer, Integer>) null)),
        inScope(
            s ->
                s.fork(
                    "t",
                    s.fork("a", ONE),
                    s.fork("b", ONE),
                    (Scope.Body2<Integer, Integer, Integer>) null,
                    o -> o)),
        inScope(
            s ->
                s.fork(
                    "t",
                    s.fork("a", ONE),
                    s.fork("b", ONE),
                    s.fork("c", ONE),
                    (Scope.Body3<Integer, Integer, Integer, Integer>) null)),
        inScope(
            s ->
                s.fork(
                    "t",
                    s.fork("a", ONE),
                    s.fork("b", ONE),
                    s.fork("c", ONE),
                    (Scope.Body3<Integer, Integer, Integer, Integer>) null,
                    o -> o)),
        inScope(s -> s.fork("t", List.of(s.fork("a", ONE)), (Callable<Integer>) null)),
        inScope(s -> s.fork("t", List.of(s.fork("a", ONE)), (Callable<Integer>) null, o -> o)));
    t.rejects(
        "`s.fork(\"t\", null, x -> x)`",
        NullPointerException.class,
        "dependency a must not be null: pass a task forked in this scope, or use fork(name, body) for a task "
            + "without dependencies",
        inScope(s -> s.fork("t", (Task<Integer>) null, x -> x)),
        inScope(s -> s.fork("t", (Task<Integer>) null, x -> x, o -> o)),
        inScope(s -> s.fork("t", (Task<Integer>) null, s.fork("b", ONE), (x, y) -> x)),
        inScope(
            s ->
                s.fork(
                    "t",
                    (Task<Integer>) null,
                    s.fork("b", ONE),
                    s.fork("c", ONE),
                    (x, y, z) -> x)));
    t.rejects(
        "`s.fork(\"t\", a, null, (x, y) -> x)`",
        NullPointerException.class,
        "dependency b must not be null: pass a task forked in this scope, or use fork(name, body) for a task "
            + "without dependencies",
        inScope(s -> s.fork("t", s.fork("a", ONE), (Task<Integer>) null, (x, y) -> x, o -> o)),
        inScope(
            s ->
                s.fork(
                    "t",
                    s.fork("a", ONE),
                    (Task<Integer>) null,
                    s.fork("c", ONE),
                    (x, y, z) -> x)));
    t.rejects(
        "`s.fork(\"t\", a, b, null, (x, y, z) -> x)`",
        NullPointerException.class,
        "dependency c must not be null: pass a task forked in this scope, or use fork(name, body) for a task "
            + "without dependencies",
        inScope(
            s ->
                s.fork(
                    "t",
                    s.fork("a", ONE),
                    s.fork("b", ONE),
                    (Task<Integer>) null,
                    (x, y, z) -> x)));
    t.rejects(
        "`s.fork(\"t\", (List<Task<?>>) null, body)`",
        NullPointerException.class,
        "dependency list must not be null: pass the tasks this task waits for, or use fork(name, body) for none",
        inScope(s -> s.fork("t", (List<Task<?>>) null, ONE)),
        inScope(s -> s.fork("t", (List<Task<?>>) null, ONE, o -> o)));
    t.rejects(
        "`s.fork(\"t\", Arrays.asList(a, null), body)`",
        NullPointerException.class,
        "dependency dependencies[1] must not be null: pass tasks forked in this scope, or leave it out of the list",
        inScope(s -> s.fork("t", Arrays.asList(s.fork("a", ONE), null), ONE)));
    t.works(
        "`s.fork(\"t\", List.of(), body)`",
        "works: a task without dependencies",
        inScope(
            s -> {
              Task<Integer> task = s.fork("t", List.of(), ONE);
              s.join();
              assertThat(task.get()).isEqualTo(1);
            }));
    t.rejects(
        "a dependency `a` from scope `outer`, in `s`",
        IllegalArgumentException.class,
        "dependency 'a' belongs to scope 'outer', not to scope 's': a task can only depend on tasks of its "
            + "own scope; pass the value instead, or fork both tasks in one scope",
        () -> {
          try (var outer = Scope.open("outer")) {
            Task<Integer> a = outer.fork("a", ONE);
            try {
              inScope(s -> s.fork("t", a, x -> x)).run();
            } finally {
              outer.join();
            }
          }
        });
    t.rejects(
        "a dependency `a` from scope `old`, closed",
        IllegalArgumentException.class,
        "dependency 'a' belongs to scope 'old', which is closed, not to scope 's': a task can only depend "
            + "on tasks of its own scope; pass the value instead, or fork both tasks in one scope",
        () -> {
          Task<Integer> a;
          try (var old = Scope.open("old")) {
            a = old.fork("a", ONE);
            old.join();
          }
          inScope(s -> s.fork("t", List.of(a), ONE)).run();
        });
    t.rejects(
        "a dependency `a` that is not a Weft task",
        IllegalArgumentException.class,
        "dependency 'a' belongs to no Weft scope, not to scope 's': a task can only depend on tasks of its "
            + "own scope; pass the value instead, or fork both tasks in one scope",
        inScope(s -> s.fork("t", new ForeignTask(), x -> x)));
    t.rejects(
        "`s.fork(\"t\", body, null)`, and every overload's options",
        NullPointerException.class,
        "task options function must not be null: pass one such as o -> o.withTimeout(Duration.ofSeconds(1)), "
            + "or fork without options",
        forEachOptionsOverload(null));
    t.rejects(
        "`s.fork(\"t\", body, o -> null)`",
        NullPointerException.class,
        "options function returned null for task 't': return the options it is given, "
            + "e.g. o -> o.withTimeout(Duration.ofSeconds(1))",
        forEachOptionsOverload(o -> null));
    t.rejects(
        "`s.fork(\"t\", body, o -> o.withTimeout(null))`",
        NullPointerException.class,
        "task 't' of scope 's': task timeout must not be null: omit withTimeout for no timeout",
        forEachOptionsOverload(o -> o.withTimeout(null)));
    t.rejects(
        "`s.fork(\"t\", body, o -> o.withTimeout(Duration.ZERO))`",
        IllegalArgumentException.class,
        "task 't' of scope 's': task timeout must be positive, was PT0S: omit withTimeout for no timeout",
        forEachOptionsOverload(o -> o.withTimeout(Duration.ZERO)));
    t.rejects(
        "`s.fork(\"t\", body, o -> o.withTimeout(Duration.ofMillis(-5)))`",
        IllegalArgumentException.class,
        "task 't' of scope 's': task timeout must be positive, was PT-0.005S: omit withTimeout for no timeout",
        forEachOptionsOverload(o -> o.withTimeout(Duration.ofMillis(-5))));
    t.works(
        "`o -> o.withTimeout(Duration.ofSeconds(Long.MAX_VALUE))`, "
            + "`o -> o.withTimeout(ChronoUnit.FOREVER.getDuration())`",
        "works: saturates; the task never times out",
        inScope(
            s -> {
              Task<Integer> a = s.fork("a", ONE, o -> o.withTimeout(HUGE));
              Task<Integer> b = s.fork("b", ONE, o -> o.withTimeout(FOREVER));
              s.join();
              assertThat(a.get() + b.get()).isEqualTo(2);
            }));
    t.rejects(
        "`s.fork(\"t\", body, o -> o.withFallback(null))`",
        NullPointerException.class,
        "task 't' of scope 's': task fallback must not be null: pass a function from the failure to a value, "
            + "or use withFallbackValue(value)",
        forEachOptionsOverload(o -> o.withFallback(null)));
    t.works(
        "`s.fork(\"t\", body, o -> o.withFallbackValue(null))`",
        "works: `null` is the fallback value",
        inScope(
            s -> {
              Task<Integer> task =
                  s.fork(
                      "t",
                      () -> {
                        throw new IOException("down");
                      },
                      o -> o.withFallbackValue(null));
              s.join();
              assertThat(task.get()).isNull();
            }));
    t.rejects(
        "`TaskOptions.defaults().withTimeout(Duration.ZERO)` (outside `fork`)",
        IllegalArgumentException.class,
        "task timeout must be positive, was PT0S: omit withTimeout for no timeout",
        () -> TaskOptions.defaults().withTimeout(Duration.ZERO));
    t.rejects(
        "`fork` from another thread, any overload",
        WrongThreadException.class,
        "scope 's' is owned by thread 'owner', not 'other': only the thread that opened a scope may fork, "
            + "join or close it",
        inScope(s -> inOther(() -> s.fork("t", ONE))),
        inScope(s -> inOther(() -> s.fork(ONE))),
        inScope(
            s -> {
              Task<Integer> a = s.fork("a", ONE);
              inOther(() -> s.fork("t", a, x -> x));
            }));
    t.rejects(
        "`s.fork(...)` inside a task of `s`",
        WrongThreadException.class,
        "scope 's' is owned by thread 'owner', not 's/t': only the thread that opened a scope may fork, "
            + "join or close it",
        "(open a nested scope in the task instead)",
        inScope(
            s -> {
              Task<Throwable> task =
                  s.fork(
                      "t",
                      () -> {
                        try {
                          s.fork("u", ONE);
                          return null;
                        } catch (WrongThreadException e) {
                          return e;
                        }
                      });
              s.join();
              throw task.get();
            }));
    t.rejects(
        "`s.fork(...)` after `s.join()`",
        IllegalStateException.class,
        "scope 's' was already joined: fork every task before join(), or open a new scope for another round of tasks",
        inScope(
            s -> {
              s.join();
              s.fork("t", ONE);
            }),
        inScope(
            s -> {
              s.join();
              s.fork(ONE);
            }));
    t.rejects(
        "`s.fork(...)` after `s.close()`",
        IllegalStateException.class,
        "scope 's' is closed: fork tasks inside its try-with-resources block",
        () -> closed().fork("t", ONE),
        () -> closed().fork(ONE));
    t.rejects(
        "`s.fork(...)` in a policy callback (here `onFork`)",
        IllegalStateException.class,
        "fork() was called from a callback of policy forking in scope 's': a policy decides when the scope is "
            + "done, it does not fork; fork every task from the scope's block, before join()",
        "(from `join()`, which throws what the policy threw)",
        () -> {
          ForkingPolicy policy = new ForkingPolicy();
          try (var s = Scope.open("s", policy)) {
            policy.scope.set(s);
            s.fork("t", ONE);
            s.join();
          }
        });
  }
}
