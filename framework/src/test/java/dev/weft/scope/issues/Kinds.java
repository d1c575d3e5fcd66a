package dev.weft.scope.issues;

import dev.weft.scope.ScopeConfig;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Thread kinds the regression tests run on, for
 * {@code @MethodSource("dev.weft.scope.issues.Kinds#kinds")}: a copy of the scope tests' provider,
 * which is package-private in {@code dev.weft.scope}.
 */
final class Kinds {
  private Kinds() {}

  /** A config per kind: virtual threads (the default) and daemon platform threads. */
  static Stream<Arguments> kinds() {
    ThreadFactory platform = Thread.ofPlatform().daemon().factory();
    return Stream.of(
        Arguments.of(new Kind("virtual", c -> c)),
        Arguments.of(new Kind("platform", c -> c.withThreadFactory(platform))));
  }

  /** A thread kind: the config change that selects it. */
  record Kind(String name, UnaryOperator<ScopeConfig> config) {
    /** This kind, then {@code more}. */
    UnaryOperator<ScopeConfig> and(UnaryOperator<ScopeConfig> more) {
      return c -> more.apply(config.apply(c));
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
