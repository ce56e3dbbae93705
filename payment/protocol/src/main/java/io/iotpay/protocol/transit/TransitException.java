package io.iotpay.protocol.transit;

import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.time.LocalDate;

/**
 * One line of an exception file: a dispute step about one cleared transit record, which it names by
 * its operator, business date, record id and card transaction, with the fare in dispute.
 *
 * @param stage chargeback (issuer) or re-presentment (operator)
 * @param reason the issuer's reason (a re-presentment repeats the chargeback's)
 * @param operator the operator whose gate took the record
 * @param businessDate the record's own business date (a late presentment keeps its original date)
 * @param recordId the gate's record id
 * @param key the card transaction (PAN, PAN sequence, ATC)
 * @param fareMinor the record's fare, minor units (0 to {@link #FARE_MINOR_MAX})
 * @param evidence 1 to {@link #EVIDENCE_CHARS_MAX} printable ASCII characters, no space or '|';
 *     {@link #NO_EVIDENCE} on a chargeback; a re-presentment must carry some
 */
public record TransitException(ExceptionStage stage, ExceptionReason reason, PartyId operator, LocalDate businessDate,
    RecordId recordId, CardTransactionKey key, long fareMinor, String evidence) {
  /** The largest fare a transit record may carry (bounds the file's control total). */
  public static final long FARE_MINOR_MAX = 1_000_000_00L;
  public static final int EVIDENCE_CHARS_MAX = 120;
  /** The evidence field of a line that carries none. */
  public static final String NO_EVIDENCE = "-";

  /** @throws ProtocolException on a missing field, a fare out of range or evidence that cannot travel */
  public TransitException {
    if (stage == null || reason == null || operator == null || businessDate == null || recordId == null || key == null
        || evidence == null) {
      throw new ProtocolException("exception: stage, reason, operator, date, record id, card key, evidence are required");
    }
    if (fareMinor < 0 || fareMinor > FARE_MINOR_MAX) {
      throw new ProtocolException("exception: fare " + fareMinor + " is outside 0.." + FARE_MINOR_MAX);
    }
    if (evidence.isEmpty() || evidence.length() > EVIDENCE_CHARS_MAX
        || !evidence.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '|')) {
      throw new ProtocolException("exception: evidence is not 1.." + EVIDENCE_CHARS_MAX
          + " printable ASCII characters without space or '|'");
    }
    if (stage == ExceptionStage.REPRESENTMENT && evidence.equals(NO_EVIDENCE)) {
      throw new ProtocolException("exception: a re-presentment needs evidence");
    }
  }

  /** The same record's dispute at {@code next} stage, with {@code evidence}. */
  public TransitException as(ExceptionStage next, String evidence) {
    return new TransitException(next, reason, operator, businessDate, recordId, key, fareMinor, evidence);
  }

  /** The record's PAN (prints masked). */
  public Pan pan() {
    return key.pan();
  }

  @Override
  public String toString() {
    return stage + " " + reason + " " + operator + "/" + recordId.terminalId() + "#" + recordId.sequence() + " of "
        + businessDate + " card " + key.pan().masked() + " fare " + fareMinor;
  }
}
