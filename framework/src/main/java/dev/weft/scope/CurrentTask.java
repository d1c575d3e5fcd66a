package dev.weft.scope;

import static java.lang.invoke.MethodType.methodType;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.UndeclaredThrowableException;
import org.jspecify.annotations.Nullable;

/**
 * Which task the current thread runs: nested scopes find their parent with it, and {@code
 * Scope.remainingTime()} the deadline.
 *
 * <p>On JDK 25 and later the task is bound with a {@code ScopedValue} (final since JDK 25, JEP 506)
 * for the time its thread runs. On JDK 21 to 24, where {@code ScopedValue} is a preview API, a
 * {@code ThreadLocal} holds it. The difference matters for fan-outs: the first {@code
 * ThreadLocal.set} in a new virtual thread creates the thread's {@code ThreadLocalMap} (a table, a
 * map and a weak reference), which costs about a tenth of a trivial task's time; binding a scoped
 * value allocates two small objects and creates no per-thread state.
 *
 * <p>The framework is compiled for Java 21 without preview features, so it reaches {@code
 * ScopedValue} through method handles, looked up once. {@code
 * -Dweft.internal.currentTask=threadlocal} forces the {@code ThreadLocal} (the tests use it to
 * cover the JDK 21 path on a newer JDK).
 */
final class CurrentTask {
  private CurrentTask() {}

  private static final ThreadLocal<TaskNode<?>> LOCAL = new ThreadLocal<>();
  private static final Object UNBOUND = new Object();

  // The ScopedValue and its methods, adapted to Object types; all null on the ThreadLocal path.
  private static final @Nullable Object KEY;
  private static final @Nullable MethodHandle WHERE; // (Object key, Object value) -> carrier
  private static final @Nullable MethodHandle RUN; // (Object carrier, Runnable op) -> void
  private static final @Nullable MethodHandle OR_ELSE; // (Object key, Object other) -> Object

  static {
    Object key = null;
    MethodHandle where = null;
    MethodHandle run = null;
    MethodHandle orElse = null;
    if (Runtime.version().feature() >= 25
        && !"threadlocal".equals(System.getProperty("weft.internal.currentTask"))) {
      try {
        Class<?> sv = Class.forName("java.lang.ScopedValue");
        Class<?> carrier = Class.forName("java.lang.ScopedValue$Carrier");
        MethodHandles.Lookup l = MethodHandles.publicLookup();
        key = l.findStatic(sv, "newInstance", methodType(sv)).invoke();
        where =
            l.findStatic(sv, "where", methodType(carrier, sv, Object.class))
                .asType(methodType(Object.class, Object.class, Object.class));
        run =
            l.findVirtual(carrier, "run", methodType(void.class, Runnable.class))
                .asType(methodType(void.class, Object.class, Runnable.class));
        orElse =
            l.findVirtual(sv, "orElse", methodType(Object.class, Object.class))
                .asType(methodType(Object.class, Object.class, Object.class));
      } catch (Throwable e) {
        key = null; // a JDK without a usable ScopedValue: keep the ThreadLocal
      }
    }
    KEY = key;
    WHERE = key == null ? null : where;
    RUN = key == null ? null : run;
    OR_ELSE = key == null ? null : orElse;
  }

  /** Whether tasks are bound with a ScopedValue (else a ThreadLocal). */
  static boolean scoped() {
    return KEY != null;
  }

  /** What the task's thread runs: {@link TaskRun#run}, with the task bound as the current one. */
  static Runnable threadBody(TaskNode<?> task) {
    return KEY == null ? () -> runWithLocal(task) : new Bound(task);
  }

  /** The task the current thread runs, or null. */
  static @Nullable TaskNode<?> get() {
    if (OR_ELSE == null) { // null exactly when KEY is
      return LOCAL.get();
    }
    Object t;
    try {
      t = (Object) OR_ELSE.invokeExact(KEY, UNBOUND);
    } catch (Throwable e) {
      throw rethrow(e);
    }
    return t == UNBOUND ? null : (TaskNode<?>) t;
  }

  private static void runWithLocal(TaskNode<?> task) {
    LOCAL.set(task);
    try {
      TaskRun.run(task); // directly, not through TaskNode.run(): one frame less on a parked stack
    } finally {
      LOCAL.remove();
    }
  }

  /**
   * The thread's Runnable on the ScopedValue path. Its first run binds the task and runs itself
   * again inside the binding, where it runs the task: one object serves as both Runnables.
   */
  private static final class Bound implements Runnable {
    private final TaskNode<?> task;
    private boolean bound; // only the task's thread reads and writes it

    Bound(TaskNode<?> task) {
      this.task = task;
    }

    @Override
    @SuppressWarnings("NullAway") // a Bound exists only when KEY is set, and then so are WHERE, RUN
    public void run() {
      if (bound) {
        TaskRun.run(task); // directly: one frame less on every parked task's stack
        return;
      }
      bound = true;
      try {
        RUN.invokeExact((Object) WHERE.invokeExact(KEY, (Object) task), (Runnable) this);
      } catch (Throwable e) {
        throw rethrow(e);
      }
    }
  }

  private static RuntimeException rethrow(Throwable e) {
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    throw new UndeclaredThrowableException(
        e); // not reached: a Runnable throws no checked exception
  }
}
