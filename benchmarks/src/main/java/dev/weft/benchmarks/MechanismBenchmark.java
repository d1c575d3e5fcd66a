package dev.weft.benchmarks;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.*;

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
  final ThreadFactory factory = Thread.ofVirtual().factory();

  @Setup
  public void setUp() {
    values = new Integer[n];
    names = new String[n];
    for (int i = 0; i < n; i++) { values[i] = i; names[i] = "task-" + i; }
  }

  long joinAll(Thread[] threads, Integer[] results) throws InterruptedException {
    for (Thread t : threads) t.join();
    long sum = 0;
    for (Integer r : results) sum += r;
    return sum;
  }

  @Benchmark
  public long raw() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    for (int i = 0; i < n; i++) {
      Integer v = values[i]; int slot = i;
      threads[i] = Thread.ofVirtual().start(() -> results[slot] = v);
    }
    return joinAll(threads, results);
  }

  @Benchmark
  public long rawFactory() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    for (int i = 0; i < n; i++) {
      Integer v = values[i]; int slot = i;
      Thread t = factory.newThread(() -> results[slot] = v);
      t.start();
      threads[i] = t;
    }
    return joinAll(threads, results);
  }

  @Benchmark
  public long nameOnOwner() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    String scope = "fan-out";
    for (int i = 0; i < n; i++) {
      Integer v = values[i]; int slot = i;
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
      Integer v = values[i]; int slot = i; String name = names[i];
      threads[i] = Thread.ofVirtual().start(() -> {
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
      Integer v = values[i]; int slot = i;
      threads[i] = Thread.ofVirtual().start(() -> {
        TL.set(v);
        try { results[slot] = v; } finally { TL.remove(); }
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
      Integer v = values[i]; int slot = i;
      threads[i] = Thread.ofVirtual().start(() -> {
        results[slot] = v;
        if (done.incrementAndGet() == total) LockSupport.unpark(owner);
      });
    }
    while (done.get() != total) LockSupport.park(this);
    long sum = 0;
    for (Integer r : results) sum += r;
    return sum;
  }

  @Benchmark
  public long bothCounters() throws InterruptedException {
    Thread[] threads = new Thread[n];
    Integer[] results = new Integer[n];
    AtomicInteger live = new AtomicInteger();
    Thread owner = Thread.currentThread();
    for (int i = 0; i < n; i++) {
      Integer v = values[i]; int slot = i;
      live.incrementAndGet();
      threads[i] = Thread.ofVirtual().start(() -> {
        results[slot] = v;
        if (live.decrementAndGet() == 0) LockSupport.unpark(owner);
      });
    }
    while (live.get() != 0) LockSupport.park(this);
    long sum = 0;
    for (Integer r : results) sum += r;
    return sum;
  }
}
