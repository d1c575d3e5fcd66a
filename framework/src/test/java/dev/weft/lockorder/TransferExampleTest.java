package dev.weft.lockorder;

import static dev.weft.lockorder.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The new-user check from the issue: a bank transfer that takes two account locks in opposite
 * orders is reported on its first run, naming both locks and both code paths, without hanging; the
 * same program taking the locks in a declared order is silent.
 */
class TransferExampleTest {

  static final class Account {
    final String name;
    final Lock lock;
    long balance = 100;

    Account(LockOrderChecker checker, String name) {
      this.name = name;
      this.lock = checker.newLock(name);
    }
  }

  /** Naive transfer: locks the payer, then the payee. */
  static void transfer(Account from, Account to, long amount) {
    from.lock.lock();
    try {
      to.lock.lock();
      try {
        from.balance -= amount;
        to.balance += amount;
      } finally {
        to.lock.unlock();
      }
    } finally {
      from.lock.unlock();
    }
  }

  static void payRent(Account alice, Account bob) {
    transfer(alice, bob, 10);
  }

  static void refund(Account alice, Account bob) {
    transfer(bob, alice, 5);
  }

  @Test
  void transfer_oppositeOrders_reportedOnFirstRunNamingBothLocksAndPaths() {
    LockOrderChecker checker = LockOrderChecker.create();
    Account alice = new Account(checker, "alice");
    Account bob = new Account(checker, "bob");

    payRent(alice, bob);
    LockOrderViolationException e = assertViolation(() -> refund(alice, bob), "bob", "alice");

    assertThat(e.getMessage()).contains("acquires 'alice' while holding 'bob'");
    assertThat(frames(e)).contains("refund");
    assertThat(frames(e.getCause())).contains("payRent");
    assertThat(alice.balance + bob.balance).isEqualTo(200);
    assertThat(alice.lock.tryLock()).isTrue(); // nothing left held
    alice.lock.unlock();
  }

  /** Ordered transfer: always locks the account that comes first in the declared order. */
  static void orderedTransfer(Account from, Account to, long amount, List<String> order) {
    boolean fromFirst = order.indexOf(from.name) < order.indexOf(to.name);
    Lock first = fromFirst ? from.lock : to.lock;
    Lock second = fromFirst ? to.lock : from.lock;
    first.lock();
    try {
      second.lock();
      try {
        from.balance -= amount;
        to.balance += amount;
      } finally {
        second.unlock();
      }
    } finally {
      first.unlock();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void orderedTransfer_declaredOrder_silentUnderConcurrency(ThreadFactory kind) throws Exception {
    List<String> order = List.of("alice", "bob");
    LockOrderChecker checker = LockOrderChecker.create().declareOrder("alice", "bob");
    Account alice = new Account(checker, "alice");
    Account bob = new Account(checker, "bob");
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      boolean forth = i % 2 == 0;
      Thread t =
          kind.newThread(
              () -> {
                try {
                  for (int j = 0; j < 200; j++) {
                    if (forth) {
                      orderedTransfer(alice, bob, 1, order);
                    } else {
                      orderedTransfer(bob, alice, 1, order);
                    }
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      assertThat(t.join(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(failures).isEmpty();
    assertThat(alice.balance + bob.balance).isEqualTo(200);
  }

  private static List<String> frames(Throwable t) {
    List<String> names = new ArrayList<>();
    for (StackTraceElement f : t.getStackTrace()) {
      names.add(f.getMethodName());
    }
    return names;
  }
}
