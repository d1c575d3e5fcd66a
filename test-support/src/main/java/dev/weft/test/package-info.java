/** JUnit 5 support for checking code that uses Weft. */
@NullMarked
package dev.weft.test;

import org.jspecify.annotations.NullMarked;
