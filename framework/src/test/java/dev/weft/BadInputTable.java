package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bad-input table: rows of "you do" and "you get", each checked by running it, and printed as the
 * Markdown table that a document must contain word for word.
 *
 * <p>Every row runs in a new platform thread named {@code owner}; {@link #inOther} runs a call in a
 * thread named {@code other}, so that messages naming threads are the same in every run.
 */
public final class BadInputTable {
  /** Code of one row. */
  @FunctionalInterface
  public interface Action {
    void run() throws Throwable;
  }

  /**
   * One row: {@code call} and {@code outcome} are the Markdown of its two cells. A row either
   * expects every action to throw exactly {@code type} with {@code message}, or ({@code type ==
   * null}) expects its actions to return normally, having checked what they must themselves.
   */
  public record Row(
      String group,
      String call,
      Class<? extends Throwable> type,
      String message,
      String note,
      List<Action> actions) {
    /** The Markdown of the "you get" cell. */
    public String outcome() {
      if (type == null) {
        return note;
      }
      return "`" + type.getSimpleName() + ": " + message + "`" + (note == null ? "" : " " + note);
    }

    /** The Markdown line of this row. */
    public String line() {
      return "| " + call + " | " + outcome() + " |";
    }

    /** Runs every action as the owner and checks its outcome. */
    public void check() throws InterruptedException {
      for (int i = 0; i < actions.size(); i++) {
        Throwable thrown = runAs("owner", actions.get(i));
        String which = call + (actions.size() == 1 ? "" : " (variant " + (i + 1) + ")");
        if (type == null) {
          if (thrown != null) {
            throw new AssertionError(which + " should work, but threw " + thrown, thrown);
          }
        } else {
          assertThat(thrown).as(which).isExactlyInstanceOf(type).hasMessage(message);
        }
      }
    }

    @Override
    public String toString() {
      return call;
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private String group = "";

  /** Starts a group of rows: a separate table under {@code heading} in the document. */
  public BadInputTable group(String heading) {
    this.group = heading;
    return this;
  }

  /** A row whose actions must each throw exactly {@code type} with {@code message}. */
  public BadInputTable rejects(
      String call, Class<? extends Throwable> type, String message, Action... actions) {
    rows.add(new Row(group, call, type, message, null, List.of(actions)));
    return this;
  }

  /** As {@link #rejects(String, Class, String, Action...)}, with a remark after the message. */
  public BadInputTable rejects(
      String call,
      Class<? extends Throwable> type,
      String message,
      String note,
      Action... actions) {
    rows.add(new Row(group, call, type, message, note, List.of(actions)));
    return this;
  }

  /** A row whose actions must return normally; {@code outcome} says what happens. */
  public BadInputTable works(String call, String outcome, Action... actions) {
    rows.add(new Row(group, call, null, null, outcome, List.of(actions)));
    return this;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The tables as Markdown: per group, a heading line, the table header and one line per row. */
  public String markdown() {
    Map<String, List<Row>> byGroup = new LinkedHashMap<>();
    rows.forEach(r -> byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
    StringBuilder md = new StringBuilder();
    byGroup.forEach(
        (heading, groupRows) -> {
          md.append(heading).append("\n\n| You do | You get |\n|---|---|\n");
          groupRows.forEach(r -> md.append(r.line()).append('\n'));
          md.append('\n');
        });
    return md.toString();
  }

  /**
   * Checks that {@code doc} (relative to the repository root) holds every row's line, and writes
   * the expected tables to {@code target/} to copy from when it does not.
   */
  public void assertDocumentedIn(String doc, String name) throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent(); // tests run in framework/
    String text = Files.readString(root.resolve(doc));
    Path expected = Path.of("target", name + ".md");
    Files.createDirectories(expected.getParent());
    Files.writeString(expected, markdown());
    List<String> missing =
        rows.stream().map(Row::line).filter(l -> !text.contains(l + "\n")).toList();
    assertThat(missing)
        .as("rows missing from %s (expected tables: framework/%s)", doc, expected)
        .isEmpty();
  }

  /** Runs {@code action} in a new platform thread named {@code name}; returns what it threw. */
  public static Throwable runAs(String name, Action action) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .name(name)
            .start(
                () -> {
                  try {
                    action.run();
                  } catch (Throwable e) {
                    thrown.set(e);
                  }
                });
    t.join();
    return thrown.get();
  }

  /** Runs {@code action} in a thread named {@code other}, and rethrows what it threw. */
  public static void inOther(Action action) throws Throwable {
    Throwable thrown = runAs("other", action);
    if (thrown != null) {
      throw thrown;
    }
  }

  private BadInputTable() {}

  public static BadInputTable create() {
    return new BadInputTable();
  }
}
