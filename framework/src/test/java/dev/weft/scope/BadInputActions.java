package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.BadInputTable;
import java.time.Duration;
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

/** The actions, fixtures and constants the rows of {@link BadInputTest} are built from. */
final class BadInputActions {
  static final Callable<Integer> ONE = () -> 1;
  static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
  static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
  // The deadline cap: Long.MAX_VALUE / 4 nanoseconds, about 73 years.
  static final Duration CAP = Duration.ofNanos(Long.MAX_VALUE / 4);

  private BadInputActions() {}

  /** Opens scope {@code s}, runs {@code body} in it, closes it. */
  static BadInputTable.Action inScope(ScopeBody body) {
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
  static Scope<Void> closed() throws InterruptedException {
    Scope<Void> s = Scope.open("s");
    s.join();
    s.close();
    return s;
  }

  /** Runs {@code body} with task {@code t} of scope {@code s} while {@code t} is running. */
  static BadInputTable.Action whileRunning(TaskBody body) {
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
  static BadInputTable.Action afterJoin(
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
  static BadInputTable.Action[] forEachOverload(String name) {
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
  static BadInputTable.Action[] forEachOptionsOverload(
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

  static BadInputTable.Action[] concat(BadInputTable.Action[] x, BadInputTable.Action[] y) {
    return Stream.concat(Arrays.stream(x), Arrays.stream(y)).toArray(BadInputTable.Action[]::new);
  }

  /** Opens a scope with {@code config} and checks that its remaining time is about the cap. */
  static void assertRemainingAboutCap(UnaryOperator<ScopeConfig> config) throws Exception {
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
  static void closesAfterCancel(UnaryOperator<ScopeConfig> config) throws Exception {
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
