package dev.weft.lockorder;

import static dev.weft.lockorder.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Learned order: cycles of any length, reports, policies of THROW. */
class LockOrderCheckerTest {
  private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);

  /** The classic inversion: two orders that never ran at the same time are still reported. */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_inverseOrderSeenBefore_throwsNamingCycleThreadAndFirstSeenStack(ThreadFactory kind)
      throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(kind, () -> Threads.nest(a, b));

    LockOrderViolationException e = assertViolation(kind, b, a, "b", "a");

    assertThat(e.getMessage())
        .contains("acquires 'a' while holding 'b'")
        .contains(
            "fix: take these locks in one global order everywhere; declareOrder(\"a\", \"b\")");
    assertThat(e.getStackTrace()[0].getClassName()).doesNotStartWith("dev.weft.lockorder.Checked");
    assertThat(e.getCause()).isInstanceOf(EdgeTrace.class);
    assertThat(e.getCause().getMessage()).startsWith("a -> b first seen in thread '");
    assertThat(e.getCause().getStackTrace())
        .anySatisfy(f -> assertThat(f.getMethodName()).isEqualTo("nest"));
  }

  /**
   * A lock remembers the held locks of the thread that took it last (so that thread skips a
   * thread-local look-up when it takes it again); another thread must use its own. Here b's last
   * owner held nothing, and the next thread takes b while holding a: that must learn a -> b.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_lastTakenByAnotherThread_checkedAgainstOwnHeldLocks(ThreadFactory kind)
      throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(kind, () -> Threads.nest(b));
    Threads.run(kind, () -> Threads.nest(a, b));

    assertThat(checker.edges()).containsExactly("a -> b");
    assertViolation(kind, b, a, "b", "a");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_cycleOfThree_namesWholeCycleWithOneTracePerEarlierEdge(ThreadFactory kind)
      throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Lock c = checker.newLock("c");
    Threads.run(kind, () -> Threads.nest(a, b));
    Threads.run(kind, () -> Threads.nest(b, c));

    LockOrderViolationException e = assertViolation(kind, c, a, "c", "a", "b");

    assertThat(causes(e)).containsExactly("a -> b", "b -> c");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_cycleOfEight_namesAllEightLocks(ThreadFactory kind) throws Exception {
    List<Lock> locks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      locks.add(checker.newLock("l" + i));
    }
    for (int i = 0; i < 7; i++) {
      Lock x = locks.get(i);
      Lock y = locks.get(i + 1);
      Threads.run(kind, () -> Threads.nest(x, y));
    }

    LockOrderViolationException e =
        assertViolation(
            kind, locks.get(7), locks.get(0), "l7", "l0", "l1", "l2", "l3", "l4", "l5", "l6");

    // assertViolation derives the first line from the cycle; spelled out once here
    assertThat(e.getMessage())
        .startsWith(
            "l7 -> l0, l0 -> l1, l1 -> l2, l2 -> l3, l3 -> l4, l4 -> l5, l5 -> l6, l6 -> l7\n");
    assertThat(causes(e)).hasSize(7);
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_consistentOrderManyTimes_noReport(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Lock c = checker.newLock("c");
    for (int i = 0; i < 100; i++) {
      Threads.run(kind, () -> Threads.nest(a, b, c));
      Threads.run(kind, () -> Threads.nest(a, c));
      Threads.run(kind, () -> Threads.nest(b, c));
    }
    assertThat(checker.edges()).containsExactly("a -> b", "a -> c", "b -> c");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_throwPolicy_lockNotTakenAndNothingLeftHeld(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(kind, () -> Threads.nest(a, b));

    Threads.run(
        kind,
        () -> {
          b.lock();
          try {
            assertViolation(a::lock, "b", "a");
            assertThat(HeldLocks.current().size()).isEqualTo(1);
            boolean free =
                Threads.<Boolean>call(
                    Thread.ofPlatform().factory(),
                    () -> {
                      boolean ok = a.tryLock();
                      if (ok) {
                        a.unlock();
                      }
                      return ok;
                    });
            assertThat(free).isTrue();
          } finally {
            b.unlock();
          }
          assertThat(HeldLocks.current().size()).isZero();
        });
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_violationRepeated_throwsEveryTime(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(kind, () -> Threads.nest(a, b));
    for (int i = 0; i < 3; i++) {
      assertViolation(kind, b, a, "b", "a");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_reentrant_addsNoEdge(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(
        kind,
        () -> {
          a.lock();
          b.lock();
          a.lock(); // re-entrant: no b -> a
          a.unlock();
          b.unlock();
          a.unlock();
        });
    assertThat(checker.edges()).containsExactly("a -> b");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void unlock_outOfOrder_keepsHeldSetRight(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Lock c = checker.newLock("c");
    Threads.run(
        kind,
        () -> {
          a.lock();
          b.lock();
          a.unlock(); // a leaves first
          c.lock(); // learns b -> c only
          c.unlock();
          b.unlock();
          assertThat(HeldLocks.current().size()).isZero();
        });
    assertThat(checker.edges()).containsExactly("a -> b", "b -> c");
  }

  // pop() leaves the released entry's slots in place and push() stores only what differs: the same
  // lock again at the same depth, under another lock, must get the chain of what is held now. With
  // the old chain [x, a], taking b would hit the chain [x, a, b] checked in the first round and
  // learn nothing, so y -> b would be missing and b then y would go unreported.
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_sameLockSameDepthUnderOtherLock_checkedAgainstWhatIsHeldNow(ThreadFactory kind)
      throws Exception {
    Lock x = checker.newLock("x");
    Lock y = checker.newLock("y");
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(
        kind,
        () -> {
          Threads.nest(x, a, b); // a at depth 2 with the chain [x, a]
          Threads.nest(y, a, b); // a at depth 2 again, now with the chain [y, a]
          assertThat(HeldLocks.current().size()).isZero();
        });
    assertThat(checker.edges())
        .containsExactlyInAnyOrder("x -> a", "x -> b", "a -> b", "y -> a", "y -> b");
    assertViolation(kind, b, y, "b", "y");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void tryLock_untimed_addsNoEdgeButOrdersLaterLocks(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Lock c = checker.newLock("c");
    Threads.run(
        kind,
        () -> {
          a.lock();
          assertThat(b.tryLock()).isTrue(); // no a -> b
          c.lock(); // a -> c and b -> c
          c.unlock();
          b.unlock();
          a.unlock();
        });
    assertThat(checker.edges()).containsExactly("a -> c", "b -> c");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void tryLock_untimedWithCheckTryLock_reportsLikeLock(ThreadFactory kind) throws Exception {
    LockOrderChecker strict = LockOrderChecker.builder().checkTryLock(true).build();
    Lock a = strict.newLock("a");
    Lock b = strict.newLock("b");
    Threads.run(kind, () -> Threads.nest(a, b));
    Threads.run(
        kind,
        () -> {
          b.lock();
          try {
            assertViolation(a::tryLock, "b", "a");
          } finally {
            b.unlock();
          }
        });
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void tryLock_timedAndLockInterruptibly_reportLikeLock(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(
        kind,
        () -> {
          a.lockInterruptibly();
          try {
            assertThat(b.tryLock(1, TimeUnit.SECONDS)).isTrue();
            b.unlock();
          } finally {
            a.unlock();
          }
        });
    assertThat(checker.edges()).containsExactly("a -> b");
    Threads.run(
        kind,
        () -> {
          b.lock();
          try {
            assertViolation(() -> a.tryLock(1, TimeUnit.SECONDS), "b", "a");
            assertViolation(a::lockInterruptibly, "b", "a");
          } finally {
            b.unlock();
          }
        });
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_twoInstancesOfOneClassNested_reportsClassCycle(ThreadFactory kind) throws Exception {
    LockClass account = checker.lockClass("account");
    Lock alice = account.newLock();
    Lock bob = account.newLock();

    LockOrderViolationException e = assertViolation(kind, alice, bob, "account");

    assertThat(e.getMessage())
        .contains("acquires 'account#2' while holding 'account'")
        .contains("fix: do not nest locks of class 'account'");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_afterReset_previousOrderForgotten(ThreadFactory kind) throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(kind, () -> Threads.nest(a, b));
    checker.reset();
    assertThat(checker.edges()).isEmpty();
    Threads.run(kind, () -> Threads.nest(b, a));
    assertThat(checker.edges()).containsExactly("b -> a");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void toDot_learnedAndDeclaredEdges_rendersGraph(ThreadFactory kind) throws Exception {
    checker.declareOrder("x", "y");
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Threads.run(kind, () -> Threads.nest(a, b));
    assertThat(checker.toDot())
        .isEqualTo(
            """
            digraph "lock order" {
              "a";
              "a" -> "b";
              "b";
              "x";
              "x" -> "y" [style=dashed];
              "y";
            }
            """);
  }

  /** Held state follows a virtual thread across carriers, never leaking to another thread. */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_manyThreadsYieldingWhileHolding_heldStateStaysWithThread(ThreadFactory kind)
      throws Exception {
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 50; i++) {
      boolean takeB = i % 2 == 0;
      threads.add(
          kind.newThread(
              () -> {
                try {
                  for (int j = 0; j < 20; j++) {
                    a.lock();
                    try {
                      Thread.yield();
                      if (takeB) {
                        b.lock();
                        b.unlock();
                      }
                    } finally {
                      a.unlock();
                    }
                    b.lock(); // never while holding a: no b -> a
                    Thread.yield();
                    b.unlock();
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      assertThat(t.join(java.time.Duration.ofSeconds(20))).isTrue();
    }
    assertThat(failures).isEmpty();
    assertThat(checker.edges()).containsExactly("a -> b");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_locksOfTwoCheckers_orderedSeparately(ThreadFactory kind) throws Exception {
    LockOrderChecker other = LockOrderChecker.create(LockOrderPolicy.THROW);
    Lock a = checker.newLock("a");
    Lock b = other.newLock("b");
    Threads.run(kind, () -> Threads.nest(a, b));
    Threads.run(kind, () -> Threads.nest(b, a));
    assertThat(checker.edges()).isEmpty();
    assertThat(other.edges()).isEmpty();
  }

  static List<String> causes(Throwable e) {
    List<String> out = new ArrayList<>();
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      String m = c.getMessage();
      int cut = m.indexOf(" first seen");
      if (cut < 0) {
        cut = m.indexOf(" declared");
      }
      out.add(cut < 0 ? m : m.substring(0, cut));
    }
    return out;
  }
}
