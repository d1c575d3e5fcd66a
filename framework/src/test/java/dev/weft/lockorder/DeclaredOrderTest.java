package dev.weft.lockorder;

import static dev.weft.lockorder.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Orders declared up front: by name list or by enum rank. */
class DeclaredOrderTest {
  private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);

  enum Rank {
    CONFIG,
    ACCOUNTS,
    AUDIT
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_againstDeclaredOrderFirstTime_throwsNamingDeclaredCycle(ThreadFactory kind)
      throws Exception {
    checker.declareOrder("a", "b", "c");
    Lock a = checker.newLock("a");
    Lock c = checker.newLock("c");

    LockOrderViolationException e = assertViolation(kind, c, a, "c", "a", "b");

    assertThat(e.getMessage())
        .contains("a -> b declared by declareOrder")
        .endsWith("fix: take these locks in the declared order");
    assertThat(e.getCause().getStackTrace())
        .anySatisfy(
            f -> assertThat(f.getMethodName()).contains("lock_againstDeclaredOrderFirstTime"));
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_inDeclaredOrder_silent(ThreadFactory kind) throws Exception {
    checker.declareOrder("a", "b", "c");
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Lock c = checker.newLock("c");
    Threads.run(kind, () -> Threads.nest(a, b, c));
    Threads.run(kind, () -> Threads.nest(a, c));
    Threads.run(kind, () -> Threads.nest(b, c));
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_againstEnumRanks_throws(ThreadFactory kind) throws Exception {
    checker.declareOrder(Rank.class);
    Lock config = checker.rankClass(Rank.CONFIG).newLock();
    Lock audit = checker.rankClass(Rank.AUDIT).newLock();

    LockOrderViolationException e =
        assertViolation(kind, audit, config, "Rank.AUDIT", "Rank.CONFIG", "Rank.ACCOUNTS");

    assertThat(e.getMessage()).endsWith("fix: take these locks in the declared order");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void declareOrder_survivesReset(ThreadFactory kind) throws Exception {
    checker.declareOrder("a", "b");
    checker.reset();
    assertViolation(kind, checker.newLock("b"), checker.newLock("a"), "b", "a");
  }

  @Test
  void declareOrder_contradictsLearnedOrder_throwsNamingCycle() {
    Threads.nest(checker.newLock("b"), checker.newLock("a"));
    assertThatThrownBy(() -> checker.declareOrder("a", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "declared order [a, b] contradicts an order seen or declared before: a -> b, b -> a: "
                + "take these locks in one order everywhere, then declare that order");
  }

  @Test
  void declareOrder_misuse_throwsWithTheFix() {
    assertThatThrownBy(() -> checker.declareOrder("a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "declareOrder needs at least two lock class names, got [a]: pass the lock class "
                + "names in the order they are taken, e.g. declareOrder(\"accounts\", \"audit\")");
    assertThatThrownBy(() -> checker.declareOrder("a", "b", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lock class 'a' appears twice in declared order [a, b, a]: list each class once, in "
                + "the order they are taken");
    assertThatThrownBy(() -> checker.declareOrder("a", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lock class name in declared order [a, ] must not be blank, got '': pass the lock "
                + "class names in the order they are taken, e.g. declareOrder(\"accounts\", \"audit\")");
  }

  @Test
  void edges_includeDeclared() {
    checker.declareOrder("a", "b", "c");
    assertThat(checker.edges()).containsExactly("a -> b", "b -> c");
  }
}
