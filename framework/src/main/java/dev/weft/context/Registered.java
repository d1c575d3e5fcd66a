package dev.weft.context;

import dev.weft.internal.ContextSource;
import org.jspecify.annotations.Nullable;

/**
 * A registered {@link ContextPropagator} as the fork machinery sees it: install returns what the
 * thread had (capture in the task's thread), and restore installs that again, or clears. Equal to
 * another for the same propagator instance, so that it is registered once.
 */
final class Registered<T> implements ContextSource {
  final ContextPropagator<T> propagator;
  private final String name;

  Registered(ContextPropagator<T> propagator, String name) {
    this.propagator = propagator;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public @Nullable Object capture() {
    return propagator.capture();
  }

  @Override
  public @Nullable Object install(Object value) {
    T previous = propagator.capture();
    propagator.install(cast(value));
    return previous;
  }

  @Override
  public void restore(@Nullable Object previous) {
    if (previous == null) {
      propagator.clear();
    } else {
      propagator.install(cast(previous));
    }
  }

  @SuppressWarnings("unchecked") // only ever a value this propagator's capture returned
  private T cast(Object value) {
    return (T) value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Registered<?> r && r.propagator == propagator;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(propagator);
  }

  @Override
  public String toString() {
    return name;
  }
}
