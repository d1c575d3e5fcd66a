package dev.weft.samples.http;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import dev.weft.lockorder.LockOrderViolationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;

/**
 * Stock in warehouses, each guarded by a lock of a {@link LockOrderChecker}; the state behind
 * {@code POST /transfer}.
 *
 * <p>A transfer holds the locks of both warehouses. Taken in a fixed order (by name, whatever the
 * direction), two transfers can never wait for each other. Taken in the order of the request
 * ({@code --buggy-order}), a transfer north to south and one south to north can deadlock. The
 * checker learns the order of the first and reports the second before it blocks: {@link #transfer}
 * throws {@link LockOrderViolationException} naming the cycle, instead of hanging, even when the
 * two never ran at the same time.
 */
final class Warehouses {
  /** The warehouses and their stock at start. */
  static final Map<String, Long> INITIAL = Map.of("north", 100L, "south", 100L, "east", 100L);

  /** Too little stock for a transfer. */
  static final class InsufficientStock extends Exception {
    private static final long serialVersionUID = 1L;

    InsufficientStock(String message) {
      super(message);
    }
  }

  private static final class Warehouse {
    final String name;
    final Lock lock;
    long stock; // guarded by lock

    Warehouse(String name, Lock lock, long stock) {
      this.name = name;
      this.lock = lock;
      this.stock = stock;
    }
  }

  private final LockOrderChecker checker =
      LockOrderChecker.builder().policy(LockOrderPolicy.THROW).build();
  private final Map<String, Warehouse> byName = new TreeMap<>(); // sorted: the lock order
  private final boolean buggyOrder;

  Warehouses(boolean buggyOrder) {
    this.buggyOrder = buggyOrder;
    INITIAL.forEach(
        (name, stock) -> byName.put(name, new Warehouse(name, checker.newLock(name), stock)));
  }

  /** The warehouse names, sorted. */
  List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /**
   * Moves {@code quantity} from {@code from} to {@code to} and returns the stock of both after it.
   *
   * @throws IllegalArgumentException for an unknown warehouse, or {@code from} equal to {@code to}
   * @throws InsufficientStock if {@code from} has less than {@code quantity}
   * @throws LockOrderViolationException with {@code --buggy-order}, once the checker has seen both
   *     directions: the transfer is not made
   */
  Map<String, Long> transfer(String from, String to, long quantity) throws InsufficientStock {
    Warehouse source = warehouse(from);
    Warehouse target = warehouse(to);
    if (source == target) {
      throw new IllegalArgumentException(
          "from and to are both '" + from + "': name two warehouses");
    }
    List<Warehouse> order = buggyOrder ? List.of(source, target) : sorted(source, target);
    List<Lock> held = new ArrayList<>();
    try {
      for (Warehouse w : order) {
        w.lock.lock(); // with --buggy-order, the checker may throw here, before blocking
        held.add(w.lock);
      }
      if (source.stock < quantity) {
        throw new InsufficientStock(
            from + " has " + source.stock + ", cannot move " + quantity + " to " + to);
      }
      source.stock -= quantity;
      target.stock += quantity;
      Map<String, Long> after = new LinkedHashMap<>();
      after.put(from, source.stock);
      after.put(to, target.stock);
      return after;
    } finally {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
    }
  }

  /**
   * The stock of every warehouse, each read under its own lock, one after the other: a read holds
   * one lock at a time, so it adds no lock order (under {@code --buggy-order} any nesting could
   * itself be reported). The price: a transfer that runs between two reads is seen in one warehouse
   * and not yet in the other, so the total is exact only when no transfer runs.
   */
  Map<String, Long> stock() {
    Map<String, Long> stock = new LinkedHashMap<>();
    for (Warehouse w : byName.values()) {
      w.lock.lock();
      try {
        stock.put(w.name, w.stock);
      } finally {
        w.lock.unlock();
      }
    }
    return stock;
  }

  // --- implementation ---

  private Warehouse warehouse(String name) {
    Warehouse w = name == null ? null : byName.get(name);
    if (w == null) {
      throw new IllegalArgumentException(
          "unknown warehouse '" + name + "': use one of " + String.join(", ", byName.keySet()));
    }
    return w;
  }

  private static List<Warehouse> sorted(Warehouse a, Warehouse b) {
    return a.name.compareTo(b.name) < 0 ? List.of(a, b) : List.of(b, a);
  }
}
