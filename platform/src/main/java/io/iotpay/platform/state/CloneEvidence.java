package io.iotpay.platform.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One piece of clone evidence: a signed observation of the device that, with the others of its
 * suspicion, only a second holder of the key could have produced. Stored as one row of
 * {@code platform_clone_evidence} (at most {@code cloneEvidenceRowsMax} per device).
 *
 * @param kind never null
 * @param at business time the platform saw it; never null
 * @param place where it came from: for a {@link Kind#MESSAGE} the sender's place (an HTTP sender's
 *     address without its port, else the session), for a {@link Kind#POSITION} the reported position
 *     as {@code latitude,longitude} in degrees; 1..{@value #TEXT_CHARS_MAX} characters
 * @param session the session (connection) it came over; 1..{@value #TEXT_CHARS_MAX} characters
 * @param counter the message's chip counter; -1 for a position
 */
public record CloneEvidence(Kind kind, Instant at, String place, String session, long counter) {
  /** Longest place or session kept, characters (a session id is at most 128 characters). */
  public static final int TEXT_CHARS_MAX = 128;

  /** What the evidence is. */
  public enum Kind {
    /** A fresh, accepted message (its counter above every counter accepted before). */
    MESSAGE,
    /** A signed position report. */
    POSITION
  }

  /** @throws StateInputException when a text is empty or too long, or a counter is below -1 */
  public CloneEvidence {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    requireText("place", place);
    requireText("session", session);
    if (counter < -1) {
      throw new StateInputException("clone evidence: counter " + counter + " below -1");
    }
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isEmpty() || value.length() > TEXT_CHARS_MAX) {
      throw new StateInputException("clone evidence: " + name + " must have 1.." + TEXT_CHARS_MAX + " characters");
    }
  }
}
