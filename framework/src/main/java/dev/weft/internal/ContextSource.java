package dev.weft.internal;

import org.jspecify.annotations.Nullable;

/**
 * One kind of thread-bound context that a task takes from the thread that forks it: the SLF4J MDC,
 * the {@code ThreadLocalAccessor}s of Micrometer's context-propagation, or a user's {@code
 * ContextPropagator}. Not API (users register theirs through {@code dev.weft.context.WeftContext});
 * {@link ForkContext} calls these methods.
 */
public interface ContextSource {
  /** How messages and logs name this source. */
  String name();

  /**
   * In the forking thread, at fork: the context to carry into the task, or null when this thread
   * has none (then nothing is installed for this source).
   */
  @Nullable Object capture();

  /**
   * As {@link #capture}, given what this source captured at the previous fork of the same scope by
   * the same thread ({@code last}, null for none): returns {@code last} itself when the thread has
   * the same context now, so that the forks of a scope share one captured context. The default
   * captures anew.
   */
  default @Nullable Object capture(@Nullable Object last) {
    return capture();
  }

  /**
   * In the thread that runs for the task (its own thread; the thread that runs its fallback): puts
   * {@code value}, what {@link #capture} returned, in place, and returns what {@link #restore}
   * needs to put back what this thread had before.
   */
  @Nullable Object install(Object value);

  /**
   * As {@link #install(Object)}, in a task's own thread whose task opens an observation of its own
   * as the current one as its body starts ({@code ownObservation}): a source that carries
   * Micrometer's current observation leaves it out, since the task's observation replaces it at
   * once. The default installs everything.
   */
  default @Nullable Object install(Object value, boolean ownObservation) {
    return install(value);
  }

  /** In the same thread, after the task: puts back what it had ({@code previous} from install). */
  void restore(@Nullable Object previous);
}
