package dev.weft.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What single mechanisms cost when added to a raw virtual-thread fan-out: the benchmark behind the
 * design choices of the scope core (see "Why the scope core looks the way it does" in {@code
 * docs/performance.md}). Every variant is {@code rawThreads} of {@link FanOutBenchmark} (start
 * {@code n} virtual threads, each storing a pre-boxed value, then wait for all) with one thing
 * added:
 *
 * <ul>
 *   <li>{@code raw}: nothing added (the baseline);
 *   <li>{@code nameOnOwner}: each thread is named {@code scope/task} by the starting thread,
 *       through the builder;
 *   <li>{@code setNameInThread}: each thread names itself with {@code setName} as it starts;
 *   <li>{@code threadLocal}: each thread sets and removes a {@code ThreadLocal} (its first {@code
 *       set} creates the thread's {@code ThreadLocalMap});
 *   <li>{@code taskCounter}: instead of joining each thread, every thread increments one shared
 *       counter and the last one wakes the waiting thread (one cache line written by all tasks);
 *   <li>{@code bothCounters}: the starter increments a shared counter per thread and every thread
 *       decrements it (the line moves between the starter and the tasks);
 *   <li>{@code doneFlags}: instead of joining each thread, the starter waits for a per-thread flag
 *       that the thread sets as its last action, woken only by the thread it waits for (how Weft's
 *       {@code close()} waited before issue 9: the thread may still be alive);
 *   <li>{@code doneFlagsThenJoin}: the same, then {@code Thread.join()} per thread (how {@code
 *       close()} waits now: for the flag, then for the thread's termination).
 * </ul>
 *
 * <pre>
 * $ java -jar benchmarks/target/benchmarks.jar Mechanism -f 2 -wi 3 -w 1 -i 4 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class MechanismBenchmark {
  @Param({"1000"})
  public int n;

  Integer[] values;
  String[] names;
  static final ThreadLocal<Object> TL = new ThreadLocal<>();

  @Setup
  public void setUp() {
    values = new Integer[n];
    names = new String[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
      names[i] = "task-" + i;
    }
  }

  long joinAll(Thread[] threads, Integer[] results) throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
    return sum(results);
  }

  @Benchmark
  public long raw() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    for (int i = 0; i < n; i++) {
      Integer v = values[i];
      int slot = i;
      threads[i] = Thread.ofVirtual().start(() -> results[slot] = v);
    }
    return joinAll(threads, results);
  }

  @Benchmark
  public long nameOnOwner() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    String scope = "fan-out";
    for (int i = 0; i < n; i++) {
      Integer v = values[i];
      int slot = i;
      threads[i] = Thread.ofVirtual().name(scope + "/" + names[i]).start(() -> results[slot] = v);
    }
    return joinAll(threads, results);
  }

  @Benchmark
  public long setNameInThread() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    String scope = "fan-out";
    for (int i = 0; i < n; i++) {
      Integer v = values[i];
      int slot = i;
      String name = names[i];
      threads[i] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    Thread.currentThread().setName(scope + "/" + name);
                    results[slot] = v;
                  });
    }
    return joinAll(threads, results);
  }

  @Benchmark
  public long threadLocal() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    for (int i = 0; i < n; i++) {
      Integer v = values[i];
      int slot = i;
      threads[i] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    TL.set(v);
                    try {
                      results[slot] = v;
                    } finally {
                      TL.remove();
                    }
                  });
    }
    return joinAll(threads, results);
  }

  @Benchmark
  public long taskCounter() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    AtomicInteger done = new AtomicInteger();
    Thread owner = Thread.currentThread();
    int total = n;
    for (int i = 0; i < n; i++) {
      Integer v = values[i];
      int slot = i;
      threads[i] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    results[slot] = v;
                    if (done.incrementAndGet() == total) {
                      LockSupport.unpark(owner);
                    }
                  });
    }
    while (done.get() != total) {
      LockSupport.park(this);
    }
    return sum(results);
  }

  @Benchmark
  public long bothCounters() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    AtomicInteger live = new AtomicInteger();
    Thread owner = Thread.currentThread();
    for (int i = 0; i < n; i++) {
      Integer v = values[i];
      int slot = i;
      live.incrementAndGet();
      threads[i] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    results[slot] = v;
                    if (live.decrementAndGet() == 0) {
                      LockSupport.unpark(owner);
                    }
                  });
    }
    while (live.get() != 0) {
      LockSupport.park(this);
    }
    return sum(results);
  }

  @Benchmark
  public long doneFlags() throws InterruptedException {
    return doneFlags(false);
  }

  @Benchmark
  public long doneFlagsThenJoin() throws InterruptedException {
    return doneFlags(true);
  }

  // awaitedSlot: the slot the starter waits for, or -1; written by the starter, read by threads.
  volatile int awaitedSlot = -1;

  private long doneFlags(boolean thenJoin) throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    AtomicIntegerArray done = new AtomicIntegerArray(n);
    Thread owner = Thread.currentThread();
    for (int i = 0; i < n; i++) {
      Integer v = values[i];
      int slot = i;
      threads[i] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    results[slot] = v;
                    done.set(slot, 1);
                    if (awaitedSlot == slot) {
                      LockSupport.unpark(owner);
                    }
                  });
    }
    for (int i = 0; i < n; i++) {
      if (done.get(i) == 0) {
        awaitedSlot = i; // then re-check: a thread reads awaitedSlot after it set its flag
        while (done.get(i) == 0) {
          LockSupport.park(this);
        }
      }
      if (thenJoin) {
        threads[i].join();
      }
    }
    awaitedSlot = -1;
    return sum(results);
  }

  private static long sum(Integer[] results) {
    long sum = 0;
    for (Integer r : results) {
      sum += r;
    }
    return sum;
  }
}
