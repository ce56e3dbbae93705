package io.iotpay.switching.online;

/** Who produced the answer a message-log row records. */
public enum AnsweredBy {
  /** The issuer answered in time; the switch relayed it. */
  ISSUER,
  /** The issuer could not answer (link down, late, refused); the switch answered within its limits. */
  STAND_IN,
  /** The switch answered without asking anyone (unknown card range). */
  SWITCH,
  /** A repeat of a request the switch already had: the first answer was given again, nothing forwarded. */
  DUPLICATE,
  /** The issuer's answer that came after stand-in had answered: logged and reconciled, not relayed. */
  ISSUER_LATE,
  /** An advice from the store-and-forward queue, acknowledged by the issuer. */
  ADVICE
}
