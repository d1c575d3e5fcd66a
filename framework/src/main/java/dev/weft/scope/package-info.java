/** Scopes, tasks, policies and the exceptions they throw. */
package dev.weft.scope;
