/** Scopes, tasks, policies and the exceptions they throw. */
@NullMarked
package dev.weft.scope;

import org.jspecify.annotations.NullMarked;
