package dev.weft.scope;

/** Why a scope stopped: the first cause wins and is named in every message about the stop. */
enum StopReason {
  /** The policy said so ({@code onComplete} or {@code onJoin} returned true), or it threw. */
  POLICY,
  /** {@code cancel()}, or the cancellation of an enclosing scope. */
  CANCEL,
  /** The deadline passed (the scope's own, or an enclosing scope's). */
  DEADLINE,
  /** The owner was interrupted while it waited in {@code join()}. */
  INTERRUPT,
  /** {@code close()}: not a cancellation ({@code isCancelled()} stays false). */
  CLOSE;

  /** The reason a nested scope stops for, when its parent stops for this one. */
  StopReason inChild() {
    return this == DEADLINE ? DEADLINE : CANCEL;
  }
}
