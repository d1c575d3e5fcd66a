/**
 * Weft: structured concurrency for Java 21 virtual threads.
 *
 * <p>{@link dev.weft.scope} holds scopes, tasks, policies and their exceptions; {@link
 * dev.weft.lockorder} holds the lock-ordering checker. Packages named {@code internal} are not
 * exported and are not API.
 */
module dev.weft {
  requires org.slf4j;
  // JFR events: used when the runtime has jdk.jfr (dev.weft.internal.JfrHook loads them guarded).
  requires static jdk.jfr;
  requires static transitive org.jspecify; // nullness annotations: needed to compile, not to run

  exports dev.weft.scope;
  exports dev.weft.lockorder;
}
