package dev.weft.micrometer;

import dev.weft.internal.Observers;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * Weft's observations: every scope is a Micrometer {@code Observation} ({@value
 * DefaultScopeObservationConvention#NAME}) and each of its tasks one too ({@value
 * DefaultTaskObservationConvention#NAME}), its child. With a tracing bridge (Micrometer Tracing,
 * OpenTelemetry) they become spans of the request that opened the scope, without user code.
 *
 * {@snippet class=dev.weft.samples.ApiSnippets region=observations lang=java}
 *
 * <h2>The observation tree</h2>
 *
 * <ul>
 *   <li>A scope's observation starts when the scope opens, in the owner thread, as a child of the
 *       observation current there (for instance the HTTP server request's), and is the current
 *       observation of the owner until the scope closes; there it is stopped with its outcome
 *       ({@link ScopeObservationContext#outcome()}). Scopes are closed in LIFO order by
 *       try-with-resources, as observation scopes must be.
 *   <li>A task's observation is a child of its scope's, set explicitly (whatever the task thread's
 *       current observation is). It starts in the task's thread just before the body and is the
 *       current observation there while the body runs, so an HTTP client called in the body, or a
 *       scope opened in it, is its child. It stops with the task's outcome ({@link
 *       TaskObservationContext#outcome()}) once the task has ended and its body has returned: a
 *       body cancelled or timed out while it runs stops its observation when it returns.
 *   <li>A task whose body never ran (skipped, cancelled before it started) has an observation all
 *       the same, started and stopped when it ended, with {@link TaskObservationContext#started()}
 *       false: the tree shows every task.
 * </ul>
 *
 * <p>Failures: a task that failed or timed out has its exception as the observation's error; a
 * scope whose {@code join()} threw a failure or {@code DeadlineExceededException} has that. A
 * cancelled task or scope, a recovered task and a skipped task have none (their outcome says so).
 *
 * <p>Names and keys come from {@link DefaultScopeObservationConvention} and {@link
 * DefaultTaskObservationConvention}; a {@code GlobalObservationConvention} registered with the
 * registry, or the conventions given to {@link #install(ObservationRegistry,
 * ScopeObservationConvention, TaskObservationConvention)}, replace them. With a {@code
 * DefaultMeterObservationHandler} (as Spring Boot configures), the observations also give timers
 * named {@code weft.scope} and {@code weft.task} and long task timers {@code weft.scope.active} and
 * {@code weft.task.active}; {@link WeftMetrics} has other names, so both can be on.
 *
 * <p>Thread-safe. Installing or closing applies to the scopes opened afterwards. With a registry
 * that has no handler ({@code isNoop()}) when a scope opens, that scope is not observed.
 */
public final class WeftObservations implements AutoCloseable {
  private final Observers.Registration registration;

  private WeftObservations(Observers.Registration registration) {
    this.registration = registration;
  }

  /**
   * Observes every scope opened from now on in {@code registry}, with the default conventions (or
   * the registry's global ones), until {@link #close()}.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static WeftObservations install(ObservationRegistry registry) {
    Objects.requireNonNull(
        registry, "observation registry must not be null: pass the application's registry");
    return new WeftObservations(Observers.add(new ObservationObserver(registry, null, null, true)));
  }

  /**
   * Observes every scope opened from now on in {@code registry}, but not its tasks: one observation
   * per scope, none per task, until {@link #close()}. For scopes of many short tasks, where an
   * observation per task costs more than the task (0.3 to 1.3 µs and 1.2 to 1.9 KB each in
   * docs/performance.md). With {@code io.micrometer:context-propagation} on the class path the
   * scope's observation is still the current one in its task threads (it is carried with the
   * forking thread's context), so what a body observes is its child; without it, a body has no
   * current observation.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static WeftObservations installScopesOnly(ObservationRegistry registry) {
    Objects.requireNonNull(
        registry, "observation registry must not be null: pass the application's registry");
    return new WeftObservations(
        Observers.add(new ObservationObserver(registry, null, null, false)));
  }

  /**
   * Observes every scope opened from now on in {@code registry}, named and tagged by the given
   * conventions (which win over the registry's global ones), until {@link #close()}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static WeftObservations install(
      ObservationRegistry registry,
      ScopeObservationConvention scopeConvention,
      TaskObservationConvention taskConvention) {
    Objects.requireNonNull(
        registry, "observation registry must not be null: pass the application's registry");
    Objects.requireNonNull(
        scopeConvention,
        "scope convention must not be null: pass new DefaultScopeObservationConvention()"
            + " to keep the default");
    Objects.requireNonNull(
        taskConvention,
        "task convention must not be null: pass new DefaultTaskObservationConvention()"
            + " to keep the default");
    return new WeftObservations(
        Observers.add(new ObservationObserver(registry, scopeConvention, taskConvention, true)));
  }

  /**
   * Stops observing the scopes opened from now on; scopes open now are observed until they close.
   * Idempotent.
   */
  @Override
  public void close() {
    registration.close();
  }
}
