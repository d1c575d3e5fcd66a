package dev.weft.lockorder;

import static dev.weft.lockorder.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** WARN, OFF, the system property and report listeners. */
class PolicyTest {
  private final List<RuntimeException> reports = new CopyOnWriteArrayList<>();
  private final Consumer<RuntimeException> listener = reports::add;

  @BeforeEach
  void listen() {
    LockOrderChecker.addReportListener(listener);
  }

  @AfterEach
  void stopListening() {
    LockOrderChecker.removeReportListener(listener);
    System.clearProperty(LockOrderPolicy.PROPERTY);
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void warn_sameCycleTwice_reportsOnceAndTakesTheLock(ThreadFactory kind) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.WARN);
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(kind, () -> Threads.nest(a, b));

    Threads.run(kind, () -> Threads.nest(b, a));
    Threads.run(kind, () -> Threads.nest(b, a));

    assertThat(reports).hasSize(1);
    assertViolation(reports.get(0), "b", "a");
    assertThat(((LockOrderViolationException) reports.get(0)).policy())
        .isEqualTo(LockOrderPolicy.WARN);
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void warn_twoDistinctCycles_reportsEach(ThreadFactory kind) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.WARN);
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Lock c = checker.newLock("c");
    Threads.run(kind, () -> Threads.nest(a, b));
    Threads.run(kind, () -> Threads.nest(a, c));

    Threads.run(kind, () -> Threads.nest(b, a));
    Threads.run(kind, () -> Threads.nest(c, a));

    assertThat(reports).hasSize(2);
    assertViolation(reports.get(0), "b", "a");
    assertViolation(reports.get(1), "c", "a");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void throw_everyViolation_reachesListeners(ThreadFactory kind) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.nest(a, b);
    assertViolation(kind, b, a, "b", "a");
    assertViolation(kind, b, a, "b", "a");
    assertThat(reports).hasSize(2);
  }

  @Test
  void off_handsOutPlainJdkLocksAndLearnsNothing() {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.OFF);
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    assertThat(a).isExactlyInstanceOf(ReentrantLock.class);
    assertThat(checker.newReadWriteLock("c")).isExactlyInstanceOf(ReentrantReadWriteLock.class);

    Threads.nest(a, b);
    Threads.nest(b, a);
    checker.declareOrder("b", "a");

    assertThat(checker.edges()).isEmpty();
    assertThat(reports).isEmpty();
  }

  @Test
  void systemProperty_setsDefaultPolicy_builderPolicyWins() {
    System.setProperty(LockOrderPolicy.PROPERTY, "warn");
    assertThat(LockOrderChecker.create().policy()).isEqualTo(LockOrderPolicy.WARN);
    assertThat(LockOrderChecker.create(LockOrderPolicy.THROW).policy())
        .isEqualTo(LockOrderPolicy.THROW);
    System.setProperty(LockOrderPolicy.PROPERTY, "OFF");
    assertThat(LockOrderChecker.create().newLock("x")).isExactlyInstanceOf(ReentrantLock.class);
  }

  @Test
  void systemProperty_unset_defaultsToThrow() {
    assertThat(LockOrderChecker.create().policy()).isEqualTo(LockOrderPolicy.THROW);
  }

  @Test
  void systemProperty_unknownValue_throwsNamingPropertyAndValues() {
    System.setProperty(LockOrderPolicy.PROPERTY, "loud");
    assertThatThrownBy(LockOrderChecker::create)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("system property weft.lockorder.policy is 'loud': use THROW, WARN or OFF");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void listener_thatThrows_isIgnored(ThreadFactory kind) throws Exception {
    Consumer<RuntimeException> bad =
        e -> {
          throw new IllegalStateException("listener broke");
        };
    LockOrderChecker.addReportListener(bad);
    try {
      LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
      Lock a = checker.newLock("a");
      Lock b = checker.newLock("b");
      Threads.nest(a, b);
      assertViolation(kind, b, a, "b", "a");
      assertThat(reports).hasSize(1);
      assertThat(((LockOrderViolationException) reports.get(0)).policy())
          .isEqualTo(LockOrderPolicy.THROW);
    } finally {
      LockOrderChecker.removeReportListener(bad);
    }
  }

  @Test
  void names_blankOrNull_rejectedWithArgumentName() {
    LockOrderChecker checker = LockOrderChecker.create();
    assertThatThrownBy(() -> checker.newLock(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lock class name must not be blank, got ' ': name the class after what its locks "
                + "guard, e.g. newLock(\"accounts\")");
    assertThatThrownBy(() -> checker.newLock(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(
            "lock class name must not be null: name the class after what its locks guard, "
                + "e.g. newLock(\"accounts\")");
    assertThatThrownBy(() -> LockOrderChecker.builder().policy(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(
            "lock order policy must not be null: pass THROW, WARN or OFF, or leave it unset "
                + "for the default");
  }

  @Test
  void resetAll_resetsEveryChecker() {
    LockOrderChecker one = LockOrderChecker.create();
    LockOrderChecker two = LockOrderChecker.create();
    Threads.nest(one.newLock("a"), one.newLock("b"));
    Threads.nest(two.newLock("a"), two.newLock("b"));
    LockOrderChecker.resetAll();
    assertThat(one.edges()).isEmpty();
    assertThat(two.edges()).isEmpty();
  }
}
