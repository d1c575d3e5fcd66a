package dev.weft.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scope.Scope;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link WeftObservations#installScopesOnly}: one observation per scope, none per task. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WeftObservationsScopesOnlyTest {
  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final WeftObservations observations = WeftObservations.installScopesOnly(registry);

  @AfterEach
  void uninstall() {
    observations.close();
  }

  /**
   * The scope is observed and its tasks are not; what a body observes is a child of the scope's
   * observation, which context-propagation carries into the task threads as their current one.
   */
  @Test
  void scopeObserved_tasksNot_bodyObservationsAreTheScopesChildren() throws Exception {
    List<@Nullable ObservationView> parents = new CopyOnWriteArrayList<>();
    try (var scope = Scope.open("checkout")) {
      for (String name : List.of("pay", "ship")) {
        scope.fork(
            name,
            () -> {
              Observation mine = Observation.start("user.work", registry);
              parents.add(mine.getContext().getParentObservation());
              mine.stop();
              return 0;
            });
      }
      scope.join();
    }

    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(DefaultScopeObservationConvention.NAME, 1)
        .hasNumberOfObservationsWithNameEqualTo(DefaultTaskObservationConvention.NAME, 0)
        .hasNumberOfObservationsWithNameEqualTo("user.work", 2);
    assertThat(parents).hasSize(2);
    if (contextPropagationPresent()) {
      assertThat(parents)
          .allSatisfy(
              p ->
                  assertThat(p.getContextView().getName())
                      .isEqualTo(DefaultScopeObservationConvention.NAME));
    } else { // nothing carries the scope's observation into the task threads
      assertThat(parents).containsOnlyNulls();
    }
  }

  private static boolean contextPropagationPresent() {
    try {
      Class.forName("io.micrometer.context.ContextRegistry");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Test
  void null_throwsNpeNamingTheArgument() {
    assertThatThrownBy(() -> WeftObservations.installScopesOnly(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("observation registry must not be null: pass the application's registry");
  }
}
