package dev.weft.lockorder;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

/**
 * What a checker records as held by the current thread, seen through the public API only: the probe
 * of the tests in {@code issues/}, which cannot reach the package-private held-lock bookkeeping.
 * (Tests in this package read it directly.) Public for {@code issues/}.
 */
public final class HeldProbe {
  private static final AtomicInteger PROBES = new AtomicInteger();

  private HeldProbe() {}

  /**
   * The lock classes of {@code checker} that it records as held by the current thread, sorted.
   * Takes and releases one lock of a new class: an acquisition learns an order from every class its
   * thread holds, so the orders into the new class name exactly the classes recorded as held. The
   * new class stays in {@code checker}, without orders when nothing is held. Needs a checker under
   * THROW or WARN (OFF records nothing).
   */
  public static List<String> heldClasses(LockOrderChecker checker) {
    String probe = "held-probe-" + PROBES.incrementAndGet();
    Lock lock = checker.newLock(probe);
    lock.lock();
    lock.unlock();
    String into = " -> " + probe;
    return checker.edges().stream()
        .filter(e -> e.endsWith(into))
        .map(e -> e.substring(0, e.length() - into.length()))
        .toList();
  }
}
