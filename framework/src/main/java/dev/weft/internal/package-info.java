/** Not API: the one hook between the two API packages ({@link dev.weft.internal.ScopeWaits}). */
@NullMarked
package dev.weft.internal;

import org.jspecify.annotations.NullMarked;
