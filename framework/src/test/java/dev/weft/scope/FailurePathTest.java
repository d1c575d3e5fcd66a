package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A failure in a nested scope is shown as its path once, not one message inside another. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FailurePathTest {

  /** Opens scope "db" in the body of a task, whose task "q1" fails with "db down". */
  private static Integer queryDb() throws InterruptedException {
    try (var db = Scope.open("db")) {
      db.fork(
          "q1",
          () -> {
            throw new IOException("db down");
          });
      db.join();
      return 0;
    }
  }

  @Test
  void nestedFailure_messageShowsPathOnce() {
    TaskFailedException e =
        catchThrowableOfType(
            TaskFailedException.class,
            () -> {
              try (var req = Scope.open("req")) {
                req.fork("load", FailurePathTest::queryDb);
                req.join();
              }
            });
    assertThat(e)
        .hasMessage(
            "task 'load' failed in scope 'req': req/load -> db/q1: java.io.IOException: db down");
    // The structure is still there: the nested scope's exception is the cause, its cause the root.
    assertThat(e.getCause()).isInstanceOf(TaskFailedException.class);
    assertThat(e.getCause().getCause()).isInstanceOf(IOException.class).hasMessage("db down");
  }

  @Test
  void threeLevels_pathHasEveryHop() {
    TaskFailedException e =
        catchThrowableOfType(
            TaskFailedException.class,
            () -> {
              try (var req = Scope.open("req")) {
                req.fork(
                    "load",
                    () -> {
                      try (var svc = Scope.open("svc")) {
                        svc.fork("fetch", FailurePathTest::queryDb);
                        svc.join();
                        return 0;
                      }
                    });
                req.join();
              }
            });
    assertThat(e.getMessage())
        .isEqualTo(
            "task 'load' failed in scope 'req': "
                + "req/load -> svc/fetch -> db/q1: java.io.IOException: db down");
  }

  @Test
  void dependentOfNestedFailure_skipMessageShowsPath() throws Exception {
    try (var req = Scope.open("req", Policy.collectAll())) {
      Task<Integer> load = req.fork("load", FailurePathTest::queryDb);
      Task<Integer> render = req.fork("render", load, v -> v);
      catchThrowableOfType(TaskFailedException.class, req::join);
      assertThat(render.exception())
          .hasMessage(
              "task 'render' skipped: dependency 'load' failed: "
                  + "load -> db/q1: java.io.IOException: db down");
      assertThat(catchThrowableOfType(IllegalStateException.class, load::get))
          .hasMessageContaining("(FAILED: req/load -> db/q1: java.io.IOException: db down)");
    }
  }

  @Test
  void notNested_messageUnchanged() {
    TaskFailedException e =
        catchThrowableOfType(
            TaskFailedException.class,
            () -> {
              try (var db = Scope.open("db")) {
                db.fork(
                    "q1",
                    () -> {
                      throw new IOException("db down");
                    });
                db.join();
              }
            });
    assertThat(e).hasMessage("task 'q1' failed in scope 'db': java.io.IOException: db down");
  }
}
