/**
 * Weft's scopes and tasks in Micrometer: meters ({@link dev.weft.micrometer.WeftMetrics}, a {@code
 * MeterBinder}) and observations ({@link dev.weft.micrometer.WeftObservations}: a scope and each of
 * its tasks are observations, parent and child, so a tracing bridge turns them into spans).
 *
 * <p>This is the only package of Weft that uses Micrometer, and Micrometer is an optional
 * dependency: an application that never calls these classes needs neither {@code micrometer-core}
 * nor {@code micrometer-observation}, and pays nothing for them. Meters need {@code
 * micrometer-core}; observations need {@code micrometer-observation} (which {@code micrometer-core}
 * brings along).
 *
 * <p><b>Cardinality.</b> Scope names, task names and policy names become tag values, so they must
 * be fixed strings (like {@code "checkout"} and {@code "pay"}), never built from user data or ids.
 * Names that {@code fork(body)} generates ({@code task-1}, {@code task-2}, ...) are all reported as
 * {@code task-N}; a policy of your own is reported as {@code custom}.
 */
@NullMarked
package dev.weft.micrometer;

import org.jspecify.annotations.NullMarked;
