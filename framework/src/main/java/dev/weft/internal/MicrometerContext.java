package dev.weft.internal;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every {@code ThreadLocalAccessor} registered in Micrometer's global {@link ContextRegistry}
 * (tracing, security, the current Observation), as the library's own {@code ContextSnapshot} with
 * {@code clearMissing(false)} does it: at fork, the value of each accessor that has one; in the
 * task's thread, {@code setValue} of each in registration order, having read what the thread had;
 * after the task, in the reverse order, {@code restore(previous)}, or {@code restore()} where the
 * thread had nothing. An accessor with no value at fork is left as the task's thread has it.
 *
 * <p>Weft calls the accessors itself rather than through a snapshot so that the forks of one scope
 * share what they captured (a snapshot and its maps per task cost 40 % of the bytes a propagated
 * fork allocated) and a task installs it with one array, not two maps. The only class of Weft that
 * names a type of io.micrometer:context-propagation: {@link ContextSources} creates it only after
 * it found the library, so without the library it is never loaded.
 */
final class MicrometerContext implements ContextSource {
  static final String NAME = "context-propagation";

  /**
   * The key of micrometer-observation's {@code ObservationThreadLocalAccessor} (its {@code KEY}),
   * by value: that library may be missing where context-propagation is present.
   */
  static final String OBSERVATION_KEY = "micrometer.observation";

  private final ContextRegistry registry = ContextRegistry.getInstance();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public @Nullable Object capture() {
    return capture(null);
  }

  /**
   * The accessors and their values, or null when none has a value, or {@code last} when every
   * accessor is the same and has the same value (identity) as then. The empty case reads each
   * accessor once and allocates nothing. The registry's list is copy-on-write: indexed reads see an
   * accessor removed meanwhile as an index out of bounds, and then read a copy of the list.
   */
  @Override
  public @Nullable Object capture(@Nullable Object last) {
    List<ThreadLocalAccessor<?>> accessors = registry.getThreadLocalAccessors();
    try {
      return capture(accessors, last);
    } catch (IndexOutOfBoundsException removedMeanwhile) {
      return capture(List.copyOf(accessors), last);
    }
  }

  private static @Nullable Object capture(
      List<ThreadLocalAccessor<?>> accessors, @Nullable Object last) {
    int n = accessors.size();
    if (last instanceof Values v && v.accessors.length == n && v.same(accessors)) {
      return last;
    }
    @Nullable Object[] values = null;
    for (int i = 0; i < n; i++) {
      Object value = accessors.get(i).getValue();
      if (value != null) {
        if (values == null) {
          values = new Object[n];
        }
        values[i] = value;
      }
    }
    if (values == null) {
      return null;
    }
    ThreadLocalAccessor<?>[] these = new ThreadLocalAccessor<?>[n];
    int observation = -1;
    for (int i = 0; i < n; i++) {
      these[i] = accessors.get(i);
      if (values[i] != null && OBSERVATION_KEY.equals(these[i].key())) {
        observation = i;
      }
    }
    return new Values(these, values, observation);
  }

  @Override
  public Object install(Object value) {
    return install(value, false);
  }

  /**
   * Sets each accessor that had a value at fork; with {@code ownObservation}, all but Micrometer's
   * current observation ({@value #OBSERVATION_KEY}): the task's own observation, opened as the
   * current one before the body, replaces it at once, and opening and closing its scope in every
   * task was the dearest part of carrying it.
   */
  @Override
  public Object install(Object value, boolean ownObservation) {
    Values v = (Values) value;
    int skipped = ownObservation ? v.observation : -1;
    @Nullable Object[] previous = new Object[v.accessors.length];
    int i = 0;
    try {
      for (; i < v.accessors.length; i++) {
        if (v.values[i] != null && i != skipped) {
          previous[i] = v.accessors[i].getValue();
          set(v.accessors[i], v.values[i]);
        }
      }
    } catch (Throwable e) {
      restore(v, previous, i - 1, skipped); // what was set already; the failure is the install's
      throw e;
    }
    return new Installed(v, previous, skipped);
  }

  @Override
  public void restore(@Nullable Object previous) {
    if (previous != null) {
      Installed installed = (Installed) previous;
      Values v = installed.values;
      restore(v, installed.previous, v.accessors.length - 1, installed.skipped);
    }
  }

  /**
   * Restores accessors {@code from} down to 0 that were set (all with a value but {@code skipped});
   * each one even if another throws (the first failure is thrown at the end).
   */
  private static void restore(Values v, @Nullable Object[] previous, int from, int skipped) {
    Throwable failure = null;
    for (int i = from; i >= 0; i--) {
      if (v.values[i] == null || i == skipped) {
        continue;
      }
      try {
        Object p = previous[i];
        if (p == null) {
          v.accessors[i].restore();
        } else {
          restoreTo(v.accessors[i], p);
        }
      } catch (Throwable e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    } else if (failure instanceof Error err) {
      throw err;
    }
  }

  @SuppressWarnings("unchecked") // the value was read from this very accessor
  private static <V> void set(ThreadLocalAccessor<V> accessor, Object value) {
    accessor.setValue((V) value);
  }

  @SuppressWarnings("unchecked") // the value was read from this very accessor
  private static <V> void restoreTo(ThreadLocalAccessor<V> accessor, Object previous) {
    accessor.restore((V) previous);
  }

  @Override
  public String toString() {
    return NAME;
  }

  /**
   * The accessors at fork, the value each had (null: none, not installed), and the index of the one
   * for Micrometer's current observation that had a value (-1: none).
   */
  private record Values(
      ThreadLocalAccessor<?>[] accessors, @Nullable Object[] values, int observation) {
    /** Whether {@code now} are these accessors and each has the same value (identity) as then. */
    boolean same(List<ThreadLocalAccessor<?>> now) {
      for (int i = 0; i < accessors.length; i++) {
        ThreadLocalAccessor<?> a = now.get(i);
        if (a != accessors[i] || a.getValue() != values[i]) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * What install set, what the thread had before (null: nothing), and the accessor it left out (-1:
   * none).
   */
  private record Installed(Values values, @Nullable Object[] previous, int skipped) {}
}
