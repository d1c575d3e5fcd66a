package dev.weft.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** What an observer may read about a scope (names only: never task results or arguments). */
public interface ObservedScope {
  /** The scope's name, as given to {@code Scope.open}. */
  String name();

  /** The policy, as its name and arguments: {@code fail-fast}, {@code quorum(2)}, ... */
  String policyName();

  /**
   * Whether the policy is one of Weft's own ({@code Policy.failFast()}, ...), whose {@link
   * #policyName()} is fixed text; a user's policy may name itself with anything (an identity hash).
   */
  boolean policyBuiltIn();

  /** The enclosing scope, or null for a root scope. */
  @Nullable ObservedScope parentScope();

  /** The task of {@link #parentScope()} whose body opened this scope, or null. */
  @Nullable ObservedTask parentTask();

  /** The thread that opened the scope and owns it. */
  Thread owner();

  /** The scope's tasks in fork order, as far as they are visible to the calling thread. */
  List<? extends ObservedTask> observedTasks();
}
