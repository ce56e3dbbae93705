package io.iotpay.platform.rules;

/** When a rule fires. */
public sealed interface Trigger {
  /**
   * A level falling below a threshold starts an episode (one payment); the episode ends only when the
   * level rises above the threshold again. Events are taken in counter order; older ones are ignored.
   */
  record LevelBelow(String field, long threshold) implements Trigger {}

  /** Every event whose field equals the value (e.g. {@code event = fuel-dispensed}). */
  record FieldEquals(String field, String value) implements Trigger {}
}
