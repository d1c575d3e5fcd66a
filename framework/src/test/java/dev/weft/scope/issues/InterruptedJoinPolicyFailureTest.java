package dev.weft.scope.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.scope.Factories.Kind;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: an owner interrupted in {@code join()} lost the exception of a broken policy.
 *
 * <p>When the owner is interrupted in {@code join()}, the scope cancels its tasks, and the policy
 * is told about each cancelled task. If the policy's {@code onComplete} threw then, the scope
 * recorded the exception, but {@code join()} threw its {@code InterruptedException} with only the
 * tasks' failures attached: the policy's exception was dropped, although "a custom policy's
 * callback throws" is one of the cases in which the thrown exception must carry what went wrong.
 */
class InterruptedJoinPolicyFailureTest {

  /**
   * The owner is interrupted in join and the policy throws: InterruptedException carries the
   * policy's exception.
   */
  @ParameterizedTest
  @MethodSource("dev.weft.scope.Factories#kinds")
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void join_ownerInterruptedAndPolicyThrows_interruptedExceptionCarriesPolicyFailure(Kind kind)
      throws Exception {
    Thread owner = Thread.currentThread();
    CountDownLatch joining = new CountDownLatch(1);
    Policy<Void> broken =
        new Policy<>() {
          @Override
          public boolean onComplete(Task<?> task) {
            throw new RuntimeException("policy bug");
          }

          @Override
          public boolean onJoin() {
            joining.countDown(); // the owner is in join() now
            return false;
          }

          @Override
          public Void result(Scope<Void> scope) {
            return null;
          }
        };
    try (var scope = Scope.open("broken", broken, kind.config())) {
      scope.fork("blocker", InterruptedJoinPolicyFailureTest::block);
      scope.fork(
          "interrupter",
          () -> {
            joining.await();
            owner.interrupt();
            return block();
          });
      Throwable thrown = catchThrowable(scope::join);
      assertThat(thrown).isInstanceOf(InterruptedException.class);
      assertThat(Causes.reachable(thrown))
          .as("the policy's exception, in:%s", Causes.describe(thrown))
          .anySatisfy(
              t ->
                  assertThat(t)
                      .isExactlyInstanceOf(RuntimeException.class)
                      .hasMessage("policy bug"));
    } finally {
      Thread.interrupted(); // never leave the interrupt to the next test
    }
  }

  private static <T> T block() throws InterruptedException {
    new CountDownLatch(1).await();
    throw new AssertionError("not reached");
  }
}
