package dev.weft.micrometer;

import dev.weft.internal.Observers;
import dev.weft.lockorder.LockOrderChecker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Weft's meters: scopes, tasks, concurrency-limit waits, lock-order violations and deadlocks, in a
 * Micrometer {@link MeterRegistry}.
 *
 * {@snippet class=dev.weft.samples.ApiSnippets region=metrics lang=java}
 *
 * <h2>Meters</h2>
 *
 * <table class="striped">
 *   <caption>Weft's meters (Prometheus adds {@code _seconds}, {@code _total})</caption>
 *   <thead><tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@value #SCOPES_OPENED}</td><td>counter</td><td>scope</td><td>scopes opened</td></tr>
 *   <tr><td>{@value #SCOPES_ACTIVE}</td><td>long task timer</td><td>scope</td>
 *       <td>scopes open now, and for how long</td></tr>
 *   <tr><td>{@value #SCOPE_DURATION}</td><td>timer</td><td>scope, policy, outcome</td>
 *       <td>open to closed</td></tr>
 *   <tr><td>{@value #TASK_DURATION}</td><td>timer</td><td>scope, task, outcome</td>
 *       <td>start of the body to the end of the task (0 for a task that never started)</td></tr>
 *   <tr><td>{@value #TASK_QUEUE_WAIT}</td><td>timer</td><td>scope, task</td>
 *       <td>fork to start: dependencies and a slot of the concurrency limit</td></tr>
 *   <tr><td>{@value #TASK_SLOT_WAIT}</td><td>timer</td><td>scope, task</td>
 *       <td>ready (dependencies done) to start: the wait for a slot of the limit</td></tr>
 *   <tr><td>{@value #LOCK_ORDER_VIOLATIONS}</td><td>counter</td><td>policy</td>
 *       <td>lock-order violations reported (THROW: each; WARN: once per cycle)</td></tr>
 *   <tr><td>{@value #DEADLOCKS_FOUND}</td><td>counter</td><td></td>
 *       <td>deadlocks broken at an acquisition or found by a watchdog</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Tag values: {@code outcome} of a task is {@code succeeded}, {@code failed}, {@code timed_out},
 * {@code recovered}, {@code cancelled} or {@code skipped}; of a scope {@code succeeded}, {@code
 * failed}, {@code deadline_exceeded}, {@code cancelled}, {@code interrupted} or {@code not_joined}.
 * {@code policy} of a scope is the built-in policy's name ({@code fail-fast}, {@code quorum(2)},
 * ...) or {@code custom}; of a violation {@code throw} or {@code warn}. Task names that {@code
 * fork(body)} generated are all {@code task-N}. Never a task id, a result or an exception message.
 *
 * <h2>Cardinality</h2>
 *
 * Scope and task names are tag values: use fixed names. As a guard, each registry keeps at most
 * {@value #MAX_NAMES} scope names and as many task names per scope; further ones are reported as
 * {@code other} (and a warning is logged once). A {@code MeterFilter} can cap them lower.
 *
 * <h2>Thread safety and cost</h2>
 *
 * Thread-safe. Binding or closing applies to the scopes opened afterwards; a scope reports to the
 * registries it saw at open until it closes. The meters of a (scope, task, outcome) are looked up
 * once and kept; per task the cost is one small object, one map lookup and two timer records (one
 * more under a concurrency limit), with no string built. The lock-order meters count the reports of
 * every {@link LockOrderChecker} in the JVM.
 */
public final class WeftMetrics implements MeterBinder, AutoCloseable {
  /** Counter of scopes opened, tag {@code scope}. */
  public static final String SCOPES_OPENED = "weft.scopes.opened";

  /** Long task timer of the scopes open now, tag {@code scope}. */
  public static final String SCOPES_ACTIVE = "weft.scopes.active";

  /** Timer of scopes from open to closed, tags {@code scope}, {@code policy}, {@code outcome}. */
  public static final String SCOPE_DURATION = "weft.scope.duration";

  /** Timer of tasks from start to end, tags {@code scope}, {@code task}, {@code outcome}. */
  public static final String TASK_DURATION = "weft.task.duration";

  /** Timer of tasks from fork to start, tags {@code scope}, {@code task}. */
  public static final String TASK_QUEUE_WAIT = "weft.task.queue.wait";

  /** Timer of the waits for a slot of a concurrency limit, tags {@code scope}, {@code task}. */
  public static final String TASK_SLOT_WAIT = "weft.task.slot.wait";

  /**
   * Counter of lock-order violations reported, tag {@code policy} ({@code throw}, {@code warn}).
   */
  public static final String LOCK_ORDER_VIOLATIONS = "weft.lockorder.violations";

  /** Counter of actual deadlocks, broken at an acquisition or found by a watchdog. */
  public static final String DEADLOCKS_FOUND = "weft.deadlocks.found";

  /** At most this many scope names per registry, and task names per scope name. */
  public static final int MAX_NAMES = 1000;

  private final Tags tags;
  // bindings: one per bindTo, closed by close(); closed: set once by close(). Any thread.
  private final List<Binding> bindings = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** Weft's meters with no extra tags. */
  public WeftMetrics() {
    this(Tags.empty());
  }

  /**
   * Weft's meters, each with {@code tags} too (such as {@code Tags.of("app", "shop")}).
   *
   * @throws NullPointerException if {@code tags} is null
   */
  public WeftMetrics(Iterable<Tag> tags) {
    this.tags =
        Tags.of(Objects.requireNonNull(tags, "tags must not be null: pass Tags.empty() for none"));
  }

  /**
   * Registers the lock-order meters in {@code registry} and measures every scope opened from now
   * on, until {@link #close()}. Binding to several registries measures into each.
   *
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalStateException if this instance is closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry must not be null: pass the application's registry");
    if (closed) {
      throw new IllegalStateException("WeftMetrics is closed: create a new one to bind again");
    }
    LockOrderMeters lockOrder = new LockOrderMeters(registry, tags);
    LockOrderChecker.addReportListener(lockOrder);
    Binding b = new Binding(Observers.add(new MetricsObserver(registry, tags)), lockOrder);
    bindings.add(b);
    if (closed) { // closed meanwhile: close() may have missed this binding
      b.close();
    }
  }

  /**
   * Stops measuring: scopes opened from now on are not measured in any registry this was bound to,
   * and lock-order reports are no longer counted. The meters stay in their registries; scopes open
   * now are measured until they close. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    for (Binding b : bindings) {
      b.close();
    }
  }

  // --- implementation ---

  private record Binding(Observers.Registration scopes, LockOrderMeters lockOrder) {
    void close() {
      scopes.close(); // idempotent
      LockOrderChecker.removeReportListener(lockOrder);
    }
  }
}
