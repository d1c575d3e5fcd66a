/** Implementation of Weft. Not API: not exported by the module, and may change in any release. */
package dev.weft.lockorder.internal;
