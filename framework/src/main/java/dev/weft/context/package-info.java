/**
 * Context propagation: what the thread that forks a task has in its thread-bound context (the SLF4J
 * MDC; with io.micrometer:context-propagation on the class path, every {@code ThreadLocalAccessor}
 * of its registry; a user's own {@link dev.weft.context.ContextPropagator}s) is captured at {@code
 * fork} and put in place in the task's thread for the whole task, then taken away again. {@link
 * dev.weft.context.WeftContext} registers propagators.
 */
@NullMarked
package dev.weft.context;

import org.jspecify.annotations.NullMarked;
