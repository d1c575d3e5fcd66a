package dev.weft.samples.http;

import dev.weft.scope.ScopeTrace;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The execution traces of the most recent dashboard requests, by request id: what {@code GET
 * /debug/trace/{requestId}} answers from. Holds the last {@link #capacity()} traces put; each put
 * beyond that evicts the oldest.
 *
 * <p>Thread-safe without a lock, and O(1) per {@link #put} and {@link #get}: a put takes the next
 * slot of a ring of {@code capacity} entries (one {@code getAndIncrement} of a counter), puts its
 * entry in the map, then in the slot, and removes from the map the entry it displaced from the
 * slot, if the map still holds that very entry. Every entry in the map is therefore in the ring,
 * apart from those whose put is under way, so the map holds at most {@code capacity} entries plus
 * one per put in progress. A request id put again (a client may reuse its {@code X-Request-Id})
 * maps to its newest trace; the older entry still takes its slot until it is evicted, and evicting
 * it leaves the newer one in place.
 *
 * <p>Two puts {@code capacity} apart that race for one slot may evict the newer of the two first;
 * with 256 slots that takes 256 puts during one put.
 */
final class RecentTraces {
  /** How many traces the service keeps by default. */
  static final int DEFAULT_CAPACITY = 256;

  /** One trace, in the map and in its slot of the ring. */
  private record Entry(String requestId, ScopeTrace trace) {}

  // byId: written by put (put, then remove of the displaced entry), read by get; any thread.
  private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
  // ring: slot (n mod capacity) holds the entry of the n-th put until the (n + capacity)-th.
  private final AtomicReferenceArray<Entry> ring;
  // puts: how many puts have taken a slot; only incremented.
  private final AtomicLong puts = new AtomicLong();

  /**
   * A store of the last {@code capacity} traces.
   *
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  RecentTraces(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "capacity must be at least 1 (the number of traces kept), was " + capacity);
    }
    ring = new AtomicReferenceArray<>(capacity);
  }

  /** How many traces are kept at most. */
  int capacity() {
    return ring.length();
  }

  /** Keeps {@code trace} as the trace of {@code requestId}, evicting the oldest if full. */
  void put(String requestId, ScopeTrace trace) {
    Entry e =
        new Entry(
            Objects.requireNonNull(requestId, "requestId"), Objects.requireNonNull(trace, "trace"));
    int slot = (int) (puts.getAndIncrement() % ring.length());
    byId.put(requestId, e);
    Entry displaced = ring.getAndSet(slot, e);
    if (displaced != null) {
      byId.remove(displaced.requestId(), displaced); // not a newer entry of the same id
    }
  }

  /** The trace of {@code requestId}, or null if it was never put or has been evicted. */
  ScopeTrace get(String requestId) {
    Entry e = byId.get(requestId);
    return e == null ? null : e.trace();
  }

  /** How many traces are held now. */
  int size() {
    return byId.size();
  }
}
