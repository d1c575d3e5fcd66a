package dev.weft.scope;

/**
 * Why and when a scope stopped, and the thread that stopped it: a stop never interrupts the thread
 * that made it (as the JDK's {@code cancel} skips the calling thread).
 *
 * @param reason the first cause
 * @param detail the text every cancelled task's {@code CancellationException} carries
 * @param nanos {@code System.nanoTime()} at the stop (for the stuck-task warning)
 * @param by the thread that stopped the scope
 */
record Stop(StopReason reason, String detail, long nanos, Thread by) {}
