package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: a policy instance could serve a second scope.
 *
 * <p>{@code Policy} documents that an instance serves one scope only, since a policy keeps state
 * (failures seen, votes, the winner). Nothing checked it: passing the same instance to a second
 * {@code Scope.open}, after the first scope closed or while it was still open, silently mixed the
 * two scopes' outcomes (a {@code quorum(2)} counted the first scope's successes, a {@code
 * firstSuccess()} returned the first scope's winner). The second open must be rejected with a
 * message that says to create a new policy per scope.
 */
class PolicyReuseTest {

  /** A custom policy that records nothing: reuse must be rejected for it too. */
  static final class Quiet implements Policy<Object> {
    @Override
    public boolean onComplete(Task<?> task) {
      return false;
    }

    @Override
    public Object result(Scope<Object> scope) {
      return null;
    }

    @Override
    public String toString() {
      return "quiet";
    }
  }

  static Stream<Arguments> policies() {
    return Stream.of(
        Arguments.of(Named.of("quorum(2)", (Supplier<Policy<?>>) () -> Policy.quorum(2))),
        Arguments.of(Named.of("firstSuccess()", (Supplier<Policy<?>>) Policy::firstSuccess)),
        Arguments.of(Named.of("custom", (Supplier<Policy<?>>) Quiet::new)));
  }

  /** The policy's first scope was joined and closed: a second open with it is rejected. */
  @ParameterizedTest
  @MethodSource("policies")
  @Timeout(10)
  void open_policyOfClosedScope_throwsIllegalArgument(Supplier<Policy<?>> policies)
      throws Exception {
    Policy<?> policy = policies.get();
    try (Scope<?> first = Scope.open("first", policy)) {
      first.fork("a", () -> 1);
      first.fork("b", () -> 2);
      first.join();
    }
    assertThatThrownBy(() -> openAndClose("second", policy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policy")
        .hasMessageContaining("already")
        .hasMessageContaining("new");
  }

  /** The policy's first scope is still open: a second (nested) open with it is rejected. */
  @ParameterizedTest
  @MethodSource("policies")
  @Timeout(10)
  void open_policyOfOpenScope_throwsIllegalArgument(Supplier<Policy<?>> policies) throws Exception {
    Policy<?> policy = policies.get();
    try (Scope<?> first = Scope.open("first", policy)) {
      assertThatThrownBy(() -> openAndClose("second", policy))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("policy")
          .hasMessageContaining("already")
          .hasMessageContaining("new");
      first.fork("a", () -> 1);
      first.fork("b", () -> 2);
      first.join();
    }
  }

  /**
   * Opens a scope with {@code policy} and, if that succeeds, closes it at once (no thread left with
   * it).
   */
  private static void openAndClose(String name, Policy<?> policy) {
    try (Scope<?> unused = Scope.open(name, policy)) {
      // nothing forked: close() has nothing to wait for
    }
  }
}
