/** The lock-ordering checker: checked locks that report a potential deadlock before blocking. */
package dev.weft.lockorder;
