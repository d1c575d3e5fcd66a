package dev.weft.lockorder;

import static dev.weft.BadInputTable.inOther;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.BadInputTable;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public entry points of lock ordering ({@link LockOrderChecker}, its builder, checked locks
 * and conditions, {@link DeadlockDetector}) with bad input and in the wrong thread or state: each
 * row gives the exact exception, whose message names the argument or rule and says the fix; huge
 * durations saturate. The same rows are the table of docs/lock-ordering.md, "Errors and bad input"
 * ({@link #docs_errorsSection_listsEveryRow}).
 *
 * <p>Each row uses a new THROW checker {@code checker}; the owner thread is {@code owner}, another
 * thread {@code other}.
 */
class BadInputTest {
  private static final Duration HUGE = Duration.ofSeconds(Long.MAX_VALUE);
  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
  private static final String DECLARE_FIX =
      "pass the lock class names in the order they are taken, e.g. declareOrder(\"accounts\", \"audit\")";
  private static final String NAME_FIX =
      "name the class after what its locks guard, e.g. newLock(\"accounts\")";

  static final BadInputTable TABLE = table();

  enum OneRank {
    ONLY
  }

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
    TABLE.assertDocumentedIn("docs/lock-ordering.md", "bad-input-lockorder");
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

  /**
   * A thread that awaits a condition of a lock it does not hold leaves the holder's bookkeeping
   * alone: before, the failed wait recorded that thread as the owner, and the holder's unlock()
   * then popped the lock from the wrong thread's list, so the holder kept it as held and learned
   * orders from it.
   */
  @Test
  @Timeout(10)
  void await_byThreadNotHoldingTheLock_holderStillUnlocksCleanly() throws Throwable {
    LockOrderChecker checker = LockOrderChecker.create(LockOrderPolicy.THROW);
    Lock a = checker.newLock("a");
    Lock b = checker.newLock("b");
    Condition ready = a.newCondition();
    a.lock();
    Throwable thrown = BadInputTable.runAs("other", ready::await);
    a.unlock();
    b.lock();
    b.unlock();
    assertThat(thrown).isExactlyInstanceOf(IllegalMonitorStateException.class);
    assertThat(checker.edges()).isEmpty(); // no "a -> b": a was released
  }

  // --- the table ---

  private static BadInputTable table() {
    BadInputTable t = BadInputTable.create();

    t.group("**Checkers and lock classes** (`LockOrderChecker`)");
    t.rejects(
        "`LockOrderChecker.create(null)`, `LockOrderChecker.builder().policy(null)`",
        NullPointerException.class,
        "lock order policy must not be null: pass THROW, WARN or OFF, or leave it unset for the default",
        () -> LockOrderChecker.create(null),
        () -> LockOrderChecker.builder().policy(null));
    t.rejects(
        "`LockOrderChecker.create()` with `-Dweft.lockorder.policy=sometimes`",
        IllegalArgumentException.class,
        "system property weft.lockorder.policy is 'sometimes': use THROW, WARN or OFF",
        () -> {
          String before = System.getProperty(LockOrderPolicy.PROPERTY);
          System.setProperty(LockOrderPolicy.PROPERTY, "sometimes");
          try {
            LockOrderChecker.create();
          } finally {
            if (before == null) {
              System.clearProperty(LockOrderPolicy.PROPERTY);
            } else {
              System.setProperty(LockOrderPolicy.PROPERTY, before);
            }
          }
        });
    t.rejects(
        "`checker.newLock(null)`, `newReadWriteLock(null)`, `lockClass(null)`",
        NullPointerException.class,
        "lock class name must not be null: " + NAME_FIX,
        () -> checker().newLock(null),
        () -> checker().newReadWriteLock(null),
        () -> checker().lockClass(null));
    t.rejects(
        "`checker.newLock(\"\")`",
        IllegalArgumentException.class,
        "lock class name must not be blank, got '': " + NAME_FIX,
        () -> checker().newLock(""));
    t.rejects(
        "`checker.newLock(\" \")`, `newReadWriteLock(\" \")`, `lockClass(\" \")`",
        IllegalArgumentException.class,
        "lock class name must not be blank, got ' ': " + NAME_FIX,
        () -> checker().newLock(" "),
        () -> checker().newReadWriteLock(" "),
        () -> checker().lockClass(" "));
    t.rejects(
        "`checker.declareOrder((String[]) null)`",
        NullPointerException.class,
        "declared order must not be null: " + DECLARE_FIX,
        () -> checker().declareOrder((String[]) null));
    t.rejects(
        "`checker.declareOrder()`",
        IllegalArgumentException.class,
        "declareOrder needs at least two lock class names, got []: " + DECLARE_FIX,
        () -> checker().declareOrder());
    t.rejects(
        "`checker.declareOrder(\"a\")`",
        IllegalArgumentException.class,
        "declareOrder needs at least two lock class names, got [a]: " + DECLARE_FIX,
        () -> checker().declareOrder("a"));
    t.rejects(
        "`checker.declareOrder(\"a\", null)`",
        NullPointerException.class,
        "lock class name in declared order [a, null] must not be null: " + DECLARE_FIX,
        () -> checker().declareOrder("a", null));
    t.rejects(
        "`checker.declareOrder(\"a\", \" \")`",
        IllegalArgumentException.class,
        "lock class name in declared order [a,  ] must not be blank, got ' ': " + DECLARE_FIX,
        () -> checker().declareOrder("a", " "));
    t.rejects(
        "`checker.declareOrder(\"a\", \"b\", \"a\")`",
        IllegalArgumentException.class,
        "lock class 'a' appears twice in declared order [a, b, a]: list each class once, in the order they "
            + "are taken",
        () -> checker().declareOrder("a", "b", "a"));
    t.rejects(
        "`checker.declareOrder(\"a\", \"b\", \"a\", null)`",
        IllegalArgumentException.class,
        "lock class 'a' appears twice in declared order [a, b, a, null]: list each class once, in the order "
            + "they are taken",
        () -> checker().declareOrder("a", "b", "a", null));
    t.rejects(
        "`checker.declareOrder(\"a\", \"b\")` after a thread took `a` inside `b`",
        IllegalArgumentException.class,
        "declared order [a, b] contradicts an order seen or declared before: a -> b, b -> a: take these locks "
            + "in one order everywhere, then declare that order",
        () -> {
          LockOrderChecker checker = checker();
          Threads.nest(checker.newLock("b"), checker.newLock("a"));
          checker.declareOrder("a", "b");
        });
    t.rejects(
        "`checker.declareOrder((Class<Rank>) null)`",
        NullPointerException.class,
        "rank enum must not be null: pass an enum class whose constants name the lock classes in the order "
            + "they are taken",
        () -> checker().declareOrder((Class<OneRank>) null));
    t.rejects(
        "`checker.declareOrder(OneRank.class)`, an enum with one constant",
        IllegalArgumentException.class,
        "declareOrder needs at least two lock class names, got [OneRank.ONLY]: " + DECLARE_FIX,
        () -> checker().declareOrder(OneRank.class));
    t.rejects(
        "`LockOrderChecker.addReportListener(null)`",
        NullPointerException.class,
        "report listener must not be null: pass a Consumer that receives each report",
        () -> LockOrderChecker.addReportListener(null));
    t.works(
        "`LockOrderChecker.removeReportListener(null)`, or of a listener never added",
        "works: no effect",
        () -> LockOrderChecker.removeReportListener(null),
        () -> LockOrderChecker.removeReportListener(e -> {}));

    t.group(
        "**Checked locks and conditions** (the `Lock`, `ReadWriteLock` and `Condition` contracts)");
    t.rejects(
        "`lock.unlock()` of a lock `a` that no thread holds",
        IllegalMonitorStateException.class,
        "thread 'owner' unlocks lock 'a', which it does not hold: unlock a lock only in the thread that locked it, once for each lock() or successful tryLock()",
        () -> checker().newLock("a").unlock(),
        () -> {
          Lock a = checker().newLock("a");
          a.lock();
          a.unlock();
          a.unlock();
        });
    t.rejects(
        "`lock.unlock()` in thread `other` while `owner` holds `a`",
        IllegalMonitorStateException.class,
        "thread 'other' unlocks lock 'a', which it does not hold: unlock a lock only in the thread that locked it, once for each lock() or successful tryLock()",
        () -> {
          Lock a = checker().newLock("a");
          a.lock();
          try {
            inOther(a::unlock);
          } finally {
            a.unlock();
          }
        });
    t.rejects(
        "`rw.readLock().unlock()` not held",
        IllegalMonitorStateException.class,
        "thread 'owner' unlocks lock 'a (read)', which it does not hold: unlock a lock only in the thread that locked it, once for each lock() or successful tryLock()",
        () -> checker().newReadWriteLock("a").readLock().unlock());
    t.rejects(
        "`rw.writeLock().unlock()` not held",
        IllegalMonitorStateException.class,
        "thread 'owner' unlocks lock 'a (write)', which it does not hold: unlock a lock only in the thread that locked it, once for each lock() or successful tryLock()",
        () -> checker().newReadWriteLock("a").writeLock().unlock());
    t.rejects(
        "`lock.tryLock(1, null)`",
        NullPointerException.class,
        "tryLock time unit must not be null: pass e.g. TimeUnit.MILLISECONDS",
        () -> checker().newLock("a").tryLock(1, null));
    t.works(
        "`lock.tryLock(Long.MAX_VALUE, TimeUnit.DAYS)` while another thread holds it, then releases it",
        "works: saturates (`TimeUnit` caps at `Long.MAX_VALUE` ns); waits until the lock is free",
        () -> {
          Lock a = checker().newLock("a");
          Thread owner = Thread.currentThread();
          CountDownLatch held = new CountDownLatch(1);
          Thread holder =
              Thread.ofPlatform()
                  .name("holder")
                  .start(
                      () -> {
                        a.lock();
                        held.countDown();
                        while (owner.getState() != Thread.State.TIMED_WAITING) {
                          Thread.onSpinWait(); // the owner is blocked in tryLock
                        }
                        a.unlock();
                      });
          held.await();
          assertThat(a.tryLock(Long.MAX_VALUE, TimeUnit.DAYS)).isTrue();
          a.unlock();
          holder.join();
        });
    t.works(
        "`lock.tryLock(-1, TimeUnit.SECONDS)`, `tryLock(Long.MIN_VALUE, TimeUnit.NANOSECONDS)`",
        "works: does not wait; `true` if the lock is free",
        () -> {
          Lock a = checker().newLock("a");
          assertThat(a.tryLock(-1, TimeUnit.SECONDS)).isTrue();
          a.unlock();
          assertThat(a.tryLock(Long.MIN_VALUE, TimeUnit.NANOSECONDS)).isTrue();
          a.unlock();
        });
    t.rejects(
        "`rw.readLock().newCondition()`",
        UnsupportedOperationException.class,
        "the read lock of 'a' has no conditions, as with ReentrantReadWriteLock: use the write lock's "
            + "newCondition()",
        () -> checker().newReadWriteLock("a").readLock().newCondition());
    t.rejects(
        "`condition.await()` without holding `a` (any `await` method)",
        IllegalMonitorStateException.class,
        "thread 'owner' awaits a condition of lock 'a', which it does not hold: take lock 'a' in the same thread before calling await",
        () -> checker().newLock("a").newCondition().await(),
        () -> checker().newLock("a").newCondition().awaitUninterruptibly(),
        () -> checker().newLock("a").newCondition().awaitNanos(1),
        () -> checker().newLock("a").newCondition().await(1, TimeUnit.SECONDS),
        () -> checker().newLock("a").newCondition().awaitUntil(new java.util.Date()),
        () -> {
          Lock a = checker().newLock("a");
          Condition c = a.newCondition();
          a.lock();
          try {
            a.unlock();
            c.await();
          } finally {
            assertThat(a.tryLock()).isTrue();
            a.unlock();
          }
        });
    t.rejects(
        "`condition.await()` in thread `other` while `owner` holds `a`",
        IllegalMonitorStateException.class,
        "thread 'other' awaits a condition of lock 'a', which it does not hold: take lock 'a' in the same thread before calling await",
        () -> {
          Lock a = checker().newLock("a");
          Condition c = a.newCondition();
          a.lock();
          try {
            inOther(c::await);
          } finally {
            a.unlock();
          }
        });
    t.rejects(
        "`condition.signal()` without holding `a`",
        IllegalMonitorStateException.class,
        "thread 'owner' signals a condition of lock 'a', which it does not hold: take lock 'a' in the same thread before calling signal",
        () -> checker().newLock("a").newCondition().signal());
    t.rejects(
        "`condition.signalAll()` without holding `a`",
        IllegalMonitorStateException.class,
        "thread 'owner' signals a condition of lock 'a', which it does not hold: take lock 'a' in the same thread before calling signalAll",
        () -> checker().newLock("a").newCondition().signalAll());
    t.rejects(
        "`condition.await(1, null)`",
        NullPointerException.class,
        "await time unit must not be null: pass e.g. TimeUnit.MILLISECONDS",
        () -> {
          Lock a = checker().newLock("a");
          a.lock();
          try {
            a.newCondition().await(1, null);
          } finally {
            a.unlock();
          }
        });
    t.rejects(
        "`condition.awaitUntil(null)`",
        NullPointerException.class,
        "await deadline must not be null: use await() to wait without one",
        () -> {
          ReadWriteLock rw = checker().newReadWriteLock("a");
          rw.writeLock().lock();
          try {
            rw.writeLock().newCondition().awaitUntil(null);
          } finally {
            rw.writeLock().unlock();
          }
        });

    t.group("**Deadlock detector** (`DeadlockDetector`)");
    t.rejects(
        "`detector.startWatchdog(null)`",
        NullPointerException.class,
        "watchdog period must not be null: pass how often to look for deadlocks, e.g. Duration.ofSeconds(10)",
        () -> detect(d -> d.startWatchdog(null)));
    t.rejects(
        "`detector.startWatchdog(Duration.ZERO)`",
        IllegalArgumentException.class,
        "watchdog period must be positive, got PT0S: pass how often to look for deadlocks, e.g. Duration.ofSeconds(10)",
        () -> detect(d -> d.startWatchdog(Duration.ZERO)));
    t.rejects(
        "`detector.startWatchdog(Duration.ofMillis(-5))`",
        IllegalArgumentException.class,
        "watchdog period must be positive, got PT-0.005S: pass how often to look for deadlocks, "
            + "e.g. Duration.ofSeconds(10)",
        () -> detect(d -> d.startWatchdog(Duration.ofMillis(-5))));
    t.works(
        "`detector.startWatchdog(Duration.ofSeconds(Long.MAX_VALUE))`, "
            + "`startWatchdog(ChronoUnit.FOREVER.getDuration())`",
        "works: saturates at `Long.MAX_VALUE` ns (about 292 years)",
        () -> detect(d -> d.startWatchdog(HUGE)),
        () -> detect(d -> d.startWatchdog(FOREVER)));
    t.rejects(
        "`detector.startWatchdog(period)` twice",
        IllegalStateException.class,
        "watchdog already running: start it once per detector, or create another DeadlockDetector",
        () -> detect(d -> d.startWatchdog(Duration.ofHours(1)).startWatchdog(Duration.ofHours(1))));
    t.rejects(
        "`detector.startWatchdog(period)` after `close()`",
        IllegalStateException.class,
        "deadlock detector is closed: create a new one",
        () ->
            detect(
                d -> {
                  d.close();
                  d.startWatchdog(Duration.ofHours(1));
                }));
    t.works(
        "`detector.close()` twice; `findDeadlocks()` after `close()`",
        "works: `close()` is idempotent; `findDeadlocks()` still answers",
        () ->
            detect(
                d -> {
                  d.close();
                  d.close();
                  assertThat(d.findDeadlocks()).isEmpty();
                }));
    return t;
  }

  // --- helpers ---

  private static LockOrderChecker checker() {
    return LockOrderChecker.create(LockOrderPolicy.THROW);
  }

  @FunctionalInterface
  interface DetectorBody {
    void run(DeadlockDetector d) throws Throwable;
  }

  /** Runs {@code body} with a new detector, and closes it. */
  private static void detect(DetectorBody body) throws Throwable {
    try (DeadlockDetector d = DeadlockDetector.create()) {
      body.run(d);
    }
  }
}
