package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.BadInputTable;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public method of the scope API with bad input (null, blank, zero, negative, huge) and in
 * the wrong thread or state: each row gives the exact exception, whose message names the argument
 * or rule and says the fix; huge durations saturate. The same rows are the table of docs/scopes.md,
 * "Errors and bad input" ({@link #docs_errorsSection_listsEveryRow}).
 *
 * <p>Names: scope {@code s}, task {@code t}, owner thread {@code owner}, another thread {@code
 * other}.
 */
class BadInputTest {

  static final BadInputTable TABLE = table();

  static Stream<BadInputTable.Row> rows() {
    return TABLE.rows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  @Timeout(20)
  void row_throwsExactlyItsExceptionOrWorks(BadInputTable.Row row) throws Exception {
    row.check();
  }

  /** The document shows the table as it is checked here, row for row. */
  @Test
  @Timeout(10)
  void docs_errorsSection_listsEveryRow() throws IOException {
    TABLE.assertDocumentedIn("docs/scopes.md", "bad-input-scope");
  }

  /** A message is lower-case, has no trailing period, and says the fix after a colon. */
  @Test
  @Timeout(10)
  void messages_followTheHouseStyle() {
    for (BadInputTable.Row row : TABLE.rows()) {
      if (row.message() == null) {
        continue;
      }
      assertThat(row.message()).as(row.call()).doesNotEndWith(".").contains(": ");
      assertThat(Character.isLowerCase(row.message().charAt(0))).as(row.call()).isTrue();
    }
  }

  /** A config function that throws is not wrapped: the message is the config method's own. */
  @Test
  @Timeout(10)
  void open_configFunctionThrows_exceptionPassesUnchanged() {
    IllegalStateException mine = new IllegalStateException("mine");
    assertThatThrownBy(
            () ->
                Scope.open(
                    "s",
                    c -> {
                      throw mine;
                    }))
        .isSameAs(mine);
  }

  // --- the table ---

  private static BadInputTable table() {
    BadInputTable t = BadInputTable.create();
    BadInputOpening.addTo(t);
    BadInputForking.addTo(t);
    BadInputEnding.addTo(t);
    return t;
  }
}
