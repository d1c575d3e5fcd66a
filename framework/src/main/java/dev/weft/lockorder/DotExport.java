package dev.weft.lockorder;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The order graph in Graphviz DOT, for {@link LockOrderChecker#toDot()}: one node per lock class
 * and one edge per order, sorted by name so the text is stable. Declared edges are dashed; an edge
 * seen with a read lock on either side is labelled with the modes it was seen in ({@code R->W}); an
 * edge seen only write-to-write has no label.
 */
final class DotExport {
  private DotExport() {}

  /** The DOT text of {@code graph} now. Any thread; takes the graph lock while it reads. */
  static String of(Graph graph) {
    TreeMap<String, String> lines = graph.read(DotExport::lines);
    StringBuilder dot = new StringBuilder("digraph \"lock order\" {\n");
    lines.values().forEach(dot::append);
    return dot.append("}\n").toString();
  }

  // --- implementation ---

  // One line per node and per edge, keyed for sorting. Runs while holding the graph lock.
  private static TreeMap<String, String> lines(Iterable<LockNode> nodes) {
    TreeMap<String, String> lines = new TreeMap<>();
    for (LockNode n : nodes) {
      lines.put(n.name, "  " + quote(n.name) + ";\n");
      for (Edge e : n.out.values()) {
        StringBuilder attrs = new StringBuilder();
        if (e.declared) {
          attrs.append("style=dashed");
        } else {
          List<String> modes = new ArrayList<>();
          for (int c = 0; c < 4; c++) {
            if (e.seen[c] != null && c != 3) {
              modes.add((Edge.heldWrite(c) ? "W" : "R") + "->" + (Edge.wantedWrite(c) ? "W" : "R"));
            }
          }
          if (!modes.isEmpty()) {
            if (e.seen[3] != null) {
              modes.add(0, "W->W");
            }
            attrs.append("label=").append(quote(String.join(" ", modes)));
          }
        }
        lines.put(
            n.name + "\u0000" + e.to.name,
            "  "
                + quote(n.name)
                + " -> "
                + quote(e.to.name)
                + (attrs.isEmpty() ? "" : " [" + attrs + "]")
                + ";\n");
      }
    }
    return lines;
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
