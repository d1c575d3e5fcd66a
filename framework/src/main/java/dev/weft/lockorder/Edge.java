package dev.weft.lockorder;

/**
 * A learned or declared order {@code from -> to}: some thread acquired {@code to} while holding
 * {@code from}. Guarded by the owning graph's lock.
 */
final class Edge {
  final LockNode from;
  final LockNode to;
  // Where each (held mode, wanted mode) combination was first seen, indexed by combo(); null if
  // never seen. Written and read only while holding graph.lock.
  final EdgeTrace[] seen = new EdgeTrace[4];
  final boolean declared;

  Edge(LockNode from, LockNode to, boolean declared) {
    this.from = from;
    this.to = to;
    this.declared = declared;
  }

  static int combo(boolean heldWrite, boolean wantedWrite) {
    return (heldWrite ? 2 : 0) | (wantedWrite ? 1 : 0);
  }

  static boolean heldWrite(int combo) {
    return (combo & 2) != 0;
  }

  static boolean wantedWrite(int combo) {
    return (combo & 1) != 0;
  }
}
