package dev.weft.scope;

import static dev.weft.scope.BadInputActions.FOREVER;
import static dev.weft.scope.BadInputActions.HUGE;
import static dev.weft.scope.BadInputActions.ONE;
import static dev.weft.scope.BadInputActions.assertRemainingAboutCap;
import static dev.weft.scope.BadInputActions.closesAfterCancel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.BadInputTable;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** Rows of {@link BadInputTest}: opening a scope ({@code Scope.open}, {@code ScopeConfig}). */
final class BadInputOpening {
  private BadInputOpening() {}

  static void addTo(BadInputTable t) {
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
  }
}
