package dev.weft.lockorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A scope owner that holds a lock while joining, and a task of that scope that blocks on the lock:
 * reported instead of hanging. The scope structure is faked through the package-private probe
 * {@code Waits.setStructureProbe} (ScopeWaits is the scope core's); the core adds an integration
 * test on the real scope API.
 */
class ScopeDeadlockTest {
  private static final String WHY =
      "owner 'main' is joining scope 'checkout', which waits for task 'pay' (thread checkout/pay)";

  @AfterEach
  void restoreProbe() {
    Waits.setStructureProbe(null);
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_taskWantsLockHeldByJoiningOwner_throwsNamingScopeTaskAndLock(ThreadFactory kind)
      throws Exception {
    assertDetected(kind, true);
  }

  /** The owner starts joining only after the task is already blocked: found between slices. */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void lock_ownerStartsJoiningAfterTaskBlocked_stillThrows(ThreadFactory kind) throws Exception {
    assertDetected(kind, false);
  }

  private void assertDetected(ThreadFactory kind, boolean joiningFirst) throws Exception {
    LockOrderChecker checker = LockOrderChecker.create();
    Lock accounts = checker.newLock("accounts");
    CountDownLatch ownerHolds = new CountDownLatch(1);
    CountDownLatch joinEnds = new CountDownLatch(1);
    AtomicBoolean joining = new AtomicBoolean(joiningFirst);
    AtomicReference<Thread> owner = new AtomicReference<>();
    Thread ownerThread =
        kind.newThread(
            () -> {
              accounts.lock();
              try {
                ownerHolds.countDown();
                joinEnds.await(20, TimeUnit.SECONDS); // stands for scope.join()
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                accounts.unlock();
              }
            });
    owner.set(ownerThread);
    Thread[] task = new Thread[1];
    Waits.setStructureProbe(
        (holder, waiter) ->
            joining.get() && holder == owner.get() && waiter == task[0] ? WHY : null);
    ownerThread.start();
    ownerHolds.await();

    AtomicReference<DeadlockException> thrown = new AtomicReference<>();
    task[0] =
        kind.newThread(
            () -> thrown.set(catchThrowableOfType(DeadlockException.class, accounts::lock)));
    task[0].setName("checkout/pay");
    task[0].start();
    if (!joiningFirst) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Waits.isWaiting(task[0]));
      joining.set(true);
    }
    assertThat(task[0].join(Duration.ofSeconds(20))).isTrue();
    joinEnds.countDown();
    assertThat(ownerThread.join(Duration.ofSeconds(20))).isTrue();

    assertThat(thrown.get()).isNotNull();
    assertThat(thrown.get().getMessage())
        .startsWith(
            "deadlock: thread 'checkout/pay' waits for lock 'accounts' held by thread '"
                + Threads.name(ownerThread)
                + "', and "
                + WHY
                + "\n")
        .contains("fix: release the lock before joining the scope");
    assertThat(thrown.get().report().toString()).contains("\"" + Threads.name(ownerThread) + "\"");
  }
}
