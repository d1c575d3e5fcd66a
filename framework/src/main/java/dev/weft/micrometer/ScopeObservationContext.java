package dev.weft.micrometer;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The context of a scope's observation ({@code weft.scope}): what a {@link
 * ScopeObservationConvention} or an {@code ObservationHandler} may read about the scope. Its parent
 * observation is the one current in the owner thread when the scope opened.
 *
 * <p>Written by the scope's owner thread; read by handlers in that thread.
 */
public final class ScopeObservationContext extends Observation.Context {
  private final String scopeName;
  private final String policy;
  private @Nullable String outcome;

  ScopeObservationContext(String scopeName, String policy) {
    this.scopeName = scopeName;
    this.policy = policy;
  }

  /** The scope's name, as given to {@code Scope.open}. */
  public String scopeName() {
    return scopeName;
  }

  /**
   * The scope's policy: a built-in policy's name and arguments ({@code fail-fast}, {@code
   * collect-all}, {@code first-success}, {@code quorum(2)}), or {@code custom} for any other.
   */
  public String policy() {
    return policy;
  }

  /**
   * How the scope ended, once it has closed: {@code succeeded} ({@code join()} returned), {@code
   * failed} (it threw a task's failure or the policy's exception), {@code deadline_exceeded},
   * {@code cancelled}, {@code interrupted}, or {@code not_joined} (closed without {@code join()});
   * null while the scope is open. The exception {@code join()} threw, if {@code failed} or {@code
   * deadline_exceeded}, is the context's {@link #getError() error}.
   */
  public @Nullable String outcome() {
    return outcome;
  }

  void outcome(String outcome) {
    this.outcome = outcome;
  }
}
