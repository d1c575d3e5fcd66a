package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The policies' lock-free record of tasks, on its own: nothing lost, the order of recording. */
class RecordedTasksTest {
  private static final VarHandle HEAD;

  static {
    try {
      HEAD =
          MethodHandles.lookup()
              .findVarHandle(RecordedTasksTest.class, "head", RecordedTasks.Node.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile RecordedTasks.@Nullable Node head;

  @Test
  void empty_isNullSizeZeroAndAnEmptyList() {
    assertThat(head).isNull();
    assertThat(RecordedTasks.size(head)).isZero();
    assertThat(RecordedTasks.inOrder(head)).isEmpty();
  }

  @Test
  void oneThread_listsTasksInTheOrderRecorded() {
    List<Task<?>> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Stub t = new Stub("t" + i);
      tasks.add(t);
      RecordedTasks.push(HEAD, this, t);
    }
    assertThat(RecordedTasks.size(head)).isEqualTo(5);
    assertThat(RecordedTasks.inOrder(head)).containsExactlyElementsOf(tasks);
    List<Task<?>> copy = RecordedTasks.inOrder(head);
    copy.clear(); // the caller's own list (the policies sort it)
    assertThat(RecordedTasks.inOrder(head)).hasSize(5);
  }

  /** Threads recording at once: every task once, and each thread's tasks in its order. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void manyThreadsAtOnce_noTaskLostOrDuplicated_eachThreadsOrderKept() throws Exception {
    int threads = 4;
    int each = 20_000;
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> pushers = new ArrayList<>();
    for (int p = 0; p < threads; p++) {
      int id = p;
      pushers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                    for (int i = 0; i < each; i++) {
                      RecordedTasks.push(HEAD, this, new Stub(id + ":" + i));
                    }
                  }));
    }
    for (Thread t : pushers) {
      t.join(TimeUnit.SECONDS.toMillis(20));
      assertThat(t.isAlive()).as("pusher %s ended", t).isFalse();
    }
    List<Task<?>> all = RecordedTasks.inOrder(head);
    assertThat(RecordedTasks.size(head)).isEqualTo(threads * each);
    assertThat(all).hasSize(threads * each);
    int[] next = new int[threads];
    for (Task<?> t : all) {
      String[] parts = t.name().split(":");
      int id = Integer.parseInt(parts[0]);
      assertThat(Integer.parseInt(parts[1])).as("next task of pusher %d", id).isEqualTo(next[id]);
      next[id]++;
    }
    assertThat(next).containsOnly(each);
  }

  /** A task that only has a name. */
  private record Stub(String name) implements Task<Object> {
    @Override
    public State state() {
      return State.FAILED;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Throwable exception() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Throwable> recoveredFrom() {
      return Optional.empty();
    }
  }
}
