package dev.weft.stress.soak;

import dev.weft.scope.Scope;
import dev.weft.stress.soak.Trail.ScopeTrail;
import dev.weft.stress.soak.TreePlan.Injection;
import dev.weft.stress.soak.TreePlan.InjectionKind;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The other thread of the soak: at the moments a tree's plan names, it cancels a scope of the tree
 * or interrupts a scope's owner thread. A nested scope is hit only while it is open, so an
 * interrupt meant for a nested owner does not land in an unrelated part of its task body.
 *
 * <p>{@link #disarm()} returns only once no injection for the tree is in progress and none will
 * follow: the driver then clears its own interrupt flag, and the next tree starts clean. Every
 * injection runs under {@code lock}, which disarm takes.
 */
final class Injector {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock: the tree being injected into, when its clock started, the next injection.
  private Trail trail;
  private long startNanos;
  private int next;
  private long cancels;
  private long interrupts;

  private Injector() {}

  /** Starts the injector's daemon platform thread. */
  static Injector start() {
    Injector in = new Injector();
    Thread.ofPlatform().daemon().name("soak-injector").start(in::loop);
    return in;
  }

  /** Starts injecting into {@code t}, counting delays from now. */
  void arm(Trail t) {
    lock.lock();
    try {
      trail = t;
      startNanos = System.nanoTime();
      next = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops injecting; returns once no injection is in progress. */
  void disarm() {
    lock.lock();
    try {
      trail = null;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Cancels performed so far (not counting those whose scope was not open). */
  long cancels() {
    lock.lock();
    try {
      return cancels;
    } finally {
      lock.unlock();
    }
  }

  /** Owner interrupts performed so far. */
  long interrupts() {
    lock.lock();
    try {
      return interrupts;
    } finally {
      lock.unlock();
    }
  }

  // --- implementation ---

  private void loop() {
    lock.lock();
    try {
      for (; ; ) {
        Trail t = trail;
        List<Injection> plan = t == null ? List.of() : t.plan.injections();
        if (next >= plan.size()) {
          changed.awaitUninterruptibly();
          continue;
        }
        Injection in = plan.get(next);
        long wait = startNanos + in.delayNanos() - System.nanoTime();
        if (wait > 0) {
          changed.awaitNanos(wait);
          continue; // re-read: the tree may have changed
        }
        next++;
        inject(t, in);
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException("soak-injector interrupted", e);
    } finally {
      lock.unlock();
    }
  }

  private void inject(Trail t, Injection in) {
    ScopeTrail st = t.scope(in.scopeId());
    Scope<?> scope = st == null ? null : st.scope;
    if (scope == null || st.closed) {
      return; // not open (yet, or any more)
    }
    if (in.kind() == InjectionKind.CANCEL) {
      scope.cancel();
      cancels++;
    } else {
      st.owner.interrupt();
      interrupts++;
    }
  }
}
