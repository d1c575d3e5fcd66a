package dev.weft.lockorder;

/**
 * What a {@link LockOrderChecker} does when an acquisition would close a cycle in the lock order.
 *
 * <p>The system property {@value #PROPERTY} ({@code THROW}, {@code WARN} or {@code OFF}, any case)
 * replaces the default of checkers whose builder was not given a policy.
 */
public enum LockOrderPolicy {
  /**
   * Throw {@link LockOrderViolationException} from the acquiring method: the lock is not taken and
   * the checker records nothing as held. Reported on every violating acquisition.
   */
  THROW,
  /** Log an SLF4J warning, once per distinct cycle, then take the lock as if nothing happened. */
  WARN,
  /**
   * No checking: the checker hands out plain {@link java.util.concurrent.locks.ReentrantLock} and
   * {@link java.util.concurrent.locks.ReentrantReadWriteLock} instances, which cost nothing extra
   * and which the {@link DeadlockDetector} does not see.
   */
  OFF;

  /** The system property that sets the default policy: {@code weft.lockorder.policy}. */
  public static final String PROPERTY = "weft.lockorder.policy";
}
