package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules of the build that a green compile does not show. */
class BuildRulesTest {
  // A Micrometer type named in code (io.micrometer.core..., io.micrometer.observation...), not the
  // context-propagation library (io.micrometer.context), which dev.weft.internal may use.
  private static final java.util.regex.Pattern MICROMETER_TYPE =
      java.util.regex.Pattern.compile("io\\.micrometer\\.(?!context\\b)");

  private static final Path MAIN_SOURCES = Path.of("src/main/java");
  private static final Path MAIN_CLASSES = Path.of("target/classes");

  /** {@code synchronized} pins the carrier thread of a virtual thread on Java 21. */
  @Test
  void mainSources_useNoSynchronized() throws IOException {
    Pattern keyword = Pattern.compile("^(?!\\s*(//|\\*|/\\*)).*\\bsynchronized\\b");
    try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
      List<String> hits =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .flatMap(
                  p ->
                      lines(p).stream()
                          .filter(l -> keyword.matcher(l).find())
                          .map(l -> p + ": " + l))
              .toList();
      assertThat(hits)
          .as("framework code must use java.util.concurrent locks, not synchronized")
          .isEmpty();
    }
  }

  /** The jar runs on Java 21: every class file is major version 65. */
  @Test
  void mainClasses_targetJava21() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN_CLASSES)) {
      List<Path> classes = files.filter(p -> p.toString().endsWith(".class")).toList();
      assertThat(classes).isNotEmpty();
      for (Path c : classes) {
        try (InputStream in = Files.newInputStream(c);
            DataInputStream data = new DataInputStream(in)) {
          data.readInt(); // magic
          int minor = data.readUnsignedShort();
          int major = data.readUnsignedShort();
          assertThat(major).as("major version of %s", c).isEqualTo(65);
          assertThat(minor).as("%s must not need --enable-preview", c).isZero();
        }
      }
    }
  }

  /** Only the API packages are exported; internals stay hidden. */
  @Test
  void moduleInfo_exportsOnlyApiPackages() throws IOException {
    try (InputStream in = Files.newInputStream(MAIN_CLASSES.resolve("module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.weft");
      assertThat(
              d.exports().stream()
                  .map(ModuleDescriptor.Exports::source)
                  .collect(Collectors.toSet()))
          .containsExactlyInAnyOrder(
              "dev.weft.scope",
              "dev.weft.lockorder",
              "dev.weft.context",
              "dev.weft.micrometer",
              "dev.weft.trace");
      assertThat(
              d.requires().stream()
                  .map(ModuleDescriptor.Requires::name)
                  .collect(Collectors.toSet()))
          .containsExactlyInAnyOrder(
              "java.base",
              "org.slf4j",
              "org.jspecify",
              "context.propagation",
              "jdk.jfr",
              "micrometer.commons",
              "micrometer.core",
              "micrometer.observation");
      assertThat(
              d.requires().stream()
                  .filter(
                      r ->
                          r.name().startsWith("micrometer.")
                              || r.name().equals("context.propagation"))
                  .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                  .map(ModuleDescriptor.Requires::name))
          .as("Micrometer is optional: requires static")
          .isEmpty();
    }
  }

  /** Only dev.weft.micrometer may use Micrometer: without it on the class path, the rest runs. */
  @Test
  void mainSources_useMicrometerOnlyInItsPackage() throws IOException {
    Path own = MAIN_SOURCES.resolve("dev/weft/micrometer");
    try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
      List<String> hits =
          files
              .filter(p -> p.toString().endsWith(".java") && !p.startsWith(own))
              .filter(p -> !p.endsWith("module-info.java"))
              .flatMap(
                  p ->
                      lines(p).stream()
                          .filter(l -> MICROMETER_TYPE.matcher(l).find())
                          .map(l -> p + ": " + l))
              .toList();
      assertThat(hits).as("Micrometer outside dev.weft.micrometer").isEmpty();
    }
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
