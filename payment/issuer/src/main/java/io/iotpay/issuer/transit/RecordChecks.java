package io.iotpay.issuer.transit;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.issuer.card.CardRecord;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import io.iotpay.protocol.transit.TransitTac;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of one cleared record (docs/issuer.md): the card and its suite, de-duplication by card
 * transaction (PAN, PSN, ATC), the TAC's result, and the record's fields against what the TAC
 * covers in {@code cryptogramInput}. Stateless apart from the issuer's id.
 */
final class RecordChecks {
  /** Layout of a TC's cryptogram input, once: {@link TransitTac.Input} (docs/card-apdus.md §6). */
  static final int INPUT_BYTES = TransitTac.Input.BYTES;
  private static final int AMOUNT = TransitTac.Input.AMOUNT;
  private static final int CURRENCY = TransitTac.Input.CURRENCY;
  private static final int ATC = TransitTac.Input.ATC;
  private static final int CID = TransitTac.Input.CID;
  private static final int QUOTA_AFTER = TransitTac.Input.QUOTA_AFTER;
  private static final int CAPP = TransitTac.Input.CAPP;
  private static final byte CID_TC = 0x40;

  private final PartyId issuer;

  RecordChecks(PartyId issuer) {
    this.issuer = issuer;
  }

  /**
   * Why the record is refused, or empty when it clears; a record that clears claims its card key in
   * {@code seen} and its card in {@code cards}.
   */
  Optional<ClearingReport.Refusal> check(TransitRecord record, Set<CardTransactionKey> seen,
      Map<Pan, CardRecord> cards, Map<Pan, CardRecord> known, Set<CardTransactionKey> clearedBefore, boolean tacValid) {
    CardTransactionKey key = record.cardKey();
    CardRecord card = cards.get(record.pan());
    if (card == null) {
      card = known.get(record.pan());
      if (card != null) {
        cards.put(card.pan(), card);
      }
    }
    if (card == null || card.panSequence() != record.panSequence()) {
      return refuse(record, RefusalReason.UNKNOWN_CARD, "not a card of " + issuer);
    }
    if (card.suite() != record.suite()) {
      return refuse(record, RefusalReason.SUITE_MISMATCH, "card is " + card.suite());
    }
    if (seen.contains(key) || clearedBefore.contains(key)) {
      return refuse(record, RefusalReason.DUPLICATE, "card transaction ATC " + record.atc() + " already cleared");
    }
    byte[] input = record.cryptogramInput();
    if (input.length != INPUT_BYTES) {
      return refuse(record, RefusalReason.MALFORMED, "cryptogram input of " + input.length + " bytes, expected " + INPUT_BYTES);
    }
    if (!tacValid) {
      return refuse(record, RefusalReason.BAD_TAC, "TAC does not verify for ATC " + record.atc());
    }
    String mismatch = mismatch(record, input);
    if (mismatch != null) {
      return refuse(record, RefusalReason.AMOUNT_MISMATCH, mismatch);
    }
    String otherAcceptor = acceptorMismatch(record, input);
    if (otherAcceptor != null) {
      return refuse(record, RefusalReason.ACCEPTOR_MISMATCH, otherAcceptor);
    }
    // Only a verified record claims its card key: a forged copy must not shadow the genuine one.
    seen.add(key);
    return Optional.empty();
  }

  /** What in the record disagrees with the TAC-covered input, or null. */
  private static String mismatch(TransitRecord record, byte[] input) {
    int atc = ((input[ATC] & 0xFF) << 8) | (input[ATC + 1] & 0xFF);
    if (atc != record.atc()) {
      return "record ATC " + record.atc() + " but the TAC covers " + atc;
    }
    if (input[CID] != CID_TC) {
      return String.format("cryptogram type %02X is not a TC", input[CID]);
    }
    long quotaAfter = Bcd.decode(input, QUOTA_AFTER, 6);
    if (quotaAfter != record.quotaAfterMinor()) {
      return "record quota after " + record.quotaAfterMinor() + " but the TAC covers " + quotaAfter;
    }
    int currency = (int) Bcd.decode(input, CURRENCY, 2);
    if (currency != record.fare().currency().numericCode()) {
      return "record currency " + record.fare().currency() + " but the TAC covers " + currency;
    }
    byte state = input[CAPP];
    boolean entry = record.kind() == TransitKind.ENTRY;
    if (state != (entry ? 0x01 : 0x02)) {
      return "record kind " + record.kind() + " but the card recorded journey state " + state;
    }
    long amount = Bcd.decode(input, AMOUNT, 6);
    if (!entry && amount != record.fare().amountMinor()) {
      return "record fare " + record.fare().amountMinor() + " but the TAC covers " + amount;
    }
    return null;
  }

  /**
   * The acceptor the TAC covers against the record: its operator must be the record's operator (the
   * switch took the record only from that operator's signed file, docs/signed-files.md §7), and
   * its terminal the record's terminal unless the record was recovered at another gate.
   */
  private static String acceptorMismatch(TransitRecord record, byte[] input) {
    String operator = TransitTac.Input.operatorId(input);
    if (!operator.equals(record.operator().value())) {
      return "record presented by operator " + record.operator() + " but the TAC covers operator " + operator;
    }
    String terminal = TransitTac.Input.terminalId(input);
    if (!record.recovered() && !terminal.equals(record.id().terminalId())) {
      return "record of terminal " + record.id().terminalId() + " but the TAC covers terminal " + terminal;
    }
    return null;
  }

  private static Optional<ClearingReport.Refusal> refuse(TransitRecord record, RefusalReason reason, String detail) {
    return Optional.of(new ClearingReport.Refusal(record.id(), record.cardKey(), reason, detail));
  }
}
