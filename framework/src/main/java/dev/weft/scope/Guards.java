package dev.weft.scope;

import dev.weft.internal.ThreadNames;
import java.util.Objects;

/**
 * The misuse checks of a scope's entry points, each with its message: who may call (the owner), in
 * which phase (open, joined, closed), with which arguments. Each throws the JDK exception for the
 * misuse, with a message that names the scope and says what to do.
 */
final class Guards {
  private Guards() {}

  /** The arguments of {@code Scope.open}; the policy is bound to the new scope. */
  static void open(String name, Policy<?> policy, ScopeConfig config) {
    Objects.requireNonNull(
        name,
        "scope name must not be null: name scopes after what they do, e.g. Scope.open(\"checkout\")");
    Objects.requireNonNull(
        policy,
        "scope policy must not be null: pass a new policy, e.g. Policy.collectAll(), or omit it"
            + " for fail-fast");
    Objects.requireNonNull(config, "scope config must not be null: pass ScopeConfig.defaults()");
    if (name.isBlank()) {
      throw new IllegalArgumentException(
          "scope name must not be blank: name scopes after what they do, e.g."
              + " Scope.open(\"checkout\")");
    }
    if (!PolicyBinding.bind(policy)) {
      throw new IllegalArgumentException(
          "policy "
              + Messages.describe(policy)
              + " is already used by another scope: a policy"
              + " instance keeps the state of one scope; create a new policy for each scope, e.g."
              + " Scope.open(\""
              + name
              + "\", Policy.firstSuccess())");
    }
  }

  /** Only the owner forks, joins and closes. */
  static void owner(ScopeImpl<?> s) {
    Thread current = Thread.currentThread();
    if (current != s.owner) {
      throw new WrongThreadException(
          "scope '"
              + s.name
              + "' is owned by thread "
              + ThreadNames.quoted(s.owner)
              + ", not "
              + ThreadNames.quoted(current)
              + ": only the thread that opened a scope may fork, join or close it");
    }
  }

  /** A fork comes before join() and close(), and not from a policy callback. */
  static void forkable(ScopeImpl<?> s, boolean joined, boolean closed) {
    if (joined) {
      throw new IllegalStateException(
          "scope '"
              + s.name
              + "' was already joined: fork every task before join(), or open a"
              + " new scope for another round of tasks");
    }
    if (closed) {
      throw new IllegalStateException(
          "scope '" + s.name + "' is closed: fork tasks inside its try-with-resources block");
    }
    if (s.calls.ownerInCallback()) {
      throw new IllegalStateException(
          "fork() was called from a callback of policy "
              + s.calls.describe()
              + " in scope '"
              + s.name
              + "': a policy decides when the scope is done, it does not fork; fork"
              + " every task from the scope's block, before join()");
    }
  }

  /** join() comes once, before close(). */
  static void joinable(ScopeImpl<?> s, boolean joined, boolean closed) {
    if (closed) {
      throw new IllegalStateException(
          "scope '"
              + s.name
              + "' is closed: call join() inside its try-with-resources block,"
              + " before it ends");
    }
    if (joined) {
      throw new IllegalStateException(
          "join() was already called on scope '"
              + s.name
              + "': call it once, or open a new"
              + " scope for another round of tasks");
    }
  }
}
