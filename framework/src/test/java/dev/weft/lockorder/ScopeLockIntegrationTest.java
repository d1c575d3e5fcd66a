package dev.weft.lockorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/**
 * The real scope API with checked locks: an owner that holds a lock while it joins, and a task of
 * that scope (or of a scope nested in it) that needs the lock, is a deadlock by structure. It is
 * reported in the task, which fails, so join() ends with the report instead of hanging.
 */
class ScopeLockIntegrationTest {

  /** The task blocks after the owner started joining. */
  @Test
  void join_ownerHoldsLockTaskNeedsIt_taskFailsWithDeadlockNamingScopeTaskAndLock()
      throws Exception {
    LockOrderChecker checker = LockOrderChecker.create();
    Lock accounts = checker.newLock("accounts");
    accounts.lock();
    try (var scope = Scope.open("checkout")) {
      Task<String> pay =
          scope.fork(
              "pay",
              () -> {
                accounts.lock();
                try {
                  return "paid";
                } finally {
                  accounts.unlock();
                }
              });
      TaskFailedException e = catchThrowableOfType(TaskFailedException.class, scope::join);
      assertThat(e).isNotNull();
      assertThat(e.taskName()).isEqualTo("pay");
      assertThat(pay.exception()).isInstanceOf(DeadlockException.class);
      assertThat(pay.exception().getMessage())
          .contains("accounts")
          .contains("scope 'checkout'")
          .contains("task 'pay'");
    } finally {
      accounts.unlock();
    }
  }

  /** The task already waits for the lock when the owner starts joining: found all the same. */
  @Test
  void join_taskAlreadyBlockedWhenOwnerJoins_stillReported() throws Exception {
    LockOrderChecker checker = LockOrderChecker.create();
    Lock accounts = checker.newLock("accounts");
    CountDownLatch aboutToLock = new CountDownLatch(1);
    accounts.lock();
    try (var scope = Scope.open("ledger")) {
      Task<String> post =
          scope.fork(
              "post",
              () -> {
                aboutToLock.countDown();
                accounts.lock();
                try {
                  return "posted";
                } finally {
                  accounts.unlock();
                }
              });
      aboutToLock.await(); // the task blocks before or after join starts: either is reported
      catchThrowableOfType(TaskFailedException.class, scope::join);
      assertThat(post.exception())
          .isInstanceOf(DeadlockException.class)
          .hasMessageContaining("scope 'ledger'");
    } finally {
      accounts.unlock();
    }
  }

  /** A task of a scope nested inside a task of the joining scope is caught too. */
  @Test
  void join_nestedTaskNeedsOwnersLock_reported() throws Exception {
    LockOrderChecker checker = LockOrderChecker.create();
    Lock inventory = checker.newLock("inventory");
    inventory.lock();
    try (var scope = Scope.open("order")) {
      Task<String> outer =
          scope.fork(
              "reserve",
              () -> {
                try (var inner = Scope.open("reserve-items")) {
                  Task<String> item =
                      inner.fork(
                          "item-1",
                          () -> {
                            inventory.lock();
                            try {
                              return "reserved";
                            } finally {
                              inventory.unlock();
                            }
                          });
                  inner.join();
                  return item.get();
                }
              });
      catchThrowableOfType(TaskFailedException.class, scope::join);
      assertThat(outer.state()).isEqualTo(Task.State.FAILED);
      assertThat(outer.exception())
          .isInstanceOf(TaskFailedException.class)
          .hasRootCauseInstanceOf(DeadlockException.class);
      assertThat(outer.exception().getCause().getMessage())
          .contains("scope 'order'")
          .contains("task 'item-1' of scope 'reserve-items'");
    } finally {
      inventory.unlock();
    }
  }
}
