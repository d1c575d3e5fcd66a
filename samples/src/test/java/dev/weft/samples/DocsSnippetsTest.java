package dev.weft.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the code in docs/ identical to compiled, tested code.
 *
 * <p>In a document (any .md file under docs/, and README.md), a line {@code <!-- snippet:
 * path/File.java#region -->} (path from the repository root) must be followed by a fenced Java
 * block whose text is exactly that region of that file, without its common indentation. The fix for
 * a failure is to copy the region again.
 */
class DocsSnippetsTest {
  private static final Pattern MARKER =
      Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\R```java\\R(.*?)\\R```", Pattern.DOTALL);

  private static final Path ROOT =
      Path.of("").toAbsolutePath().getParent(); // tests run in samples/

  @Test
  void docs_everySnippetMarker_matchesItsRegion() throws IOException {
    List<String> checked = new ArrayList<>();
    List<Path> docs;
    try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
      docs = new ArrayList<>(files.filter(p -> p.toString().endsWith(".md")).sorted().toList());
    }
    if (Files.exists(ROOT.resolve("README.md"))) {
      docs.add(ROOT.resolve("README.md")); // once the README draft is merged into it
    }
    for (Path doc : docs) {
      String text = Files.readString(doc);
      Matcher m = MARKER.matcher(text);
      while (m.find()) {
        String where = ROOT.relativize(doc) + " -> " + m.group(1) + "#" + m.group(2);
        assertThat(m.group(3)).as(where).isEqualTo(region(ROOT.resolve(m.group(1)), m.group(2)));
        checked.add(where);
      }
      // A marker the pattern did not match (say, no java block after it) is a mistake too.
      long markers = text.lines().filter(l -> l.startsWith("<!-- snippet:")).count();
      assertThat(checked.stream().filter(c -> c.startsWith(ROOT.relativize(doc) + " ")).count())
          .as("well-formed snippet markers in " + doc)
          .isEqualTo(markers);
    }
    assertThat(checked).as("snippets checked").hasSizeGreaterThan(10);
  }

  /**
   * The lines between {@code // @start region="name"} and {@code // @end region="name"}, dedented.
   */
  static String region(Path file, String name) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.equals("// @start region=\"" + name + "\"")) {
        start = i + 1;
      } else if (l.equals("// @end region=\"" + name + "\"")) {
        end = i;
      }
    }
    assertThat(start).as("region %s in %s", name, file).isPositive();
    assertThat(end).as("end of region %s in %s", name, file).isGreaterThanOrEqualTo(start);
    List<String> body = lines.subList(start, end);
    int indent =
        body.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }
}
