package io.iotpay.protocol.file;

/** What the switch did with an uploaded offline file. */
public enum IntakeStatus {
  /** Integrity verified; every record either accepted or refused with a recorded reason. */
  ACCEPTED,
  /** The same file (sender, sequence and checksum) was accepted before: nothing changed. */
  ALREADY_ACCEPTED,
  /** Refused as a whole (bad checksum, count or total, wrong version, truncated, ...): nothing counted. */
  REJECTED
}
