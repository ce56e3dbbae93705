package io.iotpay.protocol.transit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * One offline card transaction at a metro gate, as the gate journals it and as it travels
 * gate → operator (acquirer) → switch → issuer. The card's TAC covers {@code cryptogramInput};
 * the issuer recomputes it and checks that the amounts in the input agree with the record's
 * (see docs/card-apdus.md §6 for the layout).
 *
 * @param id the gate's journal id
 * @param operator the acquirer (metro operator) whose gate took the tap
 * @param stationId station code, 1..8 of A-Z, 0-9
 * @param kind entry, exit, or exit charged the maximum fare after an incomplete journey
 * @param pan the card's PAN (full: this record goes only to parties entitled to it)
 * @param panSequence the PAN sequence number (5F34), 0..99
 * @param suite the card's algorithm suite
 * @param atc the card's application transaction counter for this transaction
 * @param fare money the rider owes for this transaction: zero for an entry
 * @param quotaAfterMinor the card's quota (9F79) after the transaction
 * @param time when the gate took the tap (business clock)
 * @param businessDate the business day T the transaction belongs to
 * @param cryptogramInput exactly the bytes the TAC was computed over
 * @param tac the card's transaction certificate (9F26), 8 bytes
 * @param recovered true when the gate completed it later with GET TRANS PROVE (a torn tap)
 */
public record TransitRecord(
    RecordId id,
    PartyId operator,
    String stationId,
    TransitKind kind,
    Pan pan,
    int panSequence,
    AlgorithmSuite suite,
    int atc,
    Money fare,
    long quotaAfterMinor,
    Instant time,
    LocalDate businessDate,
    byte[] cryptogramInput,
    byte[] tac,
    boolean recovered) {
  public static final int TAC_BYTES = 8;
  public static final int CRYPTOGRAM_INPUT_BYTES_MAX = 256;

  /** @throws ProtocolException naming the first field that is missing or out of range */
  public TransitRecord {
    // Checks build their message only on failure: clearing validates tens of millions of records a day.
    require(id != null && operator != null && kind != null && pan != null && suite != null
        && fare != null && time != null && businessDate != null, "a field is missing");
    if (!io.iotpay.protocol.IdentifierText.isUpperAlphanumeric(stationId, 8, false)) {
      throw fail("station id '" + stationId + "' is not 1..8 of A-Z, 0-9");
    }
    if (panSequence < 0 || panSequence > 99) {
      throw fail("PAN sequence " + panSequence + " is outside 0..99");
    }
    if (atc < 0 || atc > 0xFFFF) {
      throw fail("ATC " + atc + " is outside 0..65535");
    }
    if (fare.isNegative()) {
      throw fail("fare " + fare + " is negative");
    }
    if (kind == TransitKind.ENTRY && !fare.isZero()) {
      throw fail("an entry carries no fare, got " + fare);
    }
    if (quotaAfterMinor < 0) {
      throw fail("quota after " + quotaAfterMinor + " is negative");
    }
    if (cryptogramInput == null || cryptogramInput.length == 0 || cryptogramInput.length > CRYPTOGRAM_INPUT_BYTES_MAX) {
      throw fail("cryptogram input must be 1.." + CRYPTOGRAM_INPUT_BYTES_MAX + " bytes");
    }
    if (tac == null || tac.length != TAC_BYTES) {
      throw fail("TAC must be " + TAC_BYTES + " bytes");
    }
    cryptogramInput = cryptogramInput.clone();
    tac = tac.clone();
  }

  /** The card transaction's identity: a torn tap recovered elsewhere has the same one. */
  public CardTransactionKey cardKey() {
    return new CardTransactionKey(pan, panSequence, atc);
  }

  @Override
  public byte[] cryptogramInput() {
    return cryptogramInput.clone();
  }

  @Override
  public byte[] tac() {
    return tac.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TransitRecord that
        && id.equals(that.id) && operator.equals(that.operator) && stationId.equals(that.stationId)
        && kind == that.kind && pan.equals(that.pan) && panSequence == that.panSequence
        && suite == that.suite && atc == that.atc && fare.equals(that.fare)
        && quotaAfterMinor == that.quotaAfterMinor && time.equals(that.time)
        && businessDate.equals(that.businessDate) && Arrays.equals(cryptogramInput, that.cryptogramInput)
        && Arrays.equals(tac, that.tac) && recovered == that.recovered;
  }

  @Override
  public int hashCode() {
    return 31 * id.hashCode() + Arrays.hashCode(tac);
  }

  @Override
  public String toString() {
    return "TransitRecord[" + id + ", " + kind + ", card=" + pan.masked() + "/" + panSequence + ", atc=" + atc
        + ", fare=" + fare + ", day=" + businessDate + (recovered ? ", recovered" : "") + "]";
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw fail(what);
    }
  }

  private static ProtocolException fail(String what) {
    return new ProtocolException("transit record: " + what);
  }

  /** A card transaction's identity across gates and files: (PAN, PAN sequence, ATC). */
  public record CardTransactionKey(Pan pan, int panSequence, int atc) {}
}
