/**
 * Not API: the hooks between Weft's packages. {@link dev.weft.internal.ScopeWaits} connects the
 * lock-ordering checker and the scopes; {@link dev.weft.internal.ScopeObserver} and {@link
 * dev.weft.internal.Observers} connect the observers (meters, observations, JFR, traces) to the
 * scopes' lifecycle.
 */
@NullMarked
package dev.weft.internal;

import org.jspecify.annotations.NullMarked;
