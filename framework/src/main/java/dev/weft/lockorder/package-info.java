/**
 * The lock-ordering checker: checked locks that report a potential deadlock before blocking, and a
 * deadlock detector that sees virtual threads.
 *
 * <p>Start with {@link dev.weft.lockorder.LockOrderChecker}. A potential deadlock (an order that
 * closes a cycle) is a {@link dev.weft.lockorder.LockOrderViolationException}; an actual one is a
 * {@link dev.weft.lockorder.DeadlockException} or a {@link dev.weft.lockorder.DeadlockReport} from
 * the {@link dev.weft.lockorder.DeadlockDetector}. Guide: {@code docs/lock-ordering.md}.
 */
@NullMarked
package dev.weft.lockorder;

import org.jspecify.annotations.NullMarked;
