package dev.weft.scope;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Where a scope sits in the tree of scopes: the innermost scope a thread owns, a scope's parent
 * (the scope it hides on its owner's thread, or the scope of the task whose body opened it) and its
 * children, the cancellation of the children with their parent, and the closing of scopes that were
 * left open (by an outer {@code close()} or by a task body that returned).
 */
final class Nesting {
  // Per thread: the innermost open scope this thread owns (each scope links to the one it hides).
  // The task whose body a thread runs is in CurrentTask.
  private static final ThreadLocal<ScopeImpl<?>> INNERMOST = new ThreadLocal<>();
  private static final VarHandle CHILDREN;

  static {
    try {
      CHILDREN = MethodHandles.lookup().findVarHandle(Nesting.class, "children", Set.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // parent: the enclosing scope, or null for a root.
  final @Nullable ScopeImpl<?> parent;
  // hiddenOnThread: the scope this one hides as its owner's innermost, or null.
  private final ScopeImpl<?> hiddenOnThread;
  // ownerTask: the task of the parent whose body opened this scope, or null.
  private final @Nullable TaskNode<?> ownerTask;
  // children: scopes opened inside this scope's tasks (or nested on the owner); each adds and
  // removes itself. Read by whoever cancels this scope. Null until the first child creates it
  // (CAS): most scopes have no child, and the set costs 88 bytes. A child writes the field (or
  // reads it set) and adds itself before it reads the parent's stop; a cancel sets the stop
  // before it reads the field: one of the two sees the other (see link).
  private volatile @Nullable Set<ScopeImpl<?>> children;
  // rootKey: this root scope's entry in OpenRoots (for ScopeDump), or null for a nested scope.
  // Owner only (set by link, read by unlink).
  private OpenRoots.@Nullable Key rootKey;

  /** The task of the parent whose body opened this scope, or null. */
  @Nullable TaskNode<?> ownerTask() {
    return ownerTask;
  }

  /** The open scopes nested in this one (a live view, for ScopeDump; empty while none). */
  Set<ScopeImpl<?>> children() {
    Set<ScopeImpl<?>> c = children;
    return c == null ? Set.of() : c;
  }

  /** The set of children, created by the first child. Any thread. */
  @SuppressWarnings("unchecked")
  private Set<ScopeImpl<?>> childrenToAdd() {
    Set<ScopeImpl<?>> c = children;
    if (c == null) {
      Set<ScopeImpl<?>> created = ConcurrentHashMap.newKeySet();
      c = (Set<ScopeImpl<?>>) CHILDREN.compareAndExchange(this, null, created);
      if (c == null) {
        c = created;
      }
    }
    return c;
  }

  /** The nesting of a scope about to open on the current thread (no side effect yet but one). */
  Nesting() {
    this.hiddenOnThread = INNERMOST.get();
    TaskNode<?> task = CurrentTask.get();
    if (task != null) {
      task.openedScope = true; // closeLeftoverScopes() then looks for scopes the body left open
    }
    this.parent = hiddenOnThread != null ? hiddenOnThread : task != null ? task.scope : null;
    this.ownerTask = task != null && task.scope == parent ? task : null;
  }

  /** The scope whose deadline applies here: the innermost scope owned, or the current task's. */
  static @Nullable ScopeImpl<?> current() {
    ScopeImpl<?> s = INNERMOST.get();
    if (s == null) {
      TaskNode<?> t = CurrentTask.get();
      s = t == null ? null : t.scope;
    }
    return s;
  }

  /**
   * Makes {@code scope} its thread's innermost and its parent's child; cancels it if the parent is
   * already stopping (the parent's cancel may have walked its children before the add).
   */
  void link(ScopeImpl<?> scope) {
    INNERMOST.set(scope);
    if (parent == null) {
      rootKey = OpenRoots.add(scope);
    } else {
      parent.nesting.childrenToAdd().add(scope);
      String cancelled = ScopeCancel.detail(parent);
      if (cancelled != null) {
        // The task whose body opens this scope is being cancelled too (by the parent's walk, or
        // by its fork if it was not published yet): end it first, so that a task is always final
        // before a scope nested in it reports the cancel (then what its body throws is an echo).
        if (ownerTask != null && !TaskCancel.cancel(ownerTask, cancelled)) {
          ownerTask.awaitFinal(); // another thread is ending it: its publish is brief
        }
        ScopeCancel.fromParent(scope, parent);
      }
    }
  }

  /** Undoes {@link #link}: the hidden scope is the thread's innermost again. */
  void unlink(ScopeImpl<?> scope) {
    if (parent != null) {
      parent.nesting.childrenToAdd().remove(scope); // link created the set
    }
    if (rootKey != null) {
      OpenRoots.remove(rootKey); // before close() returns: a closed root is never dumped after it
    }
    // set, not remove, when it hid none: the thread's next scope then reuses the map's entry
    INNERMOST.set(hiddenOnThread);
  }

  /**
   * Cancels every child, because {@code scope} (their parent) stopped with {@code stop}. The task
   * that owns a child ends first, then the child is cancelled, then the task's thread is
   * interrupted: the parent's walk may have missed that task (forked while the walk ran), and a
   * task must be final before a scope nested in it reports the cancel, and that scope cancelled
   * before the task's thread sees the interrupt.
   */
  void cancelChildren(ScopeImpl<?> scope, Stop stop) {
    for (ScopeImpl<?> child : children()) {
      TaskNode<?> task = child.nesting.ownerTask;
      if (task != null) {
        TaskCancel.withoutInterrupt(task, stop.detail());
      }
      ScopeCancel.fromParent(child, scope);
      if (task != null) {
        TaskCancel.interruptIfCancelled(task);
      }
    }
  }

  /**
   * Closes the scopes the current thread opened after {@code outer} and left open, innermost first;
   * returns them (empty if none). An exception while closing one goes to {@code errors}.
   */
  static List<ScopeImpl<?>> closeInner(@Nullable ScopeImpl<?> outer, List<Throwable> errors) {
    List<ScopeImpl<?>> leftOpen = List.of(); // the usual case, allocated only when one is left
    for (ScopeImpl<?> inner = INNERMOST.get();
        inner != null && inner != outer;
        inner = INNERMOST.get()) {
      if (leftOpen.isEmpty()) {
        leftOpen = new ArrayList<>();
      }
      leftOpen.add(inner);
      try {
        Throwable sinkFailed = inner.closeNow();
        if (sinkFailed != null) {
          errors.add(sinkFailed);
        }
      } catch (Throwable e) {
        errors.add(e);
      }
    }
    return leftOpen;
  }

  /** Scopes a task's body left open: close them, and turn it into a failure of the task. */
  static @Nullable Throwable closeLeftoverScopes(TaskNode<?> task, @Nullable Throwable failure) {
    if (!task.openedScope || INNERMOST.get() == null) {
      return failure; // openedScope saves a thread-local look-up (and map entry) in most tasks
    }
    List<Throwable> broken = new ArrayList<>();
    List<ScopeImpl<?>> leftOpen = closeInner(null, broken);
    IllegalStateException e =
        new IllegalStateException(
            "task '"
                + task.name()
                + "' ended with "
                + (leftOpen.size() == 1
                    ? "scope " + quote(leftOpen) + " still open; it was"
                    : "scopes " + quote(leftOpen) + " still open; they were")
                + " cancelled and closed: open nested scopes with try-with-resources");
    for (ScopeImpl<?> sc : leftOpen) {
      Failures.attachMissing(e, sc); // their failures, which no join() reported
    }
    broken.forEach(e::addSuppressed);
    if (failure == null) {
      return e;
    }
    failure.addSuppressed(e);
    return failure;
  }

  /**
   * Describes the task (or nested task) that {@code t} runs in the subtree of {@code scope}, or
   * null (for the lock-ordering checker's structural check, see BlockedOwners).
   */
  @Nullable String findTaskThread(ScopeImpl<?> scope, Thread t) {
    String found = null;
    for (int i = 0, size = scope.tasks.size(Thread.currentThread() == scope.owner); i < size; i++) {
      TaskNode<?> n = scope.tasks.get(i);
      if (n.thread == t && n.threadRunning()) {
        found =
            "task '" + n.name() + "' of scope '" + scope.name + "' (thread " + t.getName() + ")";
        break;
      }
    }
    for (ScopeImpl<?> child : children()) {
      if (found != null) {
        return found;
      }
      found = child.nesting.findTaskThread(child, t);
    }
    return found;
  }

  /** Names as messages list them: 'a', 'b'. */
  static String quote(List<ScopeImpl<?>> scopes) {
    return scopes.stream().map(s -> "'" + s.name + "'").collect(Collectors.joining(", "));
  }
}
