/** JUnit 5 support for checking code that uses Weft. */
package dev.weft.test;
