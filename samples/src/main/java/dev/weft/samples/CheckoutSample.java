package dev.weft.samples;

/** Placeholder: replaced by the checkout fan-out sample. */
public final class CheckoutSample {
  public static void main(String[] args) {
    System.out.println("weft sample");
  }
}
