package dev.weft.lockorder;

import static dev.weft.lockorder.Violations.assertViolation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Read/write locks: only orders that can block both ways are cycles. */
class ReadWriteLockTest {
  private final LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
  private final ReadWriteLock x = checker.newReadWriteLock("x");
  private final ReadWriteLock y = checker.newReadWriteLock("y");

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void readRead_inverseOrders_notACycle(ThreadFactory kind) throws Exception {
    Threads.run(kind, () -> Threads.nest(x.readLock(), y.readLock()));
    Threads.run(kind, () -> Threads.nest(y.readLock(), x.readLock()));
    assertThat(checker.edges()).containsExactly("x -> y", "y -> x");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void writeWrite_inverseOrders_reported(ThreadFactory kind) throws Exception {
    Threads.run(kind, () -> Threads.nest(x.writeLock(), y.writeLock()));
    LockOrderViolationException e = assertViolation(kind, y.writeLock(), x.writeLock(), "y", "x");
    assertThat(e.getMessage()).contains("acquires 'x (write)' while holding 'y (write)'");
  }

  /** Each thread holds a read lock the other wants to write: a real deadlock. */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void readThenWrite_inverseOrders_reported(ThreadFactory kind) throws Exception {
    Threads.run(kind, () -> Threads.nest(x.readLock(), y.writeLock()));
    assertViolation(kind, y.readLock(), x.writeLock(), "y", "x");
  }

  /**
   * Holding x (read) then taking y (read), against holding y (write) then taking x (read): the
   * second thread never blocks on x, so there is no deadlock and no report.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void readAgainstWriteThenRead_noConflictAtOneEnd_notReported(ThreadFactory kind)
      throws Exception {
    Threads.run(kind, () -> Threads.nest(x.readLock(), y.readLock()));
    Threads.run(kind, () -> Threads.nest(y.writeLock(), x.readLock()));
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void mixedModes_cycleOfThroughWriteEdge_reported(ThreadFactory kind) throws Exception {
    ReadWriteLock z = checker.newReadWriteLock("z");
    Threads.run(kind, () -> Threads.nest(x.readLock(), y.writeLock()));
    Threads.run(kind, () -> Threads.nest(y.writeLock(), z.readLock()));
    // z (write) -> x (write): x is read-held above, z read-wanted: all three conflict
    assertViolation(kind, z.writeLock(), x.writeLock(), "z", "x", "y");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void upgrade_readToWrite_reportedAsSelfCycle(ThreadFactory kind) throws Exception {
    LockOrderViolationException e = assertViolation(kind, x.readLock(), x.writeLock(), "x");
    assertThat(e.getMessage()).contains("a read lock cannot be upgraded");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void downgrade_writeThenRead_allowedAndAddsNoEdge(ThreadFactory kind) throws Exception {
    Threads.run(
        kind,
        () -> {
          x.writeLock().lock();
          x.readLock().lock();
          x.writeLock().unlock(); // downgraded: read still held
          y.writeLock().lock(); // x (read) -> y (write)
          y.writeLock().unlock();
          x.readLock().unlock();
        });
    assertThat(checker.edges()).containsExactly("x -> y");
    assertThat(checker.toDot()).contains("\"x\" -> \"y\" [label=\"R->W\"]");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void readLock_reentrant_addsNoEdge(ThreadFactory kind) throws Exception {
    Threads.run(
        kind,
        () -> {
          Lock r = x.readLock();
          r.lock();
          y.readLock().lock();
          r.lock();
          r.unlock();
          y.readLock().unlock();
          r.unlock();
        });
    assertThat(checker.edges()).containsExactly("x -> y");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void sameClassInstances_readInsideRead_notReported_writeReported(ThreadFactory kind)
      throws Exception {
    LockClass cache = checker.lockClass("cache");
    ReadWriteLock one = cache.newReadWriteLock();
    ReadWriteLock two = cache.newReadWriteLock();
    Threads.run(kind, () -> Threads.nest(one.readLock(), two.readLock()));
    assertViolation(kind, one.writeLock(), two.writeLock(), "cache");
  }

  @ParameterizedTest
  @MethodSource("dev.weft.lockorder.Threads#kinds")
  void readLock_newCondition_unsupportedAsInJdk(ThreadFactory kind) {
    assertThatThrownBy(() -> x.readLock().newCondition())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
