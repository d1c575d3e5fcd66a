package dev.weft.lockorder.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.lockorder.HeldProbe;
import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.Threads;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: {@code unlock()} of a checked lock the thread does not hold threw the JDK's bare {@link
 * IllegalMonitorStateException}: no message for an exclusive or write lock, "attempt to unlock read
 * lock, not locked by current thread" for a read lock. Neither said which of the application's
 * locks it was, though every checked lock has a name.
 *
 * <p>Now the exception names the thread and the lock (with its mode for read/write locks) and says
 * the fix; the checker's bookkeeping is left as it was, so the real owner unlocks normally.
 */
class UnlockNotHeldNamesLockTest {
  private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void unlock_lockNotHeld_throwsNamingThreadLockAndFix(ThreadFactory kind) throws Exception {
    Lock accounts = checker.newLock("accounts");
    ReadWriteLock cache = checker.newReadWriteLock("cache");
    Threads.run(
        kind,
        () -> {
          String me = Threads.name(Thread.currentThread());
          assertThatThrownBy(accounts::unlock)
              .isInstanceOf(IllegalMonitorStateException.class)
              .hasMessage(notHeld(me, "accounts"));
          assertThatThrownBy(cache.readLock()::unlock)
              .isInstanceOf(IllegalMonitorStateException.class)
              .hasMessage(notHeld(me, "cache (read)"));
          assertThatThrownBy(cache.writeLock()::unlock)
              .isInstanceOf(IllegalMonitorStateException.class)
              .hasMessage(notHeld(me, "cache (write)"));
          assertThat(HeldProbe.heldClasses(checker)).isEmpty();
        });
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  @Timeout(20)
  void unlock_byThreadOtherThanOwner_throwsAndOwnerUnlocksNormally(ThreadFactory kind)
      throws Exception {
    Lock accounts = checker.newLock("accounts");
    Lock audit = checker.newLock("audit");
    Threads.run(
        kind,
        () -> {
          accounts.lock();
          try {
            Threads.run(
                kind,
                () ->
                    assertThatThrownBy(accounts::unlock)
                        .isInstanceOf(IllegalMonitorStateException.class)
                        .hasMessage(notHeld(Threads.name(Thread.currentThread()), "accounts")));
          } finally {
            accounts.unlock();
          }
          assertThat(HeldProbe.heldClasses(checker)).isEmpty();
          audit.lock();
          audit.unlock();
        });
    assertThat(checker.edges()).isEmpty();
  }

  private static String notHeld(String thread, String lock) {
    return "thread '"
        + thread
        + "' unlocks lock '"
        + lock
        + "', which it does not hold: unlock"
        + " a lock only in the thread that locked it, once for each lock() or successful"
        + " tryLock()";
  }
}
