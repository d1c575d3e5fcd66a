/**
 * Not API: Weft's JFR events ({@code dev.weft.Scope}, {@code dev.weft.Task}, {@code
 * dev.weft.LockOrderViolation}, {@code dev.weft.Deadlock}) and the listener that installs the scope
 * observer only while a recording enables them. See docs/observability.md, "JFR".
 */
@NullMarked
package dev.weft.jfr;

import org.jspecify.annotations.NullMarked;
