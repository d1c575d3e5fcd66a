package dev.weft.lockorder;

/**
 * A lock class in one access mode: the unit the order graph and the held-chain cache work on.
 *
 * <p>Immutable; two instances exist per {@link LockNode} (read and write). Exclusive locks use the
 * write instance.
 */
final class Acq {
  /** The lock class. */
  final LockNode node;

  /** {@code true} for exclusive or write access, {@code false} for shared (read) access. */
  final boolean write;

  Acq(LockNode node, boolean write) {
    this.node = node;
    this.write = write;
  }

  /** Whether a holder in mode {@code held} blocks an acquirer in mode {@code wanted}. */
  static boolean conflicts(boolean wanted, boolean held) {
    return wanted || held;
  }

  @Override
  public String toString() {
    return node.name + (write ? "" : "(read)");
  }
}
