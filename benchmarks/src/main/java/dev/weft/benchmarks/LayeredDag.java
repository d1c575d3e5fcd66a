package dev.weft.benchmarks;

/**
 * The graph that the layered-DAG benchmarks run: {@code layers} layers of {@code width} tasks; a
 * task of layer 0 returns its index, a task of a later layer depends on two or three tasks of the
 * layer before it and returns the sum of their results plus one. The owner sums the results of the
 * last layer.
 *
 * <p>Task {@code j} of layer {@code k > 0} depends on tasks {@code j} and {@code j + 1} of layer
 * {@code k - 1} and, when {@code j} is odd, also on task {@code j + width / 2} (indices modulo
 * {@code width}): half of the tasks have two dependencies and half three, every task of a layer is
 * a dependency of the next layer, and the dependencies of one task are distinct for {@code width}
 * of 4 or more. Every variant builds the same graph from this class and computes the same sum
 * ({@link #expectedSum()}), so they differ only in the machinery that runs it.
 */
public final class LayeredDag {
  /** How many layers (layer 0 has no dependencies). */
  public final int layers;

  /** How many tasks one layer has. */
  public final int width;

  /**
   * {@code deps[k][j]}: the indices, in layer {@code k - 1}, of the dependencies of task (k, j).
   */
  private final int[][][] deps;

  /** {@code names[k][j]}: the task name {@code Lk-j}, built once. */
  private final String[][] names;

  /** {@code roots[j]}: the pre-boxed result of task j of layer 0. */
  private final Long[] roots;

  /**
   * Builds the graph.
   *
   * @throws IllegalArgumentException if {@code layers} is below 1 or {@code width} below 4
   */
  public LayeredDag(int layers, int width) {
    if (layers < 1 || width < 4) {
      throw new IllegalArgumentException(
          "layered DAG needs layers >= 1 and width >= 4 (so that a task's dependencies are"
              + " distinct), got layers="
              + layers
              + ", width="
              + width
              + ": pass, for example, -p layers=5 -p width=20");
    }
    this.layers = layers;
    this.width = width;
    deps = new int[layers][width][];
    names = new String[layers][width];
    roots = new Long[width];
    for (int j = 0; j < width; j++) {
      roots[j] = (long) j;
      deps[0][j] = new int[0];
    }
    for (int k = 0; k < layers; k++) {
      for (int j = 0; j < width; j++) {
        names[k][j] = "L" + k + "-" + j;
        if (k > 0) {
          deps[k][j] =
              j % 2 == 0
                  ? new int[] {j, (j + 1) % width}
                  : new int[] {j, (j + 1) % width, (j + width / 2) % width};
        }
      }
    }
  }

  /** The indices, in layer {@code k - 1}, of the dependencies of task {@code j} of layer k. */
  public int[] deps(int k, int j) {
    return deps[k][j];
  }

  /** The name of task {@code j} of layer {@code k}. */
  public String name(int k, int j) {
    return names[k][j];
  }

  /** The pre-boxed result of task {@code j} of layer 0. */
  public Long root(int j) {
    return roots[j];
  }

  /** What every variant returns: the sum of the last layer's results, computed sequentially. */
  public long expectedSum() {
    long[] prev = new long[width];
    for (int j = 0; j < width; j++) {
      prev[j] = j;
    }
    for (int k = 1; k < layers; k++) {
      long[] cur = new long[width];
      for (int j = 0; j < width; j++) {
        long v = 1;
        for (int d : deps[k][j]) {
          v += prev[d];
        }
        cur[j] = v;
      }
      prev = cur;
    }
    long sum = 0;
    for (long v : prev) {
      sum += v;
    }
    return sum;
  }
}
