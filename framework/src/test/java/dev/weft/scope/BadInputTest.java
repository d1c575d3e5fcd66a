package dev.weft.scope;

import static dev.weft.BadInputTable.inOther;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.BadInputTable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public method of the scope API with bad input (null, blank, zero, negative, huge) and in
 * the wrong thread or state: each row gives the exact exception, whose message names the argument
 * or rule and says the fix; huge durations saturate. The same rows are the table of docs/scopes.md,
 * "Errors and bad input" ({@link #docs_errorsSection_listsEveryRow}).
 *
 * <p>Names: scope {@code s}, task {@code t}, owner thread {@code owner}, another thread {@code
 * other}.
 */
class BadInputTest {
  private static final Callable<Integer> ONE = () -> 1;
  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
  // The deadline cap: Long.MAX_VALUE / 4 nanoseconds, about 73 years.
  private static final Duration CAP = Duration.ofNanos(Long.MAX_VALUE / 4);

  static final BadInputTable TABLE = table();

  static Stream<BadInputTable.Row> rows() {
    return TABLE.rows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  @Timeout(20)
  void row_throwsExactlyItsExceptionOrWorks(BadInputTable.Row row) throws Exception {
    row.check();
  }

  /** The document shows the table as it is checked here, row for row. */
  @Test
  @Timeout(10)
  void docs_errorsSection_listsEveryRow() throws IOException {
    TABLE.assertDocumentedIn("docs/scopes.md", "bad-input-scope");
  }

  /** A message is lower-case, has no trailing period, and says the fix after a colon. */
  @Test
  @Timeout(10)
  void messages_followTheHouseStyle() {
    for (BadInputTable.Row row : TABLE.rows()) {
      if (row.message() == null) {
        continue;
      }
      assertThat(row.message()).as(row.call()).doesNotEndWith(".").contains(": ");
      assertThat(Character.isLowerCase(row.message().charAt(0))).as(row.call()).isTrue();
    }
  }

  /** A config function that throws is not wrapped: the message is the config method's own. */
  @Test
  @Timeout(10)
  void open_configFunctionThrows_exceptionPassesUnchanged() {
    IllegalStateException mine = new IllegalStateException("mine");
    assertThatThrownBy(
            () ->
                Scope.open(
                    "s",
                    c -> {
                      throw mine;
                    }))
        .isSameAs(mine);
  }

  // --- the table ---

  private static BadInputTable table() {
    BadInputTable t = BadInputTable.create();

    t.group("**Opening a scope** (`Scope.open` and `ScopeConfig`)");
    t.rejects(
        "`Scope.open(null)`",
        NullPointerException.class,
        "scope name must not be null: name scopes after what they do, e.g. Scope.open(\"checkout\")",
        () -> Scope.open(null),
        () -> Scope.open(null, c -> c),
        () -> Scope.open(null, Policy.collectAll()),
        () -> Scope.open(null, Policy.collectAll(), c -> c));
    t.rejects(
        "`Scope.open(\"\")`, `Scope.open(\" \")`",
        IllegalArgumentException.class,
        "scope name must not be blank: name scopes after what they do, e.g. Scope.open(\"checkout\")",
        () -> Scope.open(""),
        () -> Scope.open(" "),
        () -> Scope.open("\t", Policy.collectAll(), c -> c));
    t.rejects(
        "`Scope.open(\"s\", (Policy<Void>) null)`",
        NullPointerException.class,
        "scope policy must not be null: pass a new policy, e.g. Policy.collectAll(), or omit it for fail-fast",
        () -> Scope.open("s", (Policy<Void>) null),
        () -> Scope.open("s", (Policy<Void>) null, c -> c));
    t.rejects(
        "`Scope.open(\"s\", p)` with a policy `p` another scope used",
        IllegalArgumentException.class,
        "policy fail-fast is already used by another scope: a policy instance keeps the state of one "
            + "scope; create a new policy for each scope, e.g. Scope.open(\"s\", Policy.firstSuccess())",
        () -> {
          Policy<Void> p = Policy.failFast();
          try (var first = Scope.open("first", p)) {
            first.join();
          }
          Scope.open("s", p);
        });
    t.rejects(
        "`Scope.open(\"s\", (UnaryOperator<ScopeConfig>) null)`",
        NullPointerException.class,
        "scope config function must not be null: pass one such as c -> c.withTimeout(Duration.ofSeconds(1)), "
            + "or open the scope without it",
        () -> Scope.open("s", (UnaryOperator<ScopeConfig>) null),
        () -> Scope.open("s", Policy.collectAll(), null));
    t.rejects(
        "`Scope.open(\"s\", c -> null)`",
        NullPointerException.class,
        "scope config function returned null: return the config it is given, e.g. c -> c.withMaxConcurrency(8)",
        () -> Scope.open("s", c -> null));
    t.rejects(
        "`c -> c.withTimeout(null)`",
        NullPointerException.class,
        "scope timeout must not be null: omit withTimeout for no deadline",
        () -> Scope.open("s", c -> c.withTimeout(null)));
    t.rejects(
        "`c -> c.withTimeout(Duration.ZERO)`",
        IllegalArgumentException.class,
        "scope timeout must be positive, was PT0S: omit withTimeout for no deadline",
        () -> Scope.open("s", c -> c.withTimeout(Duration.ZERO)));
    t.rejects(
        "`c -> c.withTimeout(Duration.ofMillis(-5))`",
        IllegalArgumentException.class,
        "scope timeout must be positive, was PT-0.005S: omit withTimeout for no deadline",
        () -> Scope.open("s", c -> c.withTimeout(Duration.ofMillis(-5))));
    t.works(
        "`c -> c.withTimeout(Duration.ofSeconds(Long.MAX_VALUE))`, "
            + "`c -> c.withTimeout(ChronoUnit.FOREVER.getDuration())`",
        "works: the deadline saturates at about 73 years (`Long.MAX_VALUE / 4` ns); "
            + "`Scope.remainingTime()` says so",
        () -> assertRemainingAboutCap(c -> c.withTimeout(HUGE)),
        () -> assertRemainingAboutCap(c -> c.withTimeout(FOREVER)));
    t.rejects(
        "`c -> c.withDeadline(null)`",
        NullPointerException.class,
        "scope deadline must not be null: omit withDeadline for no deadline",
        () -> Scope.open("s", c -> c.withDeadline(null)));
    t.works(
        "`c -> c.withDeadline(Instant.MAX)`",
        "works: as `withTimeout(Duration.ofSeconds(Long.MAX_VALUE))`",
        () -> assertRemainingAboutCap(c -> c.withDeadline(Instant.MAX)));
    t.rejects(
        "`c -> c.withDeadline(Instant.MIN)`, then `s.fork(\"t\", body)`, `s.join()`",
        DeadlineExceededException.class,
        "scope 's' missed its deadline (it had already passed when the scope opened): "
            + "1 task did not finish and was cancelled: 't'",
        "(from `join()`: a deadline in the past cancels each task as it is forked)",
        () -> {
          try (var s = Scope.open("s", c -> c.withDeadline(Instant.MIN))) {
            s.fork("t", ONE);
            s.join();
          }
        });
    t.rejects(
        "`c -> c.withMaxConcurrency(0)`",
        IllegalArgumentException.class,
        "maxConcurrency must be at least 1, was 0: omit withMaxConcurrency for no limit",
        () -> Scope.open("s", c -> c.withMaxConcurrency(0)));
    t.rejects(
        "`c -> c.withMaxConcurrency(-1)`",
        IllegalArgumentException.class,
        "maxConcurrency must be at least 1, was -1: omit withMaxConcurrency for no limit",
        () -> Scope.open("s", c -> c.withMaxConcurrency(-1)));
    t.rejects(
        "`c -> c.withMaxConcurrency(Integer.MIN_VALUE)`",
        IllegalArgumentException.class,
        "maxConcurrency must be at least 1, was -2147483648: omit withMaxConcurrency for no limit",
        () -> Scope.open("s", c -> c.withMaxConcurrency(Integer.MIN_VALUE)));
    t.works(
        "`c -> c.withMaxConcurrency(Integer.MAX_VALUE)`",
        "works: no practical limit",
        () -> {
          try (var s = Scope.open("s", c -> c.withMaxConcurrency(Integer.MAX_VALUE))) {
            Task<Integer> a = s.fork("a", ONE);
            Task<Integer> b = s.fork("b", ONE);
            s.join();
            assertThat(a.get() + b.get()).isEqualTo(2);
          }
        });
    t.rejects(
        "`c -> c.withThreadFactory(null)`",
        NullPointerException.class,
        "thread factory must not be null: omit withThreadFactory for virtual threads",
        () -> Scope.open("s", c -> c.withThreadFactory(null)));
    t.rejects(
        "`c -> c.withThreadFactory(r -> null)`, then `s.fork(\"t\", body)`, `s.join()`",
        TaskFailedException.class,
        "task 't' failed in scope 's': java.lang.NullPointerException: thread factory returned null for "
            + "task 't': the thread factory must return a new, unstarted thread that runs the Runnable it is given",
        "(from `join()`: the task fails)",
        () -> {
          try (var s = Scope.open("s", c -> c.withThreadFactory(r -> null))) {
            s.fork("t", ONE);
            s.join();
          }
        });
    t.rejects(
        "`c -> c.withThreadFactory(r -> used)`, `used` a thread that has run, then `s.fork(\"t\", body)`, "
            + "`s.join()`",
        TaskFailedException.class,
        "task 't' failed in scope 's': java.lang.IllegalThreadStateException: thread factory returned thread "
            + "'used' for task 't', which is TERMINATED: the thread factory must return a new, unstarted "
            + "thread that runs the Runnable it is given",
        "(from `join()`: the task fails)",
        () -> {
          Thread used = Thread.ofPlatform().name("used").start(() -> {});
          used.join();
          try (var s = Scope.open("s", c -> c.withThreadFactory(r -> used))) {
            s.fork("t", ONE);
            s.join();
          }
        });
    t.rejects(
        "`c -> c.withCancelGracePeriod(null)`",
        NullPointerException.class,
        "cancel grace period must not be null: omit withCancelGracePeriod for the default of 5 seconds",
        () -> Scope.open("s", c -> c.withCancelGracePeriod(null)));
    t.rejects(
        "`c -> c.withCancelGracePeriod(Duration.ZERO)`",
        IllegalArgumentException.class,
        "cancel grace period must be positive, was PT0S: omit withCancelGracePeriod for the default of 5 seconds",
        () -> Scope.open("s", c -> c.withCancelGracePeriod(Duration.ZERO)));
    t.rejects(
        "`c -> c.withCancelGracePeriod(Duration.ofSeconds(-1))`",
        IllegalArgumentException.class,
        "cancel grace period must be positive, was PT-1S: omit withCancelGracePeriod for the default of 5 seconds",
        () -> Scope.open("s", c -> c.withCancelGracePeriod(Duration.ofSeconds(-1))));
    t.works(
        "`c -> c.withCancelGracePeriod(Duration.ofSeconds(Long.MAX_VALUE))`, "
            + "`c -> c.withCancelGracePeriod(ChronoUnit.FOREVER.getDuration())`",
        "works: saturates; `close()` never warns",
        () -> closesAfterCancel(c -> c.withCancelGracePeriod(HUGE)),
        () -> closesAfterCancel(c -> c.withCancelGracePeriod(FOREVER)));

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

    t.group("**Joining, cancelling, closing**");
    t.rejects(
        "`s.join()` from another thread",
        WrongThreadException.class,
        "scope 's' is owned by thread 'owner', not 'other': only the thread that opened a scope may fork, "
            + "join or close it",
        inScope(s -> inOther(s::join)));
    t.rejects(
        "`s.join()` twice",
        IllegalStateException.class,
        "join() was already called on scope 's': call it once, or open a new scope for another round of tasks",
        inScope(
            s -> {
              s.join();
              s.join();
            }));
    t.rejects(
        "`s.join()` after `s.close()`",
        IllegalStateException.class,
        "scope 's' is closed: call join() inside its try-with-resources block, before it ends",
        () -> closed().join());
    t.rejects(
        "`s.close()` from another thread",
        WrongThreadException.class,
        "scope 's' is owned by thread 'owner', not 'other': only the thread that opened a scope may fork, "
            + "join or close it",
        inScope(s -> inOther(s::close)));
    t.works(
        "`s.close()` twice", "works: calls after the first have no effect", () -> closed().close());
    t.works(
        "`s.cancel()` twice, after `join()` or after `close()`; from any thread",
        "works: calls after the first have no effect",
        inScope(
            s -> {
              s.cancel();
              inOther(s::cancel);
              assertThatThrownBy(s::join).isInstanceOf(CancellationException.class);
              s.cancel();
            }),
        () -> closed().cancel());
    t.works(
        "`s.tasks()`, `s.isCancelled()`, `s.name()` from any thread, after `close()`",
        "works: any thread may call them",
        () -> {
          Scope<Void> s = closed();
          inOther(() -> assertThat(s.tasks()).isEmpty());
          assertThat(s.isCancelled()).isFalse();
          assertThat(s.name()).isEqualTo("s");
        });
    t.rejects(
        "end the block without `join()` after forking",
        IllegalStateException.class,
        "scope 's' was closed without join(): call scope.join() before the end of the block to wait for its "
            + "1 task and see their failures",
        "(failures attached as suppressed)",
        inScope(s -> s.fork("t", ONE)));
    t.rejects(
        "`outer.close()` while `inner`, opened after it, is open",
        IllegalStateException.class,
        "scope 'outer' was closed while nested scope 'inner' was still open; it was closed first: close scopes "
            + "in reverse order of opening (use try-with-resources)",
        () -> {
          Scope<Void> outer = Scope.open("outer");
          Scope.open("inner");
          outer.close();
        });
    t.rejects(
        "a task body that returns with scope `inner` still open",
        TaskFailedException.class,
        "task 't' failed in scope 's': java.lang.IllegalStateException: task 't' ended with scope 'inner' "
            + "still open; it was cancelled and closed: open nested scopes with try-with-resources",
        "(from `join()`)",
        inScope(
            s -> {
              s.fork("t", () -> Scope.open("inner"));
              s.join();
            }));

    t.group("**Reading results** (`Task`)");
    t.rejects(
        "`t.get()` in the owner before `join()`",
        IllegalStateException.class,
        "result of task 't' read before join(): call scope.join() first, or pass the task as a dependency to "
            + "the task that needs it",
        inScope(
            s -> {
              Task<Integer> task = s.fork("t", ONE);
              try {
                task.get();
              } finally {
                s.join();
              }
            }));
    t.rejects(
        "`t.get()` in another thread, before `t` ended",
        IllegalStateException.class,
        "task 't' of scope 's' has not ended: read results after scope.join(), or declare the task as a "
            + "dependency: scope.fork(name, task, value -> ...)",
        whileRunning(task -> inOther(task::get)));
    t.rejects(
        "`t.exception()` before `t` ended",
        IllegalStateException.class,
        "task 't' of scope 's' has not ended: read its exception after scope.join()",
        whileRunning(task -> task.exception()));
    t.rejects(
        "`t.get()` after `t` failed",
        IllegalStateException.class,
        "task 't' did not succeed (FAILED: java.io.IOException: down): check state() before get(), "
            + "or read exception()",
        "(cause: the failure)",
        afterJoin(
            Policy.collectAll(),
            s ->
                s.fork(
                    "t",
                    () -> {
                      throw new IOException("down");
                    }),
            Task::get));
    t.rejects(
        "`t.get()` after `t` was cancelled",
        IllegalStateException.class,
        "task 't' did not succeed (CANCELLED: java.util.concurrent.CancellationException: task 't' cancelled: "
            + "scope 's' was cancelled by cancel() in thread 'owner'): check state() before get(), or read exception()",
        inScope(
            s -> {
              Task<Integer> task =
                  s.fork(
                      "t",
                      () -> {
                        new CountDownLatch(1).await(); // until the cancel interrupts it
                        return 1;
                      });
              s.cancel();
              assertThatThrownBy(s::join).isInstanceOf(CancellationException.class);
              task.get();
            }));
    t.rejects(
        "`t.get()` after `t` was skipped",
        IllegalStateException.class,
        "task 't' did not succeed (SKIPPED: dev.weft.scope.TaskSkippedException: task 't' skipped: dependency "
            + "'a' failed: java.io.IOException: down): check state() before get(), or read exception()",
        afterJoin(
            Policy.collectAll(),
            s -> {
              Task<Integer> a =
                  s.fork(
                      "a",
                      () -> {
                        throw new IOException("down");
                      });
              return s.fork("t", a, x -> x);
            },
            Task::get));
    t.rejects(
        "`t.exception()` after `t` succeeded",
        IllegalStateException.class,
        "task 't' succeeded and has no exception: read its result with get()",
        afterJoin(Policy.failFast(), s -> s.fork("t", ONE), Task::exception));
    t.rejects(
        "`t.exception()` after `t` succeeded through its fallback",
        IllegalStateException.class,
        "task 't' succeeded and has no exception: see recoveredFrom() for the failure its fallback replaced",
        afterJoin(
            Policy.failFast(),
            s ->
                s.fork(
                    "t",
                    () -> {
                      throw new IOException("down");
                    },
                    o -> o.withFallbackValue(0)),
            Task::exception));

    t.group("**Policies and `Scope.remainingTime()`**");
    t.rejects(
        "`Policy.quorum(0)`",
        IllegalArgumentException.class,
        "quorum k must be at least 1, was 0: k is how many tasks must succeed; for one, use Policy.firstSuccess()",
        () -> Policy.quorum(0));
    t.rejects(
        "`Policy.quorum(-1)`",
        IllegalArgumentException.class,
        "quorum k must be at least 1, was -1: k is how many tasks must succeed; for one, use Policy.firstSuccess()",
        () -> Policy.quorum(-1));
    t.rejects(
        "`Policy.quorum(Integer.MIN_VALUE)`",
        IllegalArgumentException.class,
        "quorum k must be at least 1, was -2147483648: k is how many tasks must succeed; for one, "
            + "use Policy.firstSuccess()",
        () -> Policy.quorum(Integer.MIN_VALUE));
    t.rejects(
        "`Policy.quorum(2)` scope with one task, `s.join()`",
        IllegalStateException.class,
        "quorum of 2 cannot be reached in scope 's': only 1 task was forked: fork at least 2 tasks before join()",
        () -> {
          try (var s = Scope.open("s", Policy.<Integer>quorum(2))) {
            s.fork("t", ONE);
            s.join();
          }
        });
    t.rejects(
        "`Policy.quorum(Integer.MAX_VALUE)` scope with one task, `s.join()`",
        IllegalStateException.class,
        "quorum of 2147483647 cannot be reached in scope 's': only 1 task was forked: fork at least 2147483647 "
            + "tasks before join()",
        () -> {
          try (var s = Scope.open("s", Policy.<Integer>quorum(Integer.MAX_VALUE))) {
            s.fork("t", ONE);
            s.join();
          }
        });
    t.rejects(
        "`Policy.firstSuccess()` scope with no task, `s.join()`",
        IllegalStateException.class,
        "first-success scope 's' had no task that succeeded or failed (0 forked): fork at least one task "
            + "before join()",
        () -> {
          try (var s = Scope.open("s", Policy.<Integer>firstSuccess())) {
            s.join();
          }
        });
    t.works(
        "`Scope.remainingTime()` outside any scope, or in a scope without deadline",
        "works: `Optional.empty()`",
        () -> assertThat(Scope.remainingTime()).isEmpty(),
        inScope(s -> assertThat(Scope.remainingTime()).isEmpty()));
    t.works(
        "`Scope.remainingTime()` after the deadline",
        "works: `PT0S`, never negative",
        () -> {
          try (var s = Scope.open("s", c -> c.withDeadline(Instant.MIN))) {
            assertThat(Scope.remainingTime()).hasValue(Duration.ZERO);
            s.join();
          }
        });
    return t;
  }

  // --- helpers ---

  /** Opens scope {@code s}, runs {@code body} in it, closes it. */
  private static BadInputTable.Action inScope(ScopeBody body) {
    return () -> {
      try (var s = Scope.open("s")) {
        body.run(s);
      }
    };
  }

  @FunctionalInterface
  interface ScopeBody {
    void run(Scope<Void> s) throws Throwable;
  }

  @FunctionalInterface
  interface TaskBody {
    void run(Task<Integer> t) throws Throwable;
  }

  /** A scope {@code s} that was joined and closed. */
  private static Scope<Void> closed() throws InterruptedException {
    Scope<Void> s = Scope.open("s");
    s.join();
    s.close();
    return s;
  }

  /** Runs {@code body} with task {@code t} of scope {@code s} while {@code t} is running. */
  private static BadInputTable.Action whileRunning(TaskBody body) {
    return inScope(
        s -> {
          CountDownLatch release = new CountDownLatch(1);
          Task<Integer> task =
              s.fork(
                  "t",
                  () -> {
                    release.await();
                    return 1;
                  });
          try {
            body.run(task);
          } finally {
            release.countDown();
            s.join();
          }
        });
  }

  /**
   * Forks with {@code fork} in scope {@code s}, joins (ignoring failures), then runs {@code body}.
   */
  private static BadInputTable.Action afterJoin(
      Policy<?> policy, java.util.function.Function<Scope<?>, Task<Integer>> fork, TaskBody body) {
    return () -> {
      Task<Integer> task;
      try (var s = Scope.open("s", policy)) {
        task = fork.apply(s);
        try {
          s.join();
        } catch (TaskFailedException expected) {
          // the table row is about the handle
        }
      }
      body.run(task);
    };
  }

  /** The same bad name given to every overload that takes a name. */
  private static BadInputTable.Action[] forEachOverload(String name) {
    return new BadInputTable.Action[] {
      inScope(s -> s.fork(name, ONE)),
      inScope(s -> s.fork(name, ONE, o -> o)),
      inScope(s -> s.fork(name, s.fork("a", ONE), x -> x)),
      inScope(s -> s.fork(name, s.fork("a", ONE), x -> x, o -> o)),
      inScope(s -> s.fork(name, s.fork("a", ONE), s.fork("b", ONE), (x, y) -> x)),
      inScope(s -> s.fork(name, s.fork("a", ONE), s.fork("b", ONE), (x, y) -> x, o -> o)),
      inScope(
          s -> s.fork(name, s.fork("a", ONE), s.fork("b", ONE), s.fork("c", ONE), (x, y, z) -> x)),
      inScope(
          s ->
              s.fork(
                  name,
                  s.fork("a", ONE),
                  s.fork("b", ONE),
                  s.fork("c", ONE),
                  (x, y, z) -> x,
                  o -> o)),
      inScope(s -> s.fork(name, List.of(s.fork("a", ONE)), ONE)),
      inScope(s -> s.fork(name, List.of(s.fork("a", ONE)), ONE, o -> o)),
    };
  }

  /** Task {@code t} forked by every overload that takes options, with {@code options}. */
  private static BadInputTable.Action[] forEachOptionsOverload(
      UnaryOperator<TaskOptions<Integer>> options) {
    return new BadInputTable.Action[] {
      inScope(s -> s.fork("t", ONE, options)),
      inScope(s -> s.fork("t", s.fork("a", ONE), x -> x, options)),
      inScope(s -> s.fork("t", s.fork("a", ONE), s.fork("b", ONE), (x, y) -> x, options)),
      inScope(
          s ->
              s.fork(
                  "t",
                  s.fork("a", ONE),
                  s.fork("b", ONE),
                  s.fork("c", ONE),
                  (x, y, z) -> x,
                  options)),
      inScope(s -> s.fork("t", List.of(s.fork("a", ONE)), ONE, options)),
    };
  }

  private static BadInputTable.Action[] concat(BadInputTable.Action[] x, BadInputTable.Action[] y) {
    return Stream.concat(Arrays.stream(x), Arrays.stream(y)).toArray(BadInputTable.Action[]::new);
  }

  /** Opens a scope with {@code config} and checks that its remaining time is about the cap. */
  private static void assertRemainingAboutCap(UnaryOperator<ScopeConfig> config) throws Exception {
    try (var s = Scope.open("s", config)) {
      Optional<Duration> left = Scope.remainingTime();
      assertThat(left).isPresent();
      assertThat(left.get()).isBetween(CAP.minusMinutes(1), CAP);
      Task<Duration> inTask = s.fork("t", () -> Scope.remainingTime().orElseThrow());
      s.join();
      assertThat(inTask.get()).isBetween(CAP.minusMinutes(1), CAP);
      assertThat(s.isCancelled()).isFalse();
    }
  }

  /** Opens a scope with {@code config}, cancels a running task, and closes. */
  private static void closesAfterCancel(UnaryOperator<ScopeConfig> config) throws Exception {
    try (var s = Scope.open("s", config)) {
      CountDownLatch started = new CountDownLatch(1);
      s.fork(
          "t",
          () -> {
            started.countDown();
            new CountDownLatch(1).await(); // blocks until the cancel interrupts it
            return 1;
          });
      started.await();
      s.cancel();
      assertThatThrownBy(s::join).isInstanceOf(CancellationException.class);
    }
  }

  /** A policy whose onFork forks. */
  static final class ForkingPolicy implements Policy<Void> {
    final AtomicReference<Scope<Void>> scope = new AtomicReference<>();

    @Override
    public void onFork(Task<?> task) {
      scope.get().fork("u", ONE);
    }

    @Override
    public boolean onComplete(Task<?> task) {
      return false;
    }

    @Override
    public Void result(Scope<Void> s) {
      return null;
    }

    @Override
    public String toString() {
      return "forking";
    }
  }

  /** A Task that no Weft scope made. */
  static final class ForeignTask implements Task<Integer> {
    @Override
    public String name() {
      return "a";
    }

    @Override
    public State state() {
      return State.SUCCEEDED;
    }

    @Override
    public Integer get() {
      return 1;
    }

    @Override
    public Throwable exception() {
      throw new IllegalStateException("succeeded");
    }

    @Override
    public Optional<Throwable> recoveredFrom() {
      return Optional.empty();
    }
  }
}
