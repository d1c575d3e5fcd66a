package dev.weft.lockorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which stack frames are the checker's own: reports trim them from the top of their stack traces
 * and skip them in thread stacks, so that both start at user code.
 */
class StackTracesTest {
  private static final Path PACKAGE_CLASSES = Path.of("target/classes/dev/weft/lockorder");

  /** The list of implementation classes is kept by hand; a new class must not be forgotten. */
  @Test
  @Timeout(10)
  void isImplementation_everyClassOfPackage_exactlyThePackagePrivateOnes() throws Exception {
    List<String> classes;
    try (Stream<Path> files = Files.list(PACKAGE_CLASSES)) {
      classes =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".class") && !n.contains("$"))
              .filter(n -> !n.startsWith("package-info"))
              .map(n -> "dev.weft.lockorder." + n.substring(0, n.length() - ".class".length()))
              .sorted()
              .toList();
    }
    assertThat(classes).contains("dev.weft.lockorder.Graph", "dev.weft.lockorder.LockOrderChecker");
    for (String name : classes) {
      Class<?> c = Class.forName(name, false, StackTracesTest.class.getClassLoader());
      assertThat(StackTraces.isImplementation(name))
          .as("%s is implementation (package-private)", name)
          .isEqualTo(!Modifier.isPublic(c.getModifiers()));
    }
  }

  /** Nested classes and lambdas count as their top-level class; tests and subpackages do not. */
  @Test
  @Timeout(10)
  void isImplementation_nestedTestAndSubpackageClasses() {
    assertThat(StackTraces.isImplementation("dev.weft.lockorder.Waits$Hop")).isTrue();
    assertThat(StackTraces.isImplementation("dev.weft.lockorder.CheckedReadWriteLock$ReadView"))
        .isTrue();
    assertThat(StackTraces.isImplementation("dev.weft.lockorder.Graph$$Lambda/0x0000000801001234"))
        .isTrue();
    assertThat(StackTraces.isImplementation("dev.weft.lockorder.LockOrderChecker")).isFalse();
    assertThat(StackTraces.isImplementation("dev.weft.lockorder.LockOrderCheckerTest")).isFalse();
    assertThat(StackTraces.isImplementation("dev.weft.lockorder.Threads")).isFalse();
    assertThat(StackTraces.isImplementation("dev.weft.lockorder.issues.Graph")).isFalse();
    assertThat(StackTraces.isImplementation("dev.weft.lockorderx.Graph")).isFalse();
  }
}
