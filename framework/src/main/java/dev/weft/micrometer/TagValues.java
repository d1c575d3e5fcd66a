package dev.weft.micrometer;

import dev.weft.internal.ObservedScope;
import dev.weft.internal.ObservedTask;
import dev.weft.scope.DeadlineExceededException;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * The tag values that meters and observations share: each a fixed string or a name the user fixed
 * in code, never an id, a task result or an exception message.
 */
final class TagValues {
  /** The task tag of every task whose name {@code fork(body)} generated ({@code task-N}). */
  static final String GENERATED_TASK = "task-N";

  /** The policy tag of a policy that is not one of Weft's own. */
  static final String CUSTOM_POLICY = "custom";

  /** Scope outcome: {@code join()} returned. */
  static final String SUCCEEDED = "succeeded";

  /** Scope outcome: {@code join()} threw a task's failure, or the policy's own exception. */
  static final String FAILED = "failed";

  /** Scope outcome: {@code join()} threw {@link DeadlineExceededException}. */
  static final String DEADLINE_EXCEEDED = "deadline_exceeded";

  /** Scope outcome: {@code join()} threw {@link CancellationException}. */
  static final String CANCELLED = "cancelled";

  /** Scope outcome: {@code join()} threw {@link InterruptedException}. */
  static final String INTERRUPTED = "interrupted";

  /** Scope outcome: the scope was closed without {@code join()} (the owner threw or returned). */
  static final String NOT_JOINED = "not_joined";

  private TagValues() {}

  static String task(ObservedTask task) {
    return task.nameGenerated() ? GENERATED_TASK : task.name();
  }

  static String policy(ObservedScope scope) {
    return scope.policyBuiltIn() ? scope.policyName() : CUSTOM_POLICY;
  }

  /** The outcome of a scope that was joined ({@code thrown}: what join threw, or null). */
  static String joined(@Nullable Throwable thrown) {
    if (thrown == null) {
      return SUCCEEDED;
    }
    if (thrown instanceof DeadlineExceededException) {
      return DEADLINE_EXCEEDED;
    }
    if (thrown instanceof CancellationException) {
      return CANCELLED;
    }
    if (thrown instanceof InterruptedException) {
      return INTERRUPTED;
    }
    return FAILED;
  }

  /** Whether a scope outcome is an error of the scope (a tracing span marked failed). */
  static boolean scopeError(String outcome) {
    return outcome.equals(FAILED) || outcome.equals(DEADLINE_EXCEEDED);
  }
}
