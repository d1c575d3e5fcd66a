/**
 * Exports of a finished scope's execution trace ({@link dev.weft.scope.ScopeTrace}, switched on
 * with {@link dev.weft.scope.ScopeConfig#withTrace}): its {@link dev.weft.trace.CriticalPath},
 * Chrome trace-event JSON for Perfetto ({@link dev.weft.trace.ChromeTrace}), a Mermaid or DOT graph
 * of its tasks and dependencies with the critical path marked ({@link dev.weft.trace.TraceGraph})
 * and an SVG timeline ({@link dev.weft.trace.TraceSvg}). Each is a pure function of the trace: call
 * it in the sink, or later on a trace kept for a debug endpoint.
 */
@NullMarked
package dev.weft.trace;

import org.jspecify.annotations.NullMarked;
