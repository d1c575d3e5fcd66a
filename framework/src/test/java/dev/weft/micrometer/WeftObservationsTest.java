package dev.weft.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.scope.Policy;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * WeftObservations: the tree (request, scope, tasks, nested scopes), outcomes and errors, and
 * conventions, checked with TestObservationRegistry, whose validators (start before stop, scopes
 * closed in the thread and in the reverse order they were opened, the same keys for one name) throw
 * into the observer: the observer's warnings on {@code dev.weft.observe} must stay empty.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WeftObservationsTest {
  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private final Logger observeLog = (Logger) LoggerFactory.getLogger("dev.weft.observe");
  private @Nullable WeftObservations observations;

  // events: per context, its lifecycle as this handler saw it (start, open, close, error, stop).
  private final Map<Observation.Context, List<String>> events = new ConcurrentHashMap<>();

  @BeforeEach
  void install() {
    registry.observationConfig().observationHandler(new Lifecycle());
    warnings.start();
    observeLog.addAppender(warnings);
    observations = WeftObservations.install(registry);
  }

  @AfterEach
  void uninstall() {
    if (observations != null) {
      observations.close();
    }
    observeLog.detachAppender(warnings);
    assertThat(warnings.list).as("the observer threw (an invalid observation?)").isEmpty();
    // Every observation: started once, its scope (if any) closed before it stopped, stopped once
    // and last (Micrometer 1.17's validator accepts a scope closed after the stop; older ones and
    // tracing handlers expect it before).
    // With context-propagation on the class path the scope's observation is also current in its
    // tasks' threads (ObservationThreadLocalAccessor carries it into them), so its scope is opened
    // there too: nested or interleaved opens, but always balanced, and all before the stop.
    events.forEach(
        (c, e) -> {
          String all = String.join(" ", e);
          assertThat(all)
              .as("lifecycle of %s", c.getName())
              .matches("start( open| close)*( error)? stop");
          int depth = 0;
          for (String event : e) {
            depth += event.equals("open") ? 1 : event.equals("close") ? -1 : 0;
            assertThat(depth)
                .as("scopes of %s closed before opened: %s", c.getName(), all)
                .isNotNegative();
          }
          assertThat(depth).as("scopes of %s left open: %s", c.getName(), all).isZero();
        });
  }

  /** Records each context's lifecycle events, in the order the handlers are called. */
  private final class Lifecycle implements ObservationHandler<Observation.Context> {
    private void add(Observation.Context c, String event) {
      events.computeIfAbsent(c, k -> new CopyOnWriteArrayList<>()).add(event);
    }

    @Override
    public void onStart(Observation.Context c) {
      add(c, "start");
    }

    @Override
    public void onScopeOpened(Observation.Context c) {
      add(c, "open");
    }

    @Override
    public void onScopeClosed(Observation.Context c) {
      add(c, "close");
    }

    @Override
    public void onError(Observation.Context c) {
      add(c, "error");
    }

    @Override
    public void onStop(Observation.Context c) {
      add(c, "stop");
    }

    @Override
    public boolean supportsContext(Observation.Context c) {
      return c instanceof ScopeObservationContext || c instanceof TaskObservationContext;
    }
  }

  @Test
  void tree_requestScopeTasksAndNestedScope() throws Exception {
    Map<String, @Nullable Observation> currentInBody = new ConcurrentHashMap<>();
    Observation request = Observation.start("http.server.requests", registry);
    Observation inOwner;
    try (Observation.Scope ignored = request.openScope()) {
      try (var scope = Scope.open("checkout")) {
        inOwner = registry.getCurrentObservation();
        scope.fork("pay", () -> current(currentInBody, "pay"));
        scope.fork(
            "ship",
            () -> {
              current(currentInBody, "ship");
              try (var inner = Scope.open("ship-inner")) {
                inner.fork("label", () -> current(currentInBody, "label"));
                inner.join();
              }
              return 0;
            });
        scope.join();
      }
      assertThat(registry.getCurrentObservation()).isSameAs(request); // restored at close
    }
    request.stop();

    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo("weft.scope", 2)
        .hasNumberOfObservationsWithNameEqualTo("weft.task", 3);
    ScopeObservationContext checkout = scope("checkout");
    assertThat(checkout.getParentObservation()).isSameAs(request);
    assertThat(inOwner).isNotNull();
    assertThat(inOwner.getContext()).isSameAs(checkout); // current in the owner while open
    TaskObservationContext pay = task("pay");
    TaskObservationContext ship = task("ship");
    assertThat(parentContext(pay)).isSameAs(checkout);
    assertThat(parentContext(ship)).isSameAs(checkout);
    ScopeObservationContext inner = scope("ship-inner");
    assertThat(parentContext(inner)).isSameAs(ship); // opened in ship's body
    assertThat(parentContext(task("label"))).isSameAs(inner);
    // the body's current observation is its task's (an HTTP client there would be its child)
    for (String name : List.of("pay", "ship", "label")) {
      Observation o = currentInBody.get(name);
      assertThat(o).as(name).isNotNull();
      assertThat(o.getContext()).isSameAs(task(name));
    }

    TestObservationRegistryAssert.assertThat(registry)
        .forAllObservationsWithNameEqualTo(
            "weft.scope",
            o -> o.hasLowCardinalityKeyValue("policy", "fail-fast").doesNotHaveError())
        .forAllObservationsWithNameEqualTo(
            "weft.task",
            o -> o.hasLowCardinalityKeyValue("outcome", "succeeded").doesNotHaveError());
    assertThat(checkout.getLowCardinalityKeyValues().stream().map(k -> k.getKey()))
        .containsExactlyInAnyOrder("scope", "policy", "outcome");
    assertThat(checkout.getContextualName()).isEqualTo("checkout");
    assertThat(pay.getContextualName()).isEqualTo("pay");
    assertThat(pay.getLowCardinalityKeyValue("scope").getValue()).isEqualTo("checkout");
  }

  @Test
  void outcomes_everyTaskObserved_failuresAsErrors() {
    CountDownLatch never = new CountDownLatch(1);
    Throwable thrown =
        catchThrowable(
            () -> {
              try (var scope = Scope.open("orders", Policy.collectAll())) {
                scope.fork("ok", () -> 1);
                Task<Integer> bad =
                    scope.fork(
                        "bad",
                        () -> {
                          throw new IOException("down");
                        });
                scope.fork("skipped", bad, v -> v);
                scope.fork(
                    "slow", // its end (the timer thread) comes before its body returns
                    () -> {
                      never.await();
                      return 0;
                    },
                    o -> o.withTimeout(Duration.ofMillis(20)));
                scope.fork(
                    "saved",
                    () -> {
                      throw new IOException("x");
                    },
                    o -> o.withFallbackValue(7));
                scope.join();
              }
            });
    assertThat(thrown).isInstanceOf(TaskFailedException.class);

    assertTask("ok", "succeeded", true, null);
    assertTask("bad", "failed", true, IOException.class);
    assertTask("skipped", "skipped", false, null);
    assertTask("slow", "timed_out", true, TimeoutException.class);
    assertTask("saved", "recovered", true, null);
    ScopeObservationContext orders = scope("orders");
    assertThat(orders.outcome()).isEqualTo("failed");
    assertThat(orders.policy()).isEqualTo("collect-all");
    assertThat(orders.getError()).isSameAs(thrown);
    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo("weft.task", 5);
  }

  @Test
  void cancelled_runningAndNeverStarted_noError() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    try (var scope = Scope.open("stop", c -> c.withMaxConcurrency(1))) {
      scope.fork(
          "running",
          () -> {
            started.countDown();
            never.await();
            return 0;
          });
      scope.fork("waiting", () -> 1); // no slot while "running" runs
      started.await();
      scope.cancel();
      assertThatThrownBy(scope::join)
          .isInstanceOf(java.util.concurrent.CancellationException.class);
    }
    assertTask("running", "cancelled", true, null);
    assertTask("waiting", "cancelled", false, null);
    assertThat(scope("stop").outcome()).isEqualTo("cancelled");
    assertThat(scope("stop").getError()).isNull();
  }

  @Test
  void taskThreads_getTheirTaskObservation_notTheScopesReopenedUnderIt() throws Exception {
    Map<String, @Nullable Observation> currentInBody = new ConcurrentHashMap<>();
    try (var scope = Scope.open("fan")) {
      for (int i = 0; i < 3; i++) {
        String name = "t" + i;
        scope.fork(name, () -> current(currentInBody, name));
      }
      scope.join();
    }
    // The scope's observation is opened once, in its owner: context propagation does not install
    // it as the current observation of the tasks' threads, whose own observation replaces it.
    assertThat(events.get(scope("fan"))).containsExactly("start", "open", "close", "stop");
    for (String name : List.of("t0", "t1", "t2")) {
      TaskObservationContext t = task(name);
      assertThat(events.get(t)).as(name).containsExactly("start", "open", "close", "stop");
      assertThat(parentContext(t)).as(name).isSameAs(scope("fan"));
      Observation o = currentInBody.get(name);
      assertThat(o).as(name).isNotNull();
      assertThat(o.getContext()).as(name).isSameAs(t);
    }
  }

  @Test
  void taskObservationRefused_bodySeesTheScopesObservation() throws Exception {
    List<@Nullable ObservationView> parentsSeenByPredicate = new CopyOnWriteArrayList<>();
    registry
        .observationConfig()
        .observationPredicate(
            (name, c) -> {
              if (!name.equals("weft.task")) {
                return true;
              }
              parentsSeenByPredicate.add(c.getParentObservation());
              return false;
            });
    Map<String, @Nullable Observation> currentInBody = new ConcurrentHashMap<>();
    Observation child;
    try (var scope = Scope.open("refused")) {
      Task<Observation> t =
          scope.fork(
              "call",
              () -> {
                current(currentInBody, "call");
                Observation c = Observation.start("http.client.requests", registry);
                c.stop();
                return c;
              });
      scope.join();
      child = t.get();
    }
    ScopeObservationContext refused = scope("refused");
    assertThat(contexts(TaskObservationContext.class)).isEmpty();
    // the predicate saw the task's parent although its thread had no current observation
    assertThat(parentsSeenByPredicate).hasSize(1);
    assertThat(parentsSeenByPredicate.get(0)).isNotNull();
    assertThat(parentsSeenByPredicate.get(0).getContextView()).isSameAs(refused);
    Observation inBody = currentInBody.get("call");
    assertThat(inBody).isNotNull();
    assertThat(inBody.getContext()).isSameAs(refused);
    assertThat(parentContext(child.getContext())).isSameAs(refused); // a client span's parent
  }

  @ParameterizedTest
  @ValueSource(strings = {"onStart", "onScopeOpened"})
  void handlerThrows_bodySeesTheScopesObservation_andTheTasksIsStillStopped(String from)
      throws Exception {
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<TaskObservationContext>() {
              @Override
              public void onStart(TaskObservationContext c) {
                if (from.equals("onStart")) {
                  throw new IllegalStateException("handler refuses " + c.taskName());
                }
              }

              @Override
              public void onScopeOpened(TaskObservationContext c) {
                if (from.equals("onScopeOpened")) {
                  throw new IllegalStateException("handler refuses " + c.taskName());
                }
              }

              @Override
              public boolean supportsContext(Observation.Context c) {
                return c instanceof TaskObservationContext;
              }
            });
    Map<String, @Nullable Observation> currentInBody = new ConcurrentHashMap<>();
    try (var scope = Scope.open("throwing-handler")) {
      scope.fork("call", () -> current(currentInBody, "call"));
      scope.join();
    }
    ScopeObservationContext owner = scope("throwing-handler");
    Observation inBody = currentInBody.get("call");
    assertThat(inBody).as("current observation in the body").isNotNull();
    assertThat(inBody.getContext()).isSameAs(owner);
    // Lifecycle, called before the throwing handler, saw the start, the scope opened and closed
    // again if it was, and the stop (the AfterEach checks the whole lifecycle); the task's outcome
    // is recorded.
    TaskObservationContext call = task("call");
    if (from.equals("onStart")) {
      assertThat(events.get(call)).containsExactly("start", "stop");
    } else {
      assertThat(events.get(call)).containsExactly("start", "open", "close", "stop");
    }
    assertThat(call.outcome()).isEqualTo("succeeded");
    // The handler's failure is logged once, then cleared so that the AfterEach check passes.
    assertThat(warnings.list).hasSize(1);
    assertThat(warnings.list.get(0).getFormattedMessage()).contains("taskStarted");
    assertThat(warnings.list.get(0).getThrowableProxy().getMessage())
        .isEqualTo("handler refuses call");
    warnings.list.clear();
  }

  @Test
  void generatedNames_reportedAsTaskN() throws Exception {
    try (var scope = Scope.open("fan-out")) {
      scope.fork(() -> 1);
      scope.fork(() -> 2);
      scope.join();
    }
    List<TaskObservationContext> tasks = contexts(TaskObservationContext.class);
    assertThat(tasks).hasSize(2);
    for (TaskObservationContext t : tasks) {
      assertThat(t.nameGenerated()).isTrue();
      assertThat(t.taskName()).matches("task-[12]");
      assertThat(t.getContextualName()).isEqualTo("task-N");
      assertThat(t.getLowCardinalityKeyValue("task").getValue()).isEqualTo("task-N");
    }
  }

  @Test
  void generatedNames_eachTaskKeepsItsOwnOutcomeAndScope_inKeysMadeOncePerScope() {
    // The generated names of a scope share the default convention's key values; each outcome and
    // each scope must still get its own.
    for (String name : List.of("first", "second")) {
      try (var scope = Scope.open(name, Policy.collectAll())) {
        scope.fork(() -> 1);
        scope.fork(
            () -> {
              throw new IllegalStateException("boom");
            });
        scope.fork(() -> 3);
        scope.fork("named", () -> 4);
        assertThatThrownBy(scope::join).hasRootCauseMessage("boom");
      }
    }
    List<TaskObservationContext> tasks = contexts(TaskObservationContext.class);
    assertThat(tasks).hasSize(8);
    for (TaskObservationContext t : tasks) {
      String expected = t.taskName().equals("task-2") ? "failed" : "succeeded";
      assertThat(t.outcome()).as(t.taskName()).isEqualTo(expected);
      assertThat(t.getLowCardinalityKeyValues())
          .as(t.scopeName() + "/" + t.taskName())
          .containsExactlyInAnyOrder(
              KeyValue.of("scope", t.scopeName()),
              KeyValue.of("task", t.nameGenerated() ? "task-N" : "named"),
              KeyValue.of("outcome", expected));
    }
    assertThat(tasks).extracting(TaskObservationContext::scopeName).containsOnly("first", "second");
  }

  @Test
  void customConventions_replaceTheDefaults() throws Exception {
    observations.close();
    observations =
        WeftObservations.install(
            registry,
            new DefaultScopeObservationConvention() {
              @Override
              public KeyValues getLowCardinalityKeyValues(ScopeObservationContext context) {
                return super.getLowCardinalityKeyValues(context).and("team", "payments");
              }
            },
            new DefaultTaskObservationConvention() {
              @Override
              public String getName() {
                return "shop.step";
              }
            });
    try (var scope = Scope.open("custom")) {
      scope.fork("a", () -> 1);
      scope.join();
    }
    TestObservationRegistryAssert.assertThat(registry)
        .hasObservationWithNameEqualTo("weft.scope")
        .that()
        .hasLowCardinalityKeyValue("team", "payments");
    TestObservationRegistryAssert.assertThat(registry)
        .hasObservationWithNameEqualTo("shop.step")
        .that()
        .hasLowCardinalityKeyValue("task", "a");
  }

  @Test
  void globalConvention_ofTheRegistry_usedWhenNoneGiven() throws Exception {
    registry
        .observationConfig()
        .observationConvention(
            new GlobalObservationConvention<TaskObservationContext>() {
              @Override
              public boolean supportsContext(Observation.Context context) {
                return context instanceof TaskObservationContext;
              }

              @Override
              public String getName() {
                return "global.task";
              }

              @Override
              public KeyValues getLowCardinalityKeyValues(TaskObservationContext context) {
                return KeyValues.of("step", context.taskName());
              }
            });
    try (var scope = Scope.open("global")) {
      scope.fork("a", () -> 1);
      scope.join();
    }
    TestObservationRegistryAssert.assertThat(registry)
        .hasObservationWithNameEqualTo("global.task")
        .that()
        .hasLowCardinalityKeyValue("step", "a");
  }

  @Test
  void registryWithoutHandlers_scopesRunUnobserved() throws Exception {
    observations.close();
    ObservationRegistry empty = ObservationRegistry.create();
    assertThat(empty.isNoop()).isTrue();
    observations = WeftObservations.install(empty);
    try (var scope = Scope.open("quiet")) {
      Task<Integer> t = scope.fork("a", () -> 1);
      scope.join();
      assertThat(t.get()).isEqualTo(1);
    }
    TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
  }

  @Test
  void close_scopesOpenedAfterwardsNotObserved() throws Exception {
    observations.close();
    try (var scope = Scope.open("after")) {
      scope.fork("a", () -> 1);
      scope.join();
    }
    TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
  }

  @Test
  void badInput_namesTheArgument() {
    assertThatThrownBy(() -> WeftObservations.install(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("observation registry must not be null: pass the application's registry");
    assertThatThrownBy(
            () -> WeftObservations.install(registry, null, new DefaultTaskObservationConvention()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage(
            "scope convention must not be null: pass new DefaultScopeObservationConvention()"
                + " to keep the default");
  }

  // --- helpers ---

  private int current(Map<String, @Nullable Observation> out, String name) {
    Observation o = registry.getCurrentObservation();
    if (o != null) {
      out.put(name, o);
    }
    return 0;
  }

  private void assertTask(String name, String outcome, boolean started, @Nullable Class<?> error) {
    TaskObservationContext t = task(name);
    assertThat(t.outcome()).as(name).isEqualTo(outcome);
    assertThat(t.started()).as(name + " started").isEqualTo(started);
    assertThat(t.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo(outcome);
    if (error == null) {
      assertThat(t.getError()).as(name + " error").isNull();
    } else {
      assertThat(t.getError()).as(name + " error").isInstanceOf(error);
    }
  }

  private ScopeObservationContext scope(String name) {
    return contexts(ScopeObservationContext.class).stream()
        .filter(c -> c.scopeName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no observation of scope " + name));
  }

  private TaskObservationContext task(String name) {
    return contexts(TaskObservationContext.class).stream()
        .filter(c -> c.taskName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no observation of task " + name));
  }

  private <C extends Observation.Context> List<C> contexts(Class<C> type) {
    List<C> found = new ArrayList<>();
    TestObservationRegistryAssert.assertThat(registry)
        .hasHandledContextsThatSatisfy(
            all -> all.stream().filter(type::isInstance).map(type::cast).forEach(found::add));
    return found;
  }

  private static Observation.@Nullable ContextView parentContext(Observation.Context c) {
    ObservationView parent = c.getParentObservation();
    return parent == null ? null : parent.getContextView();
  }
}
