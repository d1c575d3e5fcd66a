package dev.weft.lockorder;

/** Placeholder so the package exists; removed when the package gets its first real type. */
final class Placeholder {
  private Placeholder() {}
}
