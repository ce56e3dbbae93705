package io.iotpay.protocol.transit;

/** Which step of a dispute an exception line is (docs/clearing-files.md §11). */
public enum ExceptionStage {
  /** The issuer refuses a cleared record: the switch nets its fare back from the operator. */
  CHARGEBACK,
  /** The operator answers a chargeback once, with evidence: the switch nets the fare to it again. */
  REPRESENTMENT
}
