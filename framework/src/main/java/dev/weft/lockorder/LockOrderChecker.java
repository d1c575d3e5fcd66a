package dev.weft.lockorder;

import dev.weft.internal.JfrHook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A factory of checked locks that learns the order in which threads take them and reports a
 * potential deadlock before a thread takes locks in an order that closes a cycle.
 *
 * {@snippet class=dev.weft.samples.ApiSnippets region=lock-order lang=java}
 *
 * <h2>Usage</h2>
 *
 * Create one checker per application (or per test) and get every lock that takes part in nesting
 * from it: {@link #newLock(String)}, {@link #newReadWriteLock(String)}, or {@link
 * #lockClass(String)} for many instances that share one class. Locks whose names are equal share a
 * class. The checked locks implement {@link Lock} and {@link ReadWriteLock} with the semantics of
 * non-fair {@link java.util.concurrent.locks.ReentrantLock} and {@link
 * java.util.concurrent.locks.ReentrantReadWriteLock}.
 *
 * <h2>What is checked</h2>
 *
 * Acquiring B while holding A records {@code A -> B} (per class; once per distinct held chain, then
 * cached). An acquisition that would close a cycle is reported before the thread can block, even if
 * the orders never ran at the same time. {@code lock()}, {@code lockInterruptibly()} and timed
 * {@code tryLock} are checked alike; untimed {@code tryLock()}, and a timed one whose time is zero
 * or negative, cannot block, so they are not checked unless {@link Builder#checkTryLock(boolean)};
 * a lock they take still orders later acquisitions. Re-entrant acquisitions add nothing. For
 * read/write locks, orders in which every conflict would be read against read are not cycles.
 * {@link #declareOrder(String...)} adds orders that hold from the start.
 *
 * <h2>Exceptions</h2>
 *
 * Under {@link LockOrderPolicy#THROW} a violating acquisition throws {@link
 * LockOrderViolationException} and takes nothing. A blocked acquisition that is part of an actual
 * deadlock, or waits for a lock whose owner terminated holding it, throws {@link DeadlockException}
 * (unless {@link Builder#breakDeadlocks(boolean)} is off), also under WARN, as waiting would never
 * end. Misuse throws the JDK's exceptions with the lock named: {@code IllegalMonitorStateException}
 * for {@code unlock()}, {@code await} or {@code signal} by a thread that does not hold the lock.
 *
 * <h2>Thread confinement</h2>
 *
 * All methods may be called by any thread. Held locks are tracked per thread (a thread local, so
 * they follow virtual threads, not carriers).
 *
 * <h2>Limitations &amp; cost</h2>
 *
 * See {@code docs/lock-ordering.md}: false positives (instances of one class, orders made safe by
 * an outer lock), condition waits, and measured cost.
 */
public final class LockOrderChecker {
  // Graphs of all live checkers, for resetAll(). Guarded by REGISTRY_LOCK.
  private static final Map<Graph, Boolean> REGISTRY = new WeakHashMap<>();
  private static final ReentrantLock REGISTRY_LOCK = new ReentrantLock();

  private final LockOrderPolicy policy;
  final boolean checkTryLock;
  final boolean breakDeadlocks;
  final Graph graph = new Graph();
  // The enum that owns each simple name used for ranks (see rankName). Any thread.
  private final ConcurrentHashMap<String, Class<?>> rankEnums = new ConcurrentHashMap<>();

  static {
    Waits.listenToScopes(); // so that an owner holding checked locks across join() is seen
    JfrHook.install(); // JFR events for reports, while a recording enables them
  }

  private LockOrderChecker(Builder b) {
    this.policy = b.policy != null ? b.policy : defaultPolicy();
    this.checkTryLock = b.checkTryLock;
    this.breakDeadlocks = b.breakDeadlocks;
    REGISTRY_LOCK.lock();
    try {
      REGISTRY.put(graph, Boolean.TRUE);
    } finally {
      REGISTRY_LOCK.unlock();
    }
  }

  /** Returns a checker with the default policy: {@value LockOrderPolicy#PROPERTY}, else THROW. */
  public static LockOrderChecker create() {
    return builder().build();
  }

  /** Returns a checker with {@code policy}. */
  public static LockOrderChecker create(LockOrderPolicy policy) {
    return builder().policy(policy).build();
  }

  /** Returns a builder for a checker with non-default options. */
  public static Builder builder() {
    return new Builder();
  }

  /** This checker's policy. */
  public LockOrderPolicy policy() {
    return policy;
  }

  /**
   * Returns a new checked exclusive lock of the class {@code className}.
   *
   * @throws IllegalArgumentException if {@code className} is blank
   */
  public Lock newLock(String className) {
    return lockClass(className).newLock();
  }

  /**
   * Returns a new checked read/write lock of the class {@code className}.
   *
   * @throws IllegalArgumentException if {@code className} is blank
   */
  public ReadWriteLock newReadWriteLock(String className) {
    return lockClass(className).newReadWriteLock();
  }

  /**
   * Returns the lock class named {@code name}, for many lock instances that share one place in the
   * order.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public LockClass lockClass(String name) {
    return new LockClass(
        this,
        graph.node(
            requireName(
                name,
                "lock class name",
                "name the class after what its locks guard, e.g. newLock(\"accounts\")")));
  }

  /**
   * Returns the lock class of the rank {@code rank}, named {@code SimpleName.CONSTANT} (as Guava's
   * {@code CycleDetectingLockFactory} names ranks), so that {@code DbRank.POOL} and {@code
   * CacheRank.POOL} are different classes; {@link #declareOrder(Class)} orders them. Its locks come
   * from {@code rankClass(DbRank.POOL).newLock()}; {@code lockClass("DbRank.POOL")} is the same
   * class.
   *
   * @throws IllegalArgumentException if another enum of this checker has the same simple name
   */
  public LockClass rankClass(Enum<?> rank) {
    return new LockClass(this, graph.node(rankName(Objects.requireNonNull(rank, "rank"))));
  }

  /**
   * Declares that the classes {@code classNames} are taken in this order: acquiring one of them
   * while holding a later one is reported at once, even the first time. Orders learned later are
   * checked against it, and it survives {@link #reset()}.
   *
   * @return this checker (for chaining)
   * @throws IllegalArgumentException if fewer than two names are given, a name is blank or
   *     repeated, or the order contradicts an order seen or declared before (the message names the
   *     cycle)
   */
  public LockOrderChecker declareOrder(String... classNames) {
    Objects.requireNonNull(classNames, "declared order must not be null: " + DECLARE_FIX);
    List<String> names = new ArrayList<>(classNames.length);
    Set<String> seen = new HashSet<>();
    for (String n : classNames) {
      String name =
          requireName(
              n, "lock class name in declared order " + Arrays.asList(classNames), DECLARE_FIX);
      if (!seen.add(name)) {
        throw new IllegalArgumentException(
            "lock class '"
                + name
                + "' appears twice in declared "
                + "order "
                + Arrays.asList(classNames)
                + ": list each class once, in the order they are taken");
      }
      names.add(name);
    }
    if (names.size() < 2) {
      throw new IllegalArgumentException(
          "declareOrder needs at least two lock class names, got " + names + ": " + DECLARE_FIX);
    }
    if (policy != LockOrderPolicy.OFF) {
      graph.declareOrder(names);
    }
    return this;
  }

  /**
   * Declares the order of the constants of {@code ranks} (by ordinal): a lock of a rank (from
   * {@link #rankClass(Enum)}) must not be taken while holding one of a later rank. Each rank is the
   * lock class {@code SimpleName.CONSTANT}, e.g. {@code DbRank.POOL}, so two enums never share a
   * rank, and reports name the enum.
   *
   * @return this checker (for chaining)
   * @throws IllegalArgumentException if the enum has fewer than two constants, if another enum of
   *     this checker has the same simple name, or see {@link #declareOrder(String...)}
   */
  public <E extends Enum<E>> LockOrderChecker declareOrder(Class<E> ranks) {
    Objects.requireNonNull(
        ranks,
        "rank enum must not be null: pass an enum class whose "
            + "constants name the lock classes in the order they are taken");
    E[] constants = ranks.getEnumConstants();
    String[] names = new String[constants.length];
    for (int i = 0; i < constants.length; i++) {
      names[i] = rankName(constants[i]);
    }
    return declareOrder(names);
  }

  /**
   * Forgets every learned order and every reported cycle (declared orders stay). Meant for tests; a
   * thread that holds checked locks while this runs may miss orders involving them.
   */
  public void reset() {
    graph.reset();
  }

  /** The orders known now (learned and declared), as sorted {@code "a -> b"} strings. */
  public List<String> edges() {
    return graph.edges();
  }

  /**
   * The order graph in Graphviz DOT: one node per lock class, one edge per order; declared edges
   * are dashed, edges seen with read locks are labelled with their modes ({@code R->W}).
   */
  public String toDot() {
    return DotExport.of(graph);
  }

  /** Resets every live checker in this JVM, as {@link #reset()} does; for test set-up. */
  public static void resetAll() {
    List<Graph> graphs;
    REGISTRY_LOCK.lock();
    try {
      graphs = new ArrayList<>(REGISTRY.keySet());
    } finally {
      REGISTRY_LOCK.unlock();
    }
    graphs.forEach(Graph::reset);
  }

  /**
   * Adds a listener called with every report of any checker in this JVM: each {@link
   * LockOrderViolationException} (thrown, or logged under WARN: {@link
   * LockOrderViolationException#policy()} says which) and each {@link DeadlockException} (thrown by
   * an acquisition, or not thrown: a deadlock a {@link DeadlockDetector}'s watchdog found). Called
   * on the reporting thread, before the exception is thrown or logged; a listener that throws is
   * logged and ignored.
   */
  public static void addReportListener(Consumer<? super RuntimeException> listener) {
    Reports.LISTENERS.add(
        Objects.requireNonNull(
            listener,
            "report listener must not be null: " + "pass a Consumer that receives each report"));
  }

  /** Removes a listener added by {@link #addReportListener}; no-op if it is not there. */
  public static void removeReportListener(Consumer<? super RuntimeException> listener) {
    Reports.LISTENERS.remove(listener);
  }

  @Override
  public String toString() {
    return "LockOrderChecker[policy=" + policy + "]";
  }

  // --- implementation ---

  private static LockOrderPolicy defaultPolicy() {
    String value = System.getProperty(LockOrderPolicy.PROPERTY);
    if (value == null || value.isBlank()) {
      return LockOrderPolicy.THROW;
    }
    try {
      return LockOrderPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "system property "
              + LockOrderPolicy.PROPERTY
              + " is '"
              + value
              + "': use THROW, WARN or OFF",
          e);
    }
  }

  // The class name of a rank; claims the simple name for the rank's enum, so that two enums
  // with one simple name (in different packages or outer classes) cannot merge their ranks.
  private String rankName(Enum<?> rank) {
    Class<?> type = rank.getDeclaringClass();
    String name = type.getSimpleName() + "." + rank.name();
    Class<?> owner = rankEnums.putIfAbsent(type.getSimpleName(), type);
    if (owner != null && owner != type) {
      throw new IllegalArgumentException(
          "enum "
              + type.getName()
              + " names its ranks like enum "
              + owner.getName()
              + " ('"
              + name
              + "'): rename one of the two enums, or give each its own checker");
    }
    return name;
  }

  private static final String DECLARE_FIX =
      "pass the lock class names in the order they are taken, "
          + "e.g. declareOrder(\"accounts\", \"audit\")";

  private static String requireName(String name, String what, String fix) {
    Objects.requireNonNull(name, () -> what + " must not be null: " + fix);
    if (name.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank, got '" + name + "': " + fix);
    }
    return name;
  }

  /**
   * Options of a {@link LockOrderChecker}. Not thread-safe; {@link #build()} may be called more
   * than once.
   */
  public static final class Builder {
    private @Nullable LockOrderPolicy policy; // null: the default (system property, else THROW)
    private boolean checkTryLock;
    private boolean breakDeadlocks = true;

    private Builder() {}

    /**
     * Sets the policy; without it the checker uses {@value LockOrderPolicy#PROPERTY}, else THROW.
     *
     * @return this builder (for chaining)
     */
    public Builder policy(LockOrderPolicy policy) {
      this.policy =
          Objects.requireNonNull(
              policy,
              "lock order policy must not be null: pass "
                  + "THROW, WARN or OFF, or leave it unset for the default");
      return this;
    }

    /**
     * Whether untimed {@code tryLock()}, and timed {@code tryLock} with a time of zero or less, are
     * checked and learn orders like {@code lock()}; default {@code false}, as they cannot block
     * (lockdep does the same).
     *
     * @return this builder (for chaining)
     */
    public Builder checkTryLock(boolean check) {
      this.checkTryLock = check;
      return this;
    }

    /**
     * Whether a blocked acquisition that is part of an actual deadlock (or waits for a lock whose
     * owner terminated holding it) throws {@link DeadlockException} instead of waiting forever;
     * default {@code true}. When off, such threads wait as plain locks do, and only a {@link
     * DeadlockDetector} reports them.
     *
     * @return this builder (for chaining)
     */
    public Builder breakDeadlocks(boolean breakDeadlocks) {
      this.breakDeadlocks = breakDeadlocks;
      return this;
    }

    /**
     * Returns a new checker with these options.
     *
     * @throws IllegalArgumentException if no policy was set and {@value LockOrderPolicy#PROPERTY}
     *     holds an unknown value
     */
    public LockOrderChecker build() {
      return new LockOrderChecker(this);
    }
  }
}
