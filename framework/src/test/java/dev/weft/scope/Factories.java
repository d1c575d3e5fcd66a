package dev.weft.scope;

import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Thread kinds every behaviour is tested on, as the JDK's own scope tests do: the one fixture of
 * the scope tests (also of the regression tests in {@code dev.weft.scope.issues}).
 */
public final class Factories {
  private Factories() {}

  /** Arguments for {@code @MethodSource("dev.weft.scope.Factories#kinds")}: a config per kind. */
  public static Stream<Arguments> kinds() {
    ThreadFactory platform = Thread.ofPlatform().daemon().factory();
    return Stream.of(
        Arguments.of(Kind.named("virtual", c -> c)),
        Arguments.of(Kind.named("platform", c -> c.withThreadFactory(platform))));
  }

  /** A thread kind: the config change that selects it. */
  public record Kind(String name, UnaryOperator<ScopeConfig> config) {
    public static Kind named(String name, UnaryOperator<ScopeConfig> config) {
      return new Kind(name, config);
    }

    /** This kind, then {@code more}. */
    public UnaryOperator<ScopeConfig> and(UnaryOperator<ScopeConfig> more) {
      return c -> more.apply(config.apply(c));
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
