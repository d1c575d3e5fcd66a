package dev.weft.context;

import dev.weft.internal.ContextSource;
import dev.weft.internal.ContextSources;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What tasks take from the thread that forks them, and the registry of your own {@link
 * ContextPropagator}s.
 *
 * <h2>Usage</h2>
 *
 * A task sees the context its forking thread had when it called {@code fork}: nothing to switch on
 * for the SLF4J MDC and for Micrometer's context-propagation. The context is captured by {@code
 * fork} (not by {@code Scope.open}, nor when the task starts), installed in the task's thread
 * before its body, and taken away when the task ends (the thread gets back what it had: nothing,
 * for Weft's own threads).
 *
 * {@snippet class=dev.weft.samples.ContextSample region=mdc}
 *
 * <p>What is carried, in this order (and put back in the reverse order):
 *
 * <ol>
 *   <li>the SLF4J MDC (through the SLF4J API: any provider; without one, SLF4J's no-operation MDC
 *       holds nothing and nothing is carried);
 *   <li>with {@code io.micrometer:context-propagation} on the class path, every {@code
 *       ThreadLocalAccessor} registered in its global {@code ContextRegistry} (tracing, security,
 *       the current Observation); without the library, nothing fails;
 *   <li>the propagators {@linkplain #register registered} here, in the order of registration.
 * </ol>
 *
 * <p>Nested scopes and grandchildren get it too: a task's thread has the context installed, so the
 * tasks it forks capture it in turn. A dependent captures its context at its own fork, not from its
 * dependencies.
 *
 * <h2>Limitations &amp; cost</h2>
 *
 * With an empty context (no MDC entry, no accessor value, no propagator value) a fork reads each
 * source once and allocates nothing; the task's thread does nothing. A non-empty context costs a
 * copy of the MDC map at fork, and in the task's thread an install and a restore per source with a
 * value. See docs/observability.md ("Context in tasks") for the measured figures.
 */
public final class WeftContext {
  private WeftContext() {}

  /**
   * Registers {@code propagator} for the tasks forked from now on, in any thread; closing the
   * result removes it again (for the forks after that; tasks already forked keep what they
   * captured).
   *
   * @param propagator the propagator to register
   * @return its registration
   * @throws NullPointerException if {@code propagator} is null
   * @throws IllegalArgumentException if it is already registered, or its {@code name()} is null or
   *     blank
   */
  public static Registration register(ContextPropagator<?> propagator) {
    Objects.requireNonNull(
        propagator, "propagator must not be null: pass the ContextPropagator to register");
    String name = propagator.name();
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "propagator "
              + propagator.getClass().getName()
              + " has a "
              + (name == null ? "null" : "blank")
              + " name(): name() must return a name for messages");
    }
    Registered<?> source = new Registered<>(propagator, name);
    if (!ContextSources.add(source)) {
      throw new IllegalArgumentException(
          "context propagator '"
              + name
              + "' is already registered: close its registration before registering it again");
    }
    return () -> ContextSources.remove(source);
  }

  /**
   * The propagators registered now, in the order of registration.
   *
   * @return an unmodifiable snapshot
   */
  public static List<ContextPropagator<?>> propagators() {
    List<ContextPropagator<?>> list = new ArrayList<>();
    for (ContextSource s : ContextSources.all()) {
      if (s instanceof Registered<?> r) {
        list.add(r.propagator);
      }
    }
    return List.copyOf(list);
  }

  /**
   * The names of everything a fork captures now, in order: {@code "slf4j-mdc"}, {@code
   * "context-propagation"} if that library was found, then each registered propagator's name.
   *
   * @return an unmodifiable snapshot
   */
  public static List<String> sources() {
    List<String> names = new ArrayList<>();
    for (ContextSource s : ContextSources.all()) {
      names.add(s.name());
    }
    return List.copyOf(names);
  }

  /** A registered propagator; {@link #close()} removes it. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    /** Removes the propagator for the forks from now on (no effect the second time). */
    @Override
    void close();
  }
}
