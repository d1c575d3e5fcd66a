package dev.weft.scope;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A scope's calls into its {@link Policy}: {@code onFork} and {@code onJoin} in the owner, {@code
 * onComplete} in whichever thread ended a task. A callback that returns true cancels the scope; one
 * that throws (an {@code Error} too) cancels it and its exception is what {@code join()} throws.
 * While the owner runs a callback it may read results before {@code join()}, and may not fork.
 */
final class PolicyCalls<R> {
  private static final VarHandle FAILURE;

  static {
    try {
      FAILURE = MethodHandles.lookup().findVarHandle(PolicyCalls.class, "failure", Throwable.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Whether a policy's class overrides onFork; the default does nothing, and is not called.
  private static final ClassValue<Boolean> OVERRIDES_ON_FORK =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          try {
            return type.getMethod("onFork", Task.class).getDeclaringClass() != Policy.class;
          } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // cannot tell: call it
          }
        }
      };

  final Policy<R> policy;
  private final ScopeImpl<R> scope;
  // callsOnFork: false for a policy without onFork of its own (the built-ins but quorum), so that
  // fork() does not write inOwner twice per task: task threads read this object's other fields at
  // each task's end, and a write by the owner would take the cache line from them every time.
  private final boolean callsOnFork;
  // inOwner: owner only; true while the owner runs a callback. Never written by task threads: it
  // shares a cache line with what they read.
  private boolean inOwner;
  // failure: the first exception (or Error) a callback threw, CAS from null once by whichever
  // thread ran the callback (later ones are suppressed in it); read by the owner.
  private volatile @Nullable Throwable failure;

  PolicyCalls(ScopeImpl<R> scope, Policy<R> policy) {
    this.scope = scope;
    this.policy = policy;
    this.callsOnFork = OVERRIDES_ON_FORK.get(policy.getClass());
  }

  /** Whether the owner runs a callback now. Owner only. */
  boolean ownerInCallback() {
    return inOwner;
  }

  /** The first exception a callback threw, or null. */
  @Nullable Throwable failure() {
    return failure;
  }

  /** {@code onFork}, in the owner (not called when the policy does not override it). */
  void onFork(TaskNode<?> node) {
    if (!callsOnFork) {
      return;
    }
    inOwner = true;
    try {
      policy.onFork(node);
    } catch (Throwable e) {
      failed(e);
    } finally {
      inOwner = false;
    }
  }

  /** {@code onJoin}, in the owner. */
  void onJoin() {
    inOwner = true;
    try {
      if (policy.onJoin()) {
        ScopeCancel.byPolicy(scope, "policy " + describe() + " stopped the scope at join()");
      }
    } catch (Throwable e) {
      failed(e);
    } finally {
      inOwner = false;
    }
  }

  /** {@code onComplete}, in the thread that ended {@code node}. */
  void onComplete(TaskNode<?> node) {
    boolean owner = Thread.currentThread() == scope.owner;
    try {
      if (owner) {
        inOwner = true;
      }
      if (policy.onComplete(node)) {
        ScopeCancel.byPolicy(
            scope,
            "policy "
                + describe()
                + " stopped the scope after task '"
                + node.name()
                + "' "
                + node.state().name().toLowerCase());
      }
    } catch (Throwable e) {
      failed(e); // an Error too: the task must still settle, or join() would hang
    } finally {
      if (owner) {
        inOwner = false;
      }
    }
  }

  /** The policy as messages name it, even if its toString() throws. */
  String describe() {
    return Messages.describe(policy);
  }

  private void failed(Throwable e) {
    FAILURE.compareAndSet(this, null, e); // the first one; later ones are suppressed in it
    Throwable first = failure; // not null after the CAS
    if (first != null && first != e) {
      first.addSuppressed(e);
    }
    ScopeCancel.byPolicy(scope, "policy " + describe() + " threw " + Messages.describe(e));
  }
}
