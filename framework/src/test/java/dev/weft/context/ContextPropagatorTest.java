package dev.weft.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.scope.Scope;
import dev.weft.scope.Task;
import dev.weft.scope.TaskFailedException;
import io.micrometer.context.ContextRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.slf4j.LoggerFactory;

/**
 * Micrometer's ThreadLocalAccessors and users' own propagators reach tasks; what a failing
 * propagator does; the registry's checks.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
@DisabledIfSystemProperty(named = "weft.test.noContextLibraries", matches = "true")
class ContextPropagatorTest {
  private static final ThreadLocal<String> TENANT = new ThreadLocal<>();
  private static final ThreadLocal<String> TRACE = new ThreadLocal<>();
  private static final ThreadLocal<String> BROKEN_VALUE = new ThreadLocal<>();

  @AfterEach
  void removeValues() {
    TENANT.remove();
    BROKEN_VALUE.remove();
  }

  /** A ThreadLocalAccessor registered in Micrometer's ContextRegistry reaches the task. */
  @Test
  void micrometerAccessor_registered_valueReachesTaskAndIsRemovedAfter() throws Exception {
    ContextRegistry.getInstance().registerThreadLocalAccessor("weft-test-trace", TRACE);
    Map<String, String> atEnd = new ConcurrentHashMap<>();
    try {
      assertThat(WeftContext.sources()).startsWith("slf4j-mdc", "context-propagation");
      TRACE.set("trace-1");
      try (var scope = Scope.open("traced", c -> c.withThreadFactory(recording(TRACE, atEnd)))) {
        Task<String> t = scope.fork("t", TRACE::get);
        Task<String> nested =
            scope.fork(
                "nested",
                () -> {
                  try (var inner = Scope.open("inner")) {
                    Task<String> g = inner.fork("g", TRACE::get);
                    inner.join();
                    return g.get();
                  }
                });
        scope.join();
        assertThat(t.get()).isEqualTo("trace-1");
        assertThat(nested.get()).isEqualTo("trace-1");
      }
      assertThat(atEnd)
          .containsEntry("traced/t", "<none>")
          .containsEntry("traced/nested", "<none>");
    } finally {
      TRACE.remove();
      ContextRegistry.getInstance().removeThreadLocalAccessor("weft-test-trace");
    }
  }

  /**
   * A registered propagator carries its value into the task, and the task's thread gets back the
   * value it had; after the registration is closed, nothing is carried.
   */
  @Test
  void ownPropagator_registered_propagatesAndRestoresThenClosedNotPropagated() throws Exception {
    Map<String, String> atEnd = new ConcurrentHashMap<>();
    ThreadFactory ownValue =
        r ->
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      TENANT.set("thread's own");
                      r.run();
                      atEnd.put(Thread.currentThread().getName(), TENANT.get());
                    });
    ContextPropagator<String> tenant = ContextPropagator.ofThreadLocal("tenant", TENANT);
    TENANT.set("acme");
    try {
      try (var registration = WeftContext.register(tenant)) {
        assertThat(WeftContext.propagators()).containsExactly(tenant);
        assertThat(WeftContext.sources()).endsWith("tenant");
        try (var scope = Scope.open("own", c -> c.withThreadFactory(ownValue))) {
          Task<String> t = scope.fork("t", TENANT::get);
          scope.join();
          assertThat(t.get()).isEqualTo("acme");
        }
        assertThat(atEnd).containsEntry("own/t", "thread's own");
      }
      assertThat(WeftContext.propagators()).isEmpty();
      try (var scope = Scope.open("closed")) {
        Task<@Nullable String> t = scope.fork("t", TENANT::get);
        scope.join();
        assertThat(t.get()).isNull();
      }
    } finally {
      TENANT.remove();
    }
  }

  /** A propagator whose capture throws: the task fails before its body, naming both. */
  @Test
  void ownPropagator_captureThrows_taskFailsBeforeBodyNamingPropagator() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    try (var registration = WeftContext.register(new Broken("capture"));
        var scope = Scope.open("broken")) {
      scope.fork("t", () -> ran.add("body"));
      assertThatThrownBy(scope::join)
          .isInstanceOf(TaskFailedException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "task 't' did not run: context propagator 'broken-capture' threw from capture() at"
                  + " fork: java.lang.UnsupportedOperationException: capture is broken")
          .cause()
          .hasMessage("capture is broken");
    }
    assertThat(ran).isEmpty();
  }

  /**
   * A propagator whose install throws: the task fails before its body, and what was installed
   * before it (the MDC, a propagator registered earlier) is put back.
   */
  @Test
  void ownPropagator_installThrows_taskFailsAndEarlierSourcesAreRestored() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    Map<String, String> atEnd = new ConcurrentHashMap<>();
    TENANT.set("acme");
    BROKEN_VALUE.set("value");
    try (var first = WeftContext.register(ContextPropagator.ofThreadLocal("tenant", TENANT));
        var second = WeftContext.register(new Broken("install"));
        var scope = Scope.open("broken", c -> c.withThreadFactory(recording(TENANT, atEnd)))) {
      scope.fork("t", () -> ran.add("body"));
      assertThatThrownBy(scope::join)
          .isInstanceOf(TaskFailedException.class)
          .cause()
          .hasMessage(
              "task 't' did not run: context propagator 'broken-install' threw from install():"
                  + " java.lang.UnsupportedOperationException: install is broken");
    } finally {
      TENANT.remove();
    }
    assertThat(ran).isEmpty();
    assertThat(atEnd).containsEntry("broken/t", "<none>");
  }

  /** A propagator whose clear throws: the task's outcome stands, the failure is logged once. */
  @Test
  void ownPropagator_clearThrows_taskSucceedsAndFailureIsLoggedOnce() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger("dev.weft.context");
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    log.addAppender(events);
    BROKEN_VALUE.set("value");
    try (var registration = WeftContext.register(new Broken("clear"));
        var scope = Scope.open("broken")) {
      Task<String> t1 = scope.fork("t1", () -> "ok");
      Task<String> t2 = scope.fork("t2", t1, x -> x + "!");
      scope.join();
      assertThat(t2.get()).isEqualTo("ok!");
    } finally {
      log.detachAppender(events);
    }
    assertThat(events.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getFormattedMessage())
                  .isEqualTo(
                      "context propagator 'broken-clear' threw from restore(); the task's outcome"
                          + " stands, and further failures of this propagator are not logged");
              assertThat(e.getThrowableProxy().getMessage()).isEqualTo("clear is broken");
            });
  }

  /** Bad input names the argument and the fix. */
  @Test
  void register_badInput_namesArgumentAndFix() {
    assertThatThrownBy(() -> WeftContext.register(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("propagator must not be null: pass the ContextPropagator to register");
    ContextPropagator<String> tenant = ContextPropagator.ofThreadLocal("tenant", TENANT);
    try (var registration = WeftContext.register(tenant)) {
      assertThatThrownBy(() -> WeftContext.register(tenant))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "context propagator 'tenant' is already registered: close its registration before"
                  + " registering it again");
    }
    assertThatThrownBy(() -> WeftContext.register(new Named(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "propagator dev.weft.context.ContextPropagatorTest$Named has a blank name(): name()"
                + " must return a name for messages");
    assertThatThrownBy(() -> ContextPropagator.ofThreadLocal(null, TENANT))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null: give the propagator a name for messages");
    assertThatThrownBy(() -> ContextPropagator.ofThreadLocal("", TENANT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank: give the propagator a name for messages");
    assertThatThrownBy(() -> ContextPropagator.ofThreadLocal("x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("threadLocal must not be null: pass the ThreadLocal to propagate");
    assertThat(WeftContext.propagators()).isEmpty();
  }

  /** A closed registration closed again, after the same propagator was registered anew, stays. */
  @Test
  void registration_closedTwiceAfterReRegistration_leavesNewRegistration() {
    ContextPropagator<String> tenant = ContextPropagator.ofThreadLocal("tenant", TENANT);
    WeftContext.Registration first = WeftContext.register(tenant);
    first.close();
    try (var second = WeftContext.register(tenant)) {
      first.close();
      assertThat(WeftContext.propagators()).containsExactly(tenant);
    }
    assertThat(WeftContext.propagators()).isEmpty();
  }

  /**
   * Threads that run the task, then record {@code local}'s value in the same thread under its name.
   */
  static ThreadFactory recording(ThreadLocal<String> local, Map<String, String> atEnd) {
    return r ->
        Thread.ofPlatform()
            .unstarted(
                () -> {
                  r.run();
                  String v = local.get();
                  atEnd.put(Thread.currentThread().getName(), v == null ? "<none>" : v);
                });
  }

  /**
   * A propagator of {@link #BROKEN_VALUE}, broken in one step ("capture", "install" or "clear").
   */
  private record Broken(String step) implements ContextPropagator<String> {
    @Override
    public String name() {
      return "broken-" + step;
    }

    @Override
    public @Nullable String capture() {
      if (step.equals("capture")) {
        throw new UnsupportedOperationException("capture is broken");
      }
      return BROKEN_VALUE.get();
    }

    @Override
    public void install(String value) {
      if (step.equals("install")) {
        throw new UnsupportedOperationException("install is broken");
      }
    }

    @Override
    public void clear() {
      if (step.equals("clear")) {
        throw new UnsupportedOperationException("clear is broken");
      }
    }
  }

  private record Named(String name) implements ContextPropagator<String> {
    @Override
    public @Nullable String capture() {
      return null;
    }

    @Override
    public void install(String value) {}

    @Override
    public void clear() {}
  }
}
