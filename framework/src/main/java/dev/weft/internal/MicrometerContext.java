package dev.weft.internal;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every {@code ThreadLocalAccessor} registered in Micrometer's global {@link ContextRegistry}
 * (tracing, security, the current Observation): a {@link ContextSnapshot} taken at fork, set in the
 * task's thread with {@link ContextSnapshot#setThreadLocals()}, whose scope restores what the
 * thread had. The only class of Weft that names a type of io.micrometer:context-propagation: {@link
 * ContextSources} creates it only after it found the library, so without the library it is never
 * loaded.
 */
final class MicrometerContext implements ContextSource {
  static final String NAME = "context-propagation";

  private final ContextRegistry registry = ContextRegistry.getInstance();
  // clearMissing false: an accessor with no value at fork is left as the task's thread has it, as
  // with every other source (and a fork with no value at all installs nothing).
  private final ContextSnapshotFactory factory =
      ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(false).build();

  @Override
  public String name() {
    return NAME;
  }

  /**
   * A snapshot, or null when no accessor has a value: the common empty case reads each accessor
   * once and allocates nothing (no iterator, no snapshot). The registry's list is copy-on-write:
   * indexed reads see an accessor removed meanwhile as an index out of bounds.
   */
  @Override
  public @Nullable Object capture() {
    List<ThreadLocalAccessor<?>> accessors = registry.getThreadLocalAccessors();
    try {
      for (int i = 0, n = accessors.size(); i < n; i++) {
        if (accessors.get(i).getValue() != null) {
          return factory.captureAll();
        }
      }
    } catch (IndexOutOfBoundsException removedMeanwhile) {
      return factory.captureAll(); // an accessor was removed during the loop: the library's own
    }
    return null;
  }

  @Override
  public Object install(Object value) {
    return ((ContextSnapshot) value).setThreadLocals();
  }

  @Override
  public void restore(@Nullable Object previous) {
    if (previous != null) {
      ((ContextSnapshot.Scope) previous).close();
    }
  }

  @Override
  public String toString() {
    return NAME;
  }
}
