/**
 * Weft: structured concurrency for Java 21 virtual threads.
 *
 * <p>{@link dev.weft.scope} holds scopes, tasks, policies and their exceptions; {@link
 * dev.weft.lockorder} holds the lock-ordering checker; {@link dev.weft.context} carries the forking
 * thread's context into tasks; {@link dev.weft.micrometer} reports scopes and tasks to Micrometer
 * (meters and observations), and is the only package that needs Micrometer; {@link dev.weft.trace}
 * exports execution traces (Chrome JSON, Mermaid, DOT, SVG, the critical path). Packages named
 * {@code internal} are not exported and are not API.
 */
module dev.weft {
  requires org.slf4j;
  // JFR events: used when the runtime has jdk.jfr (dev.weft.internal.JfrHook loads them guarded).
  requires static jdk.jfr;
  requires static transitive org.jspecify; // nullness annotations: needed to compile, not to run
  // Optional: io.micrometer:context-propagation (an automatic module); used only when present.
  requires static context.propagation;

  // Micrometer is optional: only dev.weft.micrometer uses it, and only when the application calls
  // it (WeftMetrics, WeftObservations); without Micrometer the rest of Weft runs as before.
  requires static micrometer.commons;
  requires static micrometer.core;
  requires static micrometer.observation;

  exports dev.weft.scope;
  exports dev.weft.lockorder;
  exports dev.weft.context;
  exports dev.weft.micrometer;
  exports dev.weft.trace;
}
