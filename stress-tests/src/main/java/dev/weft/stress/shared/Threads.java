package dev.weft.stress.shared;

import dev.weft.scope.ScopeConfig;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;

/**
 * The kinds of thread a scope can run its tasks on in a stress test: nested variants of a test run
 * the same actors with each kind, side by side.
 */
public enum Threads {
  /** The default: one virtual thread per task. */
  VIRTUAL(null),
  /** Platform daemon threads, set with {@link ScopeConfig#withThreadFactory}. */
  PLATFORM(Thread.ofPlatform().daemon().name("stress-", 0).factory());

  private final ThreadFactory factory;

  Threads(ThreadFactory factory) {
    this.factory = factory;
  }

  /** The scope configuration for this kind, on top of {@code more}. */
  public UnaryOperator<ScopeConfig> config(UnaryOperator<ScopeConfig> more) {
    return factory == null ? more : c -> more.apply(c).withThreadFactory(factory);
  }

  /** The scope configuration for this kind. */
  public UnaryOperator<ScopeConfig> config() {
    return config(UnaryOperator.identity());
  }
}
