package dev.weft.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peak of the used heap during a measured operation, from GC notifications: between two
 * collections the used heap only grows, so its peak is the heap used just before some collection,
 * or at the end of the operation. Every collector's MXBean reports, after each collection, the
 * usage of every pool before it; this class keeps the largest sum over the heap pools.
 *
 * <p>Notifications arrive on a JMX service thread a little after the collection: {@link
 * #awaitNotifications()} waits until as many have arrived as the collectors have counted.
 */
final class HeapWatch {
  private static final Set<String> HEAP_POOLS = heapPools();

  /** Largest used heap before a collection since {@link #resetPeak()}; written by the listener. */
  private static final AtomicLong peakBeforeGc = new AtomicLong();

  /** Notifications received since registration; written by the listener. */
  private static final AtomicLong notified = new AtomicLong();

  /** Collections counted by the collectors when the listeners were registered. */
  private static final long countAtStart = register();

  private HeapWatch() {}

  /** Used heap now, in bytes (live objects and garbage not yet collected). */
  static long used() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Runs a full collection and returns the used heap after it: the live heap, in bytes. */
  static long liveAfterGc() {
    System.gc();
    return used();
  }

  /** Forgets the peak seen so far (after waiting for the notifications of past collections). */
  static void resetPeak() {
    awaitNotifications();
    peakBeforeGc.set(0);
  }

  /** The largest used heap before a collection since {@link #resetPeak()}, in bytes. */
  static long peakBeforeGc() {
    awaitNotifications();
    return peakBeforeGc.get();
  }

  /**
   * Waits, at most 5 s, until the notification of every collection counted so far has arrived.
   *
   * @throws IllegalStateException if they do not arrive in time (the peak would be too low)
   */
  static void awaitNotifications() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long expected = collections() - countAtStart;
    while (notified.get() < expected) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "GC notifications missing: "
                + notified.get()
                + " received, "
                + expected
                + " collections counted; the peak heap would be too low. This JVM's collectors"
                + " do not notify every collection: run the scale benchmarks with the default"
                + " collector (G1), or without -XX:+Use... flags");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /**
   * Milliseconds the collectors have paused the application so far: the collection time of every
   * collector but the concurrent ones (G1's "G1 Concurrent GC" counts time spent beside the
   * application, not stopped). A collection is counted once it has ended.
   */
  static long pauseMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!gc.getName().contains("Concurrent")) {
        ms += Math.max(0, gc.getCollectionTime());
      }
    }
    return ms;
  }

  // --- implementation ---

  private static long collections() {
    long count = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
    }
    return count;
  }

  private static long register() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (notification, handback) -> {
                if (!notification
                    .getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                  return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long before = 0;
                for (Map.Entry<String, MemoryUsage> e :
                    info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
                  if (HEAP_POOLS.contains(e.getKey())) {
                    before += e.getValue().getUsed();
                  }
                }
                peakBeforeGc.accumulateAndGet(before, Math::max);
                notified.incrementAndGet();
              },
              null,
              null);
    }
    return collections();
  }

  private static Set<String> heapPools() {
    Set<String> names = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        names.add(pool.getName());
      }
    }
    return names;
  }
}
