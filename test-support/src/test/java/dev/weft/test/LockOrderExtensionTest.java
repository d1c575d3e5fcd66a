package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.LockOrderViolationException;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs small test classes through the JUnit engine and checks what the extension made of them. */
class LockOrderExtensionTest {

  @Test
  void violationCaughtInsideTest_failsTestWithReportAsMessage() {
    Events tests = run(SwallowedViolation.class);
    tests.assertStatistics(s -> s.started(1).failed(1));
    Throwable failure = failure(tests.failed().list().get(0));
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("1 lock-order report in swallowed():\n")
        .hasMessageContaining("LockOrderViolationException: b -> a, a -> b")
        .hasMessageContaining("Caused by: dev.weft.lockorder.EdgeTrace: a -> b first seen")
        .hasCauseInstanceOf(LockOrderViolationException.class);
  }

  @Test
  void violationLoggedUnderWarn_failsTest() {
    Events tests = run(WarnViolation.class);
    tests.assertStatistics(s -> s.started(1).failed(1));
    assertThat(failure(tests.failed().list().get(0)))
        .hasMessageContaining("LockOrderViolationException: b -> a, a -> b");
  }

  @Test
  void consistentOrder_passes() {
    run(Consistent.class).assertStatistics(s -> s.started(1).succeeded(1));
  }

  @Test
  void eachTest_getsFreshGraph() {
    // the first test learns a -> b; without a reset the second (b -> a) would fail
    run(FreshGraphPerTest.class).assertStatistics(s -> s.started(2).succeeded(2));
  }

  @Test
  void checkerParameter_isFreshAndThrows() {
    run(InjectedChecker.class).assertStatistics(s -> s.started(1).succeeded(1));
  }

  private static Events run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(testClass))
        .execute()
        .testEvents();
  }

  private static Throwable failure(Event event) {
    return event
        .getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
        .orElseThrow();
  }

  // --- test classes run only through the engine test kit (nested classes are not run directly) ---

  @ExtendWith(LockOrderExtension.class)
  static class SwallowedViolation {
    @Test
    void swallowed() {
      LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
      Lock a = checker.newLock("a");
      Lock b = checker.newLock("b");
      nest(a, b);
      catchThrowable(() -> nest(b, a)); // code under test swallows the report
    }
  }

  @ExtendWith(LockOrderExtension.class)
  static class WarnViolation {
    @Test
    void warned() {
      LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.WARN);
      Lock a = checker.newLock("a");
      Lock b = checker.newLock("b");
      nest(a, b);
      nest(b, a);
    }
  }

  @ExtendWith(LockOrderExtension.class)
  static class Consistent {
    @Test
    void consistent() {
      LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
      Lock a = checker.newLock("a");
      Lock b = checker.newLock("b");
      nest(a, b);
      nest(a, b);
    }
  }

  @ExtendWith(LockOrderExtension.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class FreshGraphPerTest {
    static final LockOrderChecker CHECKER = LockOrderChecker.create(LockOrderPolicy.THROW);
    static final Lock A = CHECKER.newLock("a");
    static final Lock B = CHECKER.newLock("b");

    @Test
    @Order(1)
    void first() {
      nest(A, B);
    }

    @Test
    @Order(2)
    void second() {
      nest(B, A);
      assertThat(CHECKER.edges()).isEqualTo(List.of("b -> a"));
    }
  }

  @ExtendWith(LockOrderExtension.class)
  static class InjectedChecker {
    @Test
    void injected(LockOrderChecker checker) {
      assertThat(checker.policy()).isEqualTo(LockOrderPolicy.THROW);
      assertThat(checker.edges()).isEmpty();
    }
  }

  static void nest(Lock first, Lock second) {
    first.lock();
    try {
      second.lock();
      second.unlock();
    } finally {
      first.unlock();
    }
  }
}
