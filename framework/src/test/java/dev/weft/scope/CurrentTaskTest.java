package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Which mechanism binds the current task, and that tasks see themselves through it. The framework's
 * pom runs the scope tests a second time with {@code -Dweft.internal.currentTask=threadlocal}, so
 * both mechanisms are covered on one JDK.
 */
class CurrentTaskTest {

  @Test
  void mechanism_isScopedValueFromJdk25_unlessForced() {
    boolean forced = "threadlocal".equals(System.getProperty("weft.internal.currentTask"));
    assertThat(CurrentTask.scoped()).isEqualTo(Runtime.version().feature() >= 25 && !forced);
  }

  @Test
  void taskBody_seesItsOwnTask_andTheOwnerSeesNone() throws Exception {
    assertThat(CurrentTask.get()).isNull();
    try (Scope<Void> scope = Scope.open("who", c -> c.withTimeout(Duration.ofMinutes(1)))) {
      Task<Object> self = scope.fork("self", () -> CurrentTask.get());
      Task<Boolean> budget = scope.fork("budget", () -> Scope.remainingTime().isPresent());
      scope.join();
      assertThat(self.get()).isSameAs(self);
      assertThat(budget.get()).isTrue();
    }
    assertThat(CurrentTask.get()).isNull();
  }
}
