package dev.weft.context;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A thread-bound context of your own (typically a {@link ThreadLocal}) that tasks take from the
 * thread that forks them, for applications that do not use Micrometer's context-propagation
 * library. Register it with {@link WeftContext#register}:
 *
 * {@snippet class=dev.weft.samples.ContextSample region=own-propagator}
 *
 * <p>Weft calls the three methods in this order, for each task forked while the propagator is
 * registered:
 *
 * <ol>
 *   <li>{@link #capture()} in the forking thread, in {@code fork}: the value to carry (null: none,
 *       and nothing else is called for this task);
 *   <li>in the task's thread, before its body: {@link #capture()} again, to learn what that thread
 *       had, then {@link #install install(value)};
 *   <li>in the same thread, once the task has ended: {@link #install install(previous)} if the
 *       thread had a value before, else {@link #clear()}.
 * </ol>
 *
 * <p>The value must not change after capture (return an immutable value or a copy): the task may
 * run much later, and a task's fallback that runs in another thread (its timeout's, a dependency's)
 * installs the same value there.
 *
 * <p>A propagator that throws from {@code capture} or {@code install} fails the task before its
 * body runs, with an {@link IllegalStateException} that names the propagator and the task (its
 * cause is what the propagator threw). One that throws while the thread's value is put back is
 * logged at WARN on the logger {@code dev.weft.context}, once per propagator: the task has ended by
 * then, and its outcome stands.
 *
 * @param <T> the type of the value carried
 */
public interface ContextPropagator<T> {
  /**
   * A propagator for {@code threadLocal}: captures {@code get()}, installs with {@code set}, clears
   * with {@code remove()}.
   *
   * @param name how messages name the propagator (not blank)
   * @param threadLocal the thread local to carry
   * @param <T> the type of its value
   * @return a new propagator (register it with {@link WeftContext#register})
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  static <T> ContextPropagator<T> ofThreadLocal(String name, ThreadLocal<T> threadLocal) {
    Objects.requireNonNull(name, "name must not be null: give the propagator a name for messages");
    Objects.requireNonNull(
        threadLocal, "threadLocal must not be null: pass the ThreadLocal to propagate");
    if (name.isBlank()) {
      throw new IllegalArgumentException(
          "name must not be blank: give the propagator a name for messages");
    }
    return new ThreadLocalPropagator<>(name, threadLocal);
  }

  /**
   * How messages and logs name this propagator; the class name unless overridden. Must not be null
   * or blank.
   *
   * @return the name
   */
  default String name() {
    return getClass().getName();
  }

  /**
   * The current thread's value, or null if it has none. Called in the forking thread at fork, and
   * in the task's thread before {@link #install}.
   *
   * @return the value to carry, or null for none
   */
  @Nullable T capture();

  /**
   * Makes {@code value} the current thread's value (in the task's thread, or the thread that runs
   * its fallback).
   *
   * @param value what {@link #capture()} returned, never null
   */
  void install(T value);

  /** Removes the current thread's value (after a task, when the thread had none before). */
  void clear();
}
