package dev.weft.scope;

import java.util.List;

/**
 * A snapshot of every open scope in the JVM, as a tree: each root scope, its tasks with their
 * state, age and what each waits for, and under each task the scopes its body opened. For a log
 * line, a debug endpoint or a test that wants to know why a scope does not end.
 *
 * <pre>{@code
 * log.info("{}", ScopeDump.capture().toText());
 * response.send(ScopeDump.capture().toJson());
 * }</pre>
 *
 * <h2>Usage</h2>
 *
 * {@link #capture()} reads the tree; {@link #toText()} and {@link #toJson()} format what it read. A
 * task is shown as
 *
 * <ul>
 *   <li>PENDING: waiting for its dependencies that have not ended ({@code waits for dependency
 *       'pay' (RUNNING)}), or for a slot of the concurrency limit ({@code waits for a slot
 *       (maxConcurrency 4, queued 3)}), or being started;
 *   <li>RUNNING: the thread its body runs in and that thread's state ({@code runs its body in
 *       thread 'checkout/pay' (WAITING)}), and under it the scopes the body opened;
 *   <li>final: its state and how it ended: the exception's class name, timed out, the failure a
 *       fallback replaced, the dependency that did not succeed; and, for a task another thread
 *       ended (a cancel, its timeout), the thread its body still runs in, if it does.
 * </ul>
 *
 * A scope is shown with its policy, phase ({@code open}, {@code joined}, {@code closing}), why it
 * was cancelled, its deadline, its age, and its owner thread: blocked in {@code join()} or {@code
 * close()}, or that thread's state.
 *
 * <h2>Names only</h2>
 *
 * A dump holds names (of scopes, tasks, threads, policies) and the class names of exceptions; never
 * a task's result, argument or an exception's message, since those may carry request data (a user
 * id, a query) into a log or an endpoint that should not have them.
 *
 * <h2>Thread confinement</h2>
 *
 * Any thread may capture a dump at any time; the snapshot is immutable and may be formatted by any
 * thread. Capturing takes no lock and stops no thread.
 *
 * <h2>Memory consistency effects</h2>
 *
 * A root scope whose {@code Scope.open} returned before {@code capture()} began, and whose {@code
 * close()} had not begun when it ended, is in the dump; a root scope whose {@code close()} returned
 * before {@code capture()} began is not. Within the tree, each field is read once and racily: one
 * dump may mix moments microseconds apart (a task seen PENDING whose dependency is already seen
 * SUCCEEDED), but each state shown is one the task had.
 *
 * <h2>Limitations &amp; cost</h2>
 *
 * A scope's age needs one clock read as it opens, which every scope does. A task's age (how long it
 * has waited or run) needs a clock read as it is forked and as it starts, which a task does only
 * when its scope has observers (metrics, a JFR recording with Weft's events) or with the system
 * property {@code -Dweft.dump.taskTimes=true}; otherwise a task is shown without its age. Each root
 * scope adds and removes itself in a concurrent set as it opens and closes; nothing else is done
 * for the dump until one is captured. A capture costs in proportion to the tasks and scopes it
 * lists.
 */
public final class ScopeDump {
  private final List<DumpCapture.ScopeEntry> roots;

  private ScopeDump(List<DumpCapture.ScopeEntry> roots) {
    this.roots = roots;
  }

  /**
   * Captures every open root scope of the JVM and the scopes nested in it, oldest first.
   *
   * @return the snapshot; empty if no scope is open
   */
  public static ScopeDump capture() {
    return new ScopeDump(DumpCapture.roots());
  }

  /**
   * The dump as text, one line per scope and task, indented by depth:
   *
   * <pre>
   * Weft scope dump: 1 open root scope
   *   scope 'checkout' (fail-fast, open) open for 1.52 s, owner 'main' blocked in join()
   *     task 'cart' SUCCEEDED
   *     task 'pay' RUNNING: runs its body in thread 'checkout/pay' (WAITING)
   *     task 'ship' PENDING: waits for dependency 'pay' (RUNNING)
   * </pre>
   *
   * @return the text, ending with a line break
   */
  public String toText() {
    return DumpText.of(roots);
  }

  /**
   * The dump as one JSON object: {@code {"scopes":[...]}}, each scope with {@code name}, {@code
   * policy}, {@code phase}, {@code ageMillis}, {@code owner}, {@code tasks} and nested {@code
   * scopes}; each task with {@code name}, {@code state}, and what applies of {@code ageMillis},
   * {@code waitsFor}, {@code exception}, {@code timedOut}, {@code recoveredFrom}, {@code
   * skippedBecause}, {@code stillRuns} and nested {@code scopes}. Fields that do not apply are left
   * out. docs/observability.md, "Live scope dump" lists every field.
   *
   * @return the JSON text (printable ASCII: other characters are escaped)
   */
  public String toJson() {
    return DumpJson.of(roots);
  }

  /** The number of open root scopes in the dump. */
  public int rootCount() {
    return roots.size();
  }

  /** The same as {@link #toText()}. */
  @Override
  public String toString() {
    return toText();
  }
}
