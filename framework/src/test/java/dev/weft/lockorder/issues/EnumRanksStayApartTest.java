package dev.weft.lockorder.issues;

import static dev.weft.lockorder.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.LockOrderViolationException;
import dev.weft.lockorder.Threads;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9: {@code declareOrder(Enum.class)} merged the ranks of different enums.
 *
 * <p>It named each rank's lock class by the constant's bare {@code name()}, so {@code DbRank.POOL}
 * and {@code HttpRank.POOL} were one lock class {@code "POOL"}: declaring {@code DbRank} (POOL,
 * CONNECTION) and then {@code HttpRank} (CONNECTION, POOL) failed with "declared order [CONNECTION,
 * POOL] contradicts an order seen or declared before", although the two enums rank different locks;
 * and reports said {@code POOL} without saying whose.
 *
 * <p>Now a rank's lock class is {@code SimpleName.CONSTANT} ({@code DbRank.POOL}, as Guava's {@code
 * CycleDetectingLockFactory} names ranks), its locks come from {@code rankClass(rank)}, and two
 * different enums that would give the same names are rejected.
 */
class EnumRanksStayApartTest {
  private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);

  enum DbRank {
    POOL,
    CONNECTION
  }

  enum HttpRank {
    CONNECTION,
    POOL
  }

  static final class Billing {
    enum Rank {
      LOW,
      HIGH
    }
  }

  static final class Shipping {
    enum Rank {
      LOW,
      HIGH
    }
  }

  @Test
  @Timeout(10)
  void declareOrder_twoEnumsShareConstantNames_keepsTheirRanksApart() {
    checker.declareOrder(DbRank.class);
    checker.declareOrder(HttpRank.class);

    assertThat(checker.edges())
        .containsExactly(
            "DbRank.POOL -> DbRank.CONNECTION", "HttpRank.CONNECTION -> HttpRank.POOL");
  }

  @Test
  @Timeout(10)
  void declareOrder_twoEnumsWithOneSimpleName_throwsNamingBoth() {
    checker.declareOrder(Billing.Rank.class);

    assertThatThrownBy(() -> checker.declareOrder(Shipping.Rank.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "enum "
                + Shipping.Rank.class.getName()
                + " names its ranks like enum "
                + Billing.Rank.class.getName()
                + " ('Rank.LOW'): rename one of the two enums, or"
                + " give each its own checker");
  }

  @Test
  @Timeout(10)
  void lock_againstEnumRank_reportNamesTheEnum() {
    checker.declareOrder(DbRank.class);
    Lock pool = checker.rankClass(DbRank.POOL).newLock();
    Lock connection = checker.rankClass(DbRank.CONNECTION).newLock();

    connection.lock();
    try {
      LockOrderViolationException e =
          assertViolation(pool::lock, "DbRank.CONNECTION", "DbRank.POOL");
      assertThat(e.getMessage())
          .startsWith(
              "DbRank.CONNECTION -> DbRank.POOL, DbRank.POOL -> DbRank.CONNECTION\n"
                  + "thread '"
                  + Threads.name(Thread.currentThread())
                  + "' acquires 'DbRank.POOL'"
                  + " while holding 'DbRank.CONNECTION'\n");
    } finally {
      connection.unlock();
    }
  }

  @Test
  @Timeout(10)
  void lock_sameConstantOfTwoEnumsNested_differentClassesSoNoReport() {
    checker.declareOrder(DbRank.class);
    checker.declareOrder(HttpRank.class);

    Threads.nest(
        checker.rankClass(HttpRank.POOL).newLock(), checker.rankClass(DbRank.POOL).newLock());

    assertThat(checker.edges()).contains("HttpRank.POOL -> DbRank.POOL");
  }

  @Test
  @Timeout(10)
  void rankClass_rankAndItsName_areOneClass() {
    assertThat(checker.rankClass(DbRank.POOL).name()).isEqualTo("DbRank.POOL");
    checker.declareOrder(DbRank.class);
    Lock pool = checker.newLock("DbRank.POOL");
    Lock connection = checker.rankClass(DbRank.CONNECTION).newLock();
    connection.lock();
    try {
      assertViolation(pool::lock, "DbRank.CONNECTION", "DbRank.POOL");
    } finally {
      connection.unlock();
    }
  }
}
