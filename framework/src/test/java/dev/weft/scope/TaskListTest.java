package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The task list's unique-name set and its fork/stop ordering, on their own. */
class TaskListTest {

  @Test
  void names_manyDistinct_allAddedOnceAndFound() {
    TaskList list = new TaskList();
    for (int i = 0; i < 10_000; i++) {
      assertThat(list.addName("task-" + i)).isTrue();
    }
    for (int i = 0; i < 10_000; i++) {
      assertThat(list.containsName("task-" + i)).isTrue();
      assertThat(list.addName("task-" + i)).as("duplicate task-%d", i).isFalse();
    }
    assertThat(list.containsName("task-10000")).isFalse();
    assertThat(list.containsName("")).isFalse();
  }

  @Test
  void names_equalButNotIdentical_areDuplicates() {
    TaskList list = new TaskList();
    assertThat(list.addName(new String("price"))).isTrue();
    assertThat(list.addName(new String("price"))).isFalse();
  }

  @Test
  void names_collidingHashes_keptApart() {
    TaskList list = new TaskList();
    // "Aa" and "BB" have the same hashCode, so they probe the same slot.
    assertThat(list.addName("Aa")).isTrue();
    assertThat(list.addName("BB")).isTrue();
    assertThat(list.containsName("Aa")).isTrue();
    assertThat(list.containsName("BB")).isTrue();
    assertThat(list.addName("BB")).isFalse();
  }

  /** A stop reports how many tasks it must cancel; appends after it report the stop. */
  @Test
  void append_thenStop_thenAppend() throws Exception {
    try (Scope<Void> scope = Scope.open("list")) {
      List<TaskNode<?>> nodes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Task<Integer> t = scope.fork("t" + i, () -> 1);
        nodes.add((TaskNode<?>) t);
      }
      scope.join();
      TaskList list = new TaskList();
      for (int i = 0; i < 40; i++) { // past the first growth of the array
        assertThat(list.append(nodes.get(i % 3))).isFalse();
      }
      assertThat(list.size(true)).isEqualTo(40);
      assertThat(list.size(false)).isEqualTo(40);
      assertThat(list.markCancelled()).isEqualTo(40);
      assertThat(list.append(nodes.get(0))).as("append after stop").isTrue();
      assertThat(list.markCancelled()).isEqualTo(41);
      assertThat(list.snapshot(false))
          .hasSize(41)
          .startsWith(nodes.get(0), nodes.get(1), nodes.get(2));
    }
  }
}
