package dev.weft.test;

import dev.weft.lockorder.LockOrderChecker;
import dev.weft.lockorder.LockOrderPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test a fresh lock-order graph and fails the test on any
 * lock-order report, with the report as the failure message.
 *
 * {@snippet :
 * @ExtendWith(LockOrderExtension.class)
 * class AccountServiceTest {
 *   @Test
 *   void transfer_bothDirections_consistentOrder(LockOrderChecker checker) {  // fresh, THROW
 *     AccountService service = new AccountService(checker);
 *     service.transfer("alice", "bob", 10);
 *     service.transfer("bob", "alice", 5);   // fails the test if the orders conflict
 *   }
 * }
 * }
 *
 * <h2>What it does</h2>
 *
 * <ul>
 *   <li>Before each test: {@link LockOrderChecker#resetAll()} (every live checker forgets what it
 *       learned; declared orders stay) and starts listening for reports.
 *   <li>After each test: if any checker reported a potential deadlock ({@link
 *       dev.weft.lockorder.LockOrderViolationException}, thrown or logged under WARN) or an actual
 *       one ({@link dev.weft.lockorder.DeadlockException}), on any thread, the test fails with an
 *       {@link AssertionError} whose message holds the full reports and whose cause is the first
 *       report. Reports that code under test caught and swallowed still fail the test.
 *   <li>A test or lifecycle method parameter of type {@link LockOrderChecker} receives a new
 *       checker with policy THROW.
 * </ul>
 *
 * <h2>Limitations</h2>
 *
 * Reports are collected JVM-wide, so tests that use checked locks must not run in parallel with
 * each other in one JVM (a report of one would fail the other).
 */
public final class LockOrderExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LockOrderExtension.class);

  /** Creates the extension; JUnit calls this through {@code @ExtendWith}. */
  public LockOrderExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    LockOrderChecker.resetAll();
    Recorder recorder = new Recorder();
    context.getStore(NAMESPACE).put(Recorder.class, recorder);
    LockOrderChecker.addReportListener(recorder);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Recorder recorder = context.getStore(NAMESPACE).remove(Recorder.class, Recorder.class);
    if (recorder == null) {
      return;
    }
    LockOrderChecker.removeReportListener(recorder);
    List<RuntimeException> reports = recorder.reports;
    if (reports.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder();
    message
        .append(
            reports.size() == 1 ? "1 lock-order report" : reports.size() + " lock-order reports")
        .append(" in ")
        .append(context.getDisplayName())
        .append(":\n");
    for (RuntimeException r : reports) {
      StringWriter text = new StringWriter();
      r.printStackTrace(new PrintWriter(text));
      message.append('\n').append(text);
    }
    AssertionError failure = new AssertionError(message.toString().stripTrailing(), reports.get(0));
    for (int i = 1; i < reports.size(); i++) {
      failure.addSuppressed(reports.get(i));
    }
    throw failure;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LockOrderChecker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return LockOrderChecker.create(LockOrderPolicy.THROW);
  }

  /** Collects reports from any thread. */
  private static final class Recorder implements Consumer<RuntimeException> {
    final List<RuntimeException> reports = new CopyOnWriteArrayList<>();

    @Override
    public void accept(RuntimeException report) {
      reports.add(report);
    }
  }
}
