package dev.weft.trace;

import dev.weft.scope.ScopeTrace;
import dev.weft.scope.ScopeTrace.TracedScope;
import dev.weft.scope.ScopeTrace.TracedTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace's tasks and dependencies as a graph, with the {@link CriticalPath} marked (red, bold):
 * Mermaid for Markdown pages and issues, DOT for Graphviz. Each scope is a box (subgraph, cluster)
 * holding its tasks; an arrow goes from each dependency to its dependent, and a dashed one from a
 * task to each scope its body opened. A task's label holds its name, outcome and body time.
 *
 * {@snippet class=dev.weft.samples.TraceSample region=graph lang=java}
 */
public final class TraceGraph {
  private final ScopeTrace trace;
  private final Set<TracedTask> critical;
  private final Set<String> criticalEdges = new HashSet<>();
  private final Map<Object, String> ids = new IdentityHashMap<>(); // paths may repeat
  private final List<Arrow> arrows = new ArrayList<>();

  /**
   * An arrow of the graph, between node ids: from a dependency to its dependent, or ({@code
   * nested}) from a task to a scope its body opened.
   */
  private record Arrow(String from, String to, boolean nested, boolean critical) {}

  private TraceGraph(ScopeTrace trace) {
    this.trace = trace;
    int scope = 0;
    int task = 0;
    for (TracedScope s : trace.scopes()) {
      ids.put(s, "s" + scope++);
      for (TracedTask t : s.tasks()) {
        ids.put(t, "t" + task++);
      }
    }
    CriticalPath path = CriticalPath.of(trace);
    this.critical = path.taskSet();
    edges(path);
    for (TracedScope s : trace.scopes()) {
      for (TracedTask t : s.tasks()) {
        for (String d : t.dependencies()) {
          TracedTask dep = s.task(d);
          if (dep != null) {
            arrows.add(arrow(dep, t, false));
          }
        }
        for (TracedScope inner : t.scopes()) {
          arrows.add(arrow(t, inner, true));
        }
      }
    }
  }

  /** {@code trace} as a Mermaid flowchart ({@code flowchart LR}). */
  public static String toMermaid(ScopeTrace trace) {
    return new TraceGraph(TraceTimes.require(trace)).mermaid();
  }

  /** {@code trace} as a Graphviz DOT digraph. */
  public static String toDot(ScopeTrace trace) {
    return new TraceGraph(TraceTimes.require(trace)).dot();
  }

  // --- implementation ---

  /** The dependency and slot edges between consecutive steps, as "from->to" task paths. */
  private void edges(CriticalPath path) {
    List<CriticalPath.Step> steps = path.steps();
    for (int i = 0; i < steps.size(); i++) {
      CriticalPath.Step s = steps.get(i);
      if (i > 0 && s.waitedFor() != CriticalPath.Wait.FORK) {
        criticalEdges.add(edge(steps.get(i - 1).task(), s.task()));
      }
      if (s.inner() != null) {
        criticalEdges.add(edge(s.task(), s.inner().scope()));
        edges(s.inner());
      }
    }
  }

  private String id(Object scopeOrTask) {
    String id = ids.get(scopeOrTask);
    if (id == null) {
      throw new IllegalStateException("not a scope or task of this trace: " + scopeOrTask);
    }
    return id;
  }

  private String edge(Object from, Object to) {
    return id(from) + "->" + id(to);
  }

  private Arrow arrow(Object from, Object to, boolean nested) {
    return new Arrow(id(from), id(to), nested, criticalEdges.contains(edge(from, to)));
  }

  private String mermaid() {
    StringBuilder b = new StringBuilder("flowchart LR\n");
    for (TracedScope s : trace.scopes()) {
      b.append("  subgraph ").append(id(s)).append("[\"");
      b.append(mermaidText(s.path() + " (" + s.policy() + ")")).append("\"]\n");
      for (TracedTask t : s.tasks()) {
        b.append("    ").append(id(t)).append("[\"").append(mermaidText(t.name()));
        b.append("<br/>").append(mermaidText(detail(t))).append("\"]\n");
      }
      b.append("  end\n");
    }
    StringBuilder criticalLinks = new StringBuilder();
    for (int link = 0; link < arrows.size(); link++) {
      Arrow a = arrows.get(link);
      b.append("  ").append(a.from()).append(a.nested() ? " -.-> " : " --> ").append(a.to());
      b.append('\n');
      if (a.critical()) {
        criticalLinks.append(criticalLinks.isEmpty() ? "" : ",").append(link);
      }
    }
    b.append("  classDef critical stroke:#c62828,stroke-width:3px,color:#b71c1c\n");
    StringBuilder nodes = new StringBuilder();
    for (TracedTask t : trace.tasks()) {
      if (critical.contains(t)) {
        nodes.append(nodes.isEmpty() ? "" : ",").append(id(t));
      }
    }
    if (!nodes.isEmpty()) {
      b.append("  class ").append(nodes).append(" critical\n");
    }
    if (!criticalLinks.isEmpty()) {
      b.append("  linkStyle ").append(criticalLinks).append(" stroke:#c62828,stroke-width:3px\n");
    }
    return b.toString();
  }

  private String dot() {
    StringBuilder b = new StringBuilder("digraph weft {\n  rankdir=LR;\n  compound=true;\n");
    b.append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    for (TracedScope s : trace.scopes()) {
      String id = id(s);
      b.append("  subgraph cluster_").append(id).append(" {\n    label=");
      dotText(b, s.path() + " (" + s.policy() + ")").append(";\n");
      b.append("    ").append(id).append(" [shape=point, style=invis];\n");
      for (TracedTask t : s.tasks()) {
        b.append("    ").append(id(t)).append(" [label=");
        dotText(b, t.name() + "\n" + detail(t));
        b.append(critical.contains(t) ? ", color=\"#c62828\", penwidth=3" : "");
        b.append("];\n");
      }
      b.append("  }\n");
    }
    for (Arrow a : arrows) {
      b.append("  ").append(a.from()).append(" -> ").append(a.to());
      List<String> attributes = new ArrayList<>(2);
      if (a.nested()) {
        attributes.add("style=dashed, lhead=cluster_" + a.to());
      }
      if (a.critical()) {
        attributes.add("color=\"#c62828\", penwidth=3");
      }
      b.append(attributes.isEmpty() ? ";\n" : " [" + String.join(", ", attributes) + "];\n");
    }
    return b.append("}\n").toString();
  }

  private static String detail(TracedTask t) {
    String text = t.outcome().tag();
    if (t.started()) {
      text += " " + TraceTimes.ms(t.bodyNanos());
    }
    return t.failure() == null ? text : text + " (" + simpleName(t.failure()) + ")";
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /** Text inside a quoted Mermaid label: quotes and markup characters as entity codes. */
  private static String mermaidText(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("#quot;");
        case '<' -> b.append("#lt;");
        case '>' -> b.append("#gt;");
        case '#' -> b.append("#35;");
        case '\n', '\r' -> b.append(' ');
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A quoted DOT string; a newline becomes a line break of the label. */
  private static StringBuilder dotText(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> {}
        default -> b.append(c);
      }
    }
    return b.append('"');
  }
}
