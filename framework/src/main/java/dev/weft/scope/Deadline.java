package dev.weft.scope;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * A scope's deadline: its own ({@code withTimeout}, {@code withDeadline}) or inherited from the
 * enclosing scope, whichever is earlier; how much time is left; and which scope reports it.
 *
 * <p>Only the <em>source</em> of a deadline (the scope that set it) runs a timer. When it fires,
 * the source is cancelled, and the cancel reaches the nested scopes that inherited the deadline, so
 * the outermost scope that owns a deadline reports it ({@code DeadlineExceededException}) and
 * nested ones report it as theirs too. Immutable but for the timer, which only the source's owner
 * starts and cancels.
 */
final class Deadline {
  /** No deadline. */
  static final Deadline NONE = new Deadline(null, 0, null);

  // nanos: System.nanoTime() at the deadline; valid only when source != null.
  private final long nanos;
  // source: the scope whose own deadline this is (the scope itself, or an ancestor); null if none.
  private final @Nullable ScopeImpl<?> source;
  // budget: the time from the opening of the scope to the deadline (for messages); null if none.
  private final @Nullable Duration budget;
  // timer: started by the source's constructor, cancelled by its close(); owner only.
  private @Nullable ScheduledFuture<?> timer;

  private Deadline(@Nullable ScopeImpl<?> source, long nanos, @Nullable Duration budget) {
    this.source = source;
    this.nanos = nanos;
    this.budget = budget;
  }

  /**
   * The deadline of {@code scope}, opened now with {@code config} inside {@code parent} (or null):
   * the earlier of its own and the parent's. Durations of any size saturate.
   */
  static Deadline of(ScopeImpl<?> scope, ScopeConfig config, @Nullable ScopeImpl<?> parent) {
    long now = System.nanoTime();
    Long own = null;
    if (config.timeout().isPresent()) {
      own = now + Timer.saturatedNanos(config.timeout().get());
    } else if (config.deadline().isPresent()) {
      own = now + Timer.saturatedNanos(Duration.between(Instant.now(), config.deadline().get()));
    }
    ScopeImpl<?> source = own == null ? null : scope;
    Deadline inherited = parent == null ? NONE : parent.deadline;
    if (inherited.isSet() && (own == null || inherited.nanos - own <= 0)) {
      own = inherited.nanos;
      source = inherited.source;
    }
    if (own == null) {
      return NONE;
    }
    return new Deadline(source, own, Duration.ofNanos(Math.max(0, own - now)));
  }

  boolean isSet() {
    return source != null;
  }

  /** Whether {@code scope} set this deadline itself (it runs the timer and reports it). */
  boolean ownedBy(ScopeImpl<?> scope) {
    return source == scope;
  }

  /** Nanoseconds left (negative once passed); only for a deadline that is set. */
  long nanosLeft() {
    return nanos - System.nanoTime();
  }

  /** What is left, or empty if there is no deadline. */
  Optional<Duration> remaining() {
    return isSet() ? Optional.of(Duration.ofNanos(Math.max(0, nanosLeft()))) : Optional.empty();
  }

  /** The time from the scope's opening to the deadline, or null if there is none. */
  @Nullable Duration budget() {
    return budget;
  }

  /** Starts the timer of an own deadline (or expires it at once if already passed). Owner only. */
  void start() {
    long delay = nanosLeft();
    if (delay <= 0) {
      expire();
    } else {
      timer = Timer.scheduleNanos(this::expire, delay);
    }
  }

  /**
   * The owner of a scope saw the deadline pass before the timer fired: cancel the source scope, as
   * its timer would (a backstop for a late timer).
   */
  void expireAtSource() {
    source().deadline.expire();
  }

  // The source's timer fired: cancel the source scope (this is the source's own deadline).
  private void expire() {
    ScopeImpl<?> source = source();
    ScopeCancel.deadlineExpired(
        source,
        "deadline of scope '"
            + source.name
            + "' passed"
            + (Objects.requireNonNull(budget, "budget of a set deadline").isZero()
                ? " (it had already passed when the scope opened)"
                : " (" + budget.toMillis() + " ms after it opened)"));
  }

  // The scope that set this deadline; only for a deadline that is set.
  private ScopeImpl<?> source() {
    return Objects.requireNonNull(source, "source of a set deadline");
  }

  /** Cancels the timer, if this scope started one. Owner only. */
  void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
