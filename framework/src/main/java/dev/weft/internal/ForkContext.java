package dev.weft.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the forking thread had in its context at fork ({@link ContextSources}), carried into the
 * task: captured by the owner in {@code fork}, installed in the thread that runs for the task, and
 * restored there to what that thread had. Not API; the rules users see are in {@code
 * dev.weft.context} and docs/observability.md ("Context in tasks").
 *
 * <p>An empty context is {@code null}: {@link #capture} then allocates nothing, and a task forked
 * with it installs and restores nothing. A source that throws:
 *
 * <ul>
 *   <li>from {@code capture} (at fork) or {@code install} (before the body): the task fails before
 *       its body runs, with an {@link IllegalStateException} that names the source and the task,
 *       whose cause is what the source threw (what was installed already is restored first);
 *   <li>from {@code restore} (after the task ended): logged, once per source, at WARN on the logger
 *       {@code dev.weft.context}; the task's outcome stands, and the other sources are still
 *       restored.
 * </ul>
 */
public final class ForkContext {
  private static final Logger LOG = LoggerFactory.getLogger("dev.weft.context");
  // warned: the sources whose restore failure was logged (once each).
  private static final Set<ContextSource> WARNED = ConcurrentHashMap.newKeySet();

  private ForkContext() {}

  /**
   * In the forking thread: what every source has now, or null when none has anything. Never throws:
   * a source that throws makes a context whose install fails the task.
   */
  public static @Nullable Object capture() {
    return capture(null);
  }

  /**
   * As {@link #capture()}, given the context the same thread captured at the previous fork of the
   * same scope ({@code last}, null for none): returns {@code last} itself when every source has the
   * same context now, so that a loop of forks allocates one context, not one per task.
   */
  public static @Nullable Object capture(@Nullable Object last) {
    ContextSource[] sources = ContextSources.all();
    Captured c = last instanceof Captured lc && lc.sources == sources ? lc : null;
    // values: allocated at the first source whose value is not the one in c (or, without c, at the
    // first value): the sources before it had c's values.
    @Nullable Object[] values = null;
    for (int i = 0; i < sources.length; i++) {
      Object before = c == null ? null : c.values[i];
      Object v;
      try {
        v = sources[i].capture(before);
      } catch (Throwable e) {
        return new Failed(sources[i], e);
      }
      if (values == null && v != before) {
        values = new Object[sources.length];
        if (c != null) {
          System.arraycopy(c.values, 0, values, 0, i);
        }
      }
      if (values != null) {
        values[i] = v;
      }
    }
    if (values == null) {
      return c; // every source as at the last fork (c null: none had anything)
    }
    for (Object v : values) {
      if (v != null) {
        return new Captured(sources, values);
      }
    }
    return null;
  }

  /**
   * In the thread that runs for task {@code taskName}: installs {@code context} (from {@link
   * #capture}, not null) and returns what {@link #restore} needs.
   *
   * @throws IllegalStateException if a source threw, now or at fork (its cause); what this call
   *     installed is restored before
   */
  public static @Nullable Object[] install(Object context, String taskName) {
    return installFor(context, taskName, false, false);
  }

  /**
   * As {@link #install(Object, String)}, for {@code task}, whose observer may open the task's own
   * observation as the current one before its body ({@code ownObservation}): Micrometer's current
   * observation at fork is then not installed (see {@link ContextSource#install(Object, boolean)}).
   */
  public static @Nullable Object[] install(
      Object context, ObservedTask task, boolean ownObservation) {
    return installFor(context, task, false, ownObservation); // its name only for a failure
  }

  /**
   * In the same thread, after the task: puts back what the thread had, in the reverse order of
   * install ({@code previous} is what {@link #install} returned). Never throws.
   */
  public static void restore(Object context, @Nullable Object[] previous) {
    Captured c = (Captured) context;
    restore(c, previous, c.sources.length - 1);
  }

  /**
   * {@code f.apply(argument)} with {@code context} installed in the current thread, then restored:
   * a fallback that runs in another thread than the task's own (the timer's, a dependency's) sees
   * the task's context too. If the context cannot be installed, that failure is thrown instead.
   */
  public static <A, R> R callWith(
      Object context, String taskName, Function<? super A, ? extends R> f, A argument) {
    @Nullable Object[] previous = installFor(context, taskName, true, false);
    try {
      return f.apply(argument);
    } finally {
      restore(context, previous);
    }
  }

  /** The names of the sources a context holds values for (tests and diagnostics). */
  public static String describe(@Nullable Object context) {
    if (context == null) {
      return "[]";
    }
    if (context instanceof Failed f) {
      return "[failed: " + f.source.name() + "]";
    }
    Captured c = (Captured) context;
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < c.sources.length; i++) {
      if (c.values[i] != null) {
        b.append(b.length() == 1 ? "" : ", ").append(c.sources[i].name());
      }
    }
    return b.append(']').toString();
  }

  // --- implementation ---

  /**
   * Installs {@code context} for a task, or for its fallback. {@code task} is the task's name, or
   * the task ({@link ObservedTask}), whose name is read only to name it in a failure (a generated
   * name is built when read).
   */
  private static @Nullable Object[] installFor(
      Object context, Object task, boolean fallback, boolean ownObservation) {
    if (context instanceof Failed f) {
      throw failure(nameOf(task), fallback, f.source, "capture() at fork", f.thrown);
    }
    Captured c = (Captured) context;
    @Nullable Object[] previous = new Object[c.sources.length];
    for (int i = 0; i < c.sources.length; i++) {
      Object v = c.values[i];
      if (v == null) {
        continue;
      }
      try {
        previous[i] = c.sources[i].install(v, ownObservation);
      } catch (Throwable e) {
        restore(c, previous, i - 1);
        throw failure(nameOf(task), fallback, c.sources[i], "install()", e);
      }
    }
    return previous;
  }

  private static void restore(Captured c, @Nullable Object[] previous, int from) {
    for (int i = from; i >= 0; i--) {
      if (c.values[i] == null) {
        continue;
      }
      try {
        c.sources[i].restore(previous[i]);
      } catch (Throwable e) {
        if (WARNED.add(c.sources[i])) {
          LOG.warn(
              "context propagator '{}' threw from restore(); the task's outcome stands, and further"
                  + " failures of this propagator are not logged",
              c.sources[i].name(),
              e);
        }
      }
    }
  }

  private static String nameOf(Object task) {
    return task instanceof ObservedTask t ? t.name() : (String) task;
  }

  private static IllegalStateException failure(
      String taskName, boolean fallback, ContextSource source, String step, Throwable e) {
    String what = (fallback ? "the fallback of task '" : "task '") + taskName + "' did not run";
    return new IllegalStateException(
        what + ": context propagator '" + source.name() + "' threw from " + step + ": " + text(e),
        e);
  }

  /** {@code e.toString()}, or its class name if that throws. */
  private static String text(Throwable e) {
    try {
      return e.toString();
    } catch (RuntimeException | Error broken) {
      return e.getClass().getName();
    }
  }

  /** A context with values: the sources at fork, and the value of each (null: none). */
  private record Captured(ContextSource[] sources, @Nullable Object[] values) {}

  /** A context whose capture failed at fork: installing it fails the task. */
  private record Failed(ContextSource source, Throwable thrown) {}
}
