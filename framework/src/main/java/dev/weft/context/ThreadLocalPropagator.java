package dev.weft.context;

import org.jspecify.annotations.Nullable;

/** {@link ContextPropagator#ofThreadLocal}: a {@link ThreadLocal}'s get, set and remove. */
final class ThreadLocalPropagator<T> implements ContextPropagator<T> {
  private final String name;
  private final ThreadLocal<T> threadLocal;

  ThreadLocalPropagator(String name, ThreadLocal<T> threadLocal) {
    this.name = name;
    this.threadLocal = threadLocal;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public @Nullable T capture() {
    return threadLocal.get();
  }

  @Override
  public void install(T value) {
    threadLocal.set(value);
  }

  @Override
  public void clear() {
    threadLocal.remove();
  }

  @Override
  public String toString() {
    return "ContextPropagator[" + name + "]";
  }
}
