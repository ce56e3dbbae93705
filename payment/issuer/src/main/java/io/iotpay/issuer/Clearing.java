package io.iotpay.issuer;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Clearing of one file (docs/issuer.md): per record, the card and its suite, de-duplication by card
 * transaction (PAN, PSN, ATC), the TAC recomputed over {@code cryptogramInput} with the card's AC
 * key (constant-time compare), the record's fields checked against what the TAC covers, then the
 * fare debited rider → due-to-switch with a transfer id derived from the card key (a resent file
 * is idempotent in the ledger as well as in the registry). A fare the account cannot take is booked
 * arrears → due-to-switch (the issuer guarantees offline fares to the switch) and the card is
 * denied.
 */
final class Clearing {
  /** Layout of a TC's cryptogram input (docs/card-apdus.md §6): CDOL1 29, AIP 2, ATC 2, CID 1, IAD 4, 9F79 6, DF63 6, CAPP 32. */
  static final int INPUT_BYTES = 82;
  private static final int AMOUNT = 0;
  private static final int CURRENCY = 19;
  private static final int ATC = 31;
  private static final int CID = 33;
  private static final int QUOTA_AFTER = 38;
  private static final int CAPP = 50;
  private static final byte CID_TC = 0x40;

  private final Issuer issuer;

  Clearing(Issuer issuer) {
    this.issuer = issuer;
  }

  ClearingReport clear(ClearingFile file) {
    if (!file.issuer().equals(issuer.id())) {
      throw new IssuerInputException("clearing file " + file.sequence() + " is for " + file.issuer() + ", not " + issuer.id());
    }
    List<ClearingReport.Refusal> refusals = new ArrayList<>();
    Set<CardTransactionKey> seen = new HashSet<>();
    int accepted = 0;
    long debited = 0;
    long arrears = 0;
    for (TransitRecord record : file.records()) {
      Optional<ClearingReport.Refusal> refusal = check(record, seen);
      if (refusal.isPresent()) {
        refusals.add(refusal.get());
        continue;
      }
      CardRecord card = issuer.card(record.pan());
      if (record.atc() > card.lastAtc()) {
        card = card.withQuota(record.quotaAfterMinor(), record.atc());
        issuer.registry().save(card);
      }
      long fare = record.fare().amountMinor();
      if (record.kind() == TransitKind.ENTRY || fare == 0) {
        issuer.registry().markCleared(record.cardKey(), "ENTRY");
        accepted++;
        continue;
      }
      if (debit(card, record, fare)) {
        issuer.registry().markCleared(record.cardKey(), "DEBITED");
        accepted++;
        debited += fare;
      } else {
        issuer.registry().markCleared(record.cardKey(), "ARREARS");
        arrears += fare;
        long version = issuer.registry().deny(card.pan());
        issuer.registry().save(issuer.card(card.pan()).withStatus(CardStatus.DENIED));
        refusals.add(new ClearingReport.Refusal(record.id(), record.cardKey(), RefusalReason.INSUFFICIENT_FUNDS,
            "fare " + fare + " booked to arrears; card on deny list v" + version));
      }
    }
    return new ClearingReport(file.issuer(), file.businessDate(), file.sequence(), accepted, debited, arrears,
        refusals, issuer.registry().denyVersion());
  }

  private Optional<ClearingReport.Refusal> check(TransitRecord record, Set<CardTransactionKey> seen) {
    CardTransactionKey key = record.cardKey();
    Optional<CardRecord> card = issuer.registry().find(record.pan());
    if (card.isEmpty() || card.get().panSequence() != record.panSequence()) {
      return refuse(record, RefusalReason.UNKNOWN_CARD, "not a card of " + issuer.id());
    }
    if (card.get().suite() != record.suite()) {
      return refuse(record, RefusalReason.SUITE_MISMATCH, "card is " + card.get().suite());
    }
    if (seen.contains(key) || issuer.registry().isCleared(key)) {
      return refuse(record, RefusalReason.DUPLICATE, "card transaction ATC " + record.atc() + " already cleared");
    }
    byte[] input = record.cryptogramInput();
    if (input.length != INPUT_BYTES) {
      return refuse(record, RefusalReason.MALFORMED, "cryptogram input of " + input.length + " bytes, expected " + INPUT_BYTES);
    }
    SecretKeyBytes acKey = issuer.acKey(record.suite(), record.pan(), record.panSequence());
    byte[] expected = CardCrypto.tac(record.suite(), acKey, record.atc(), input);
    if (!MessageDigest.isEqual(expected, record.tac())) {
      return refuse(record, RefusalReason.BAD_TAC, "TAC does not verify for ATC " + record.atc());
    }
    String mismatch = mismatch(record, input);
    if (mismatch != null) {
      return refuse(record, RefusalReason.AMOUNT_MISMATCH, mismatch);
    }
    // Only a verified record claims its card key: a forged copy must not shadow the genuine one.
    seen.add(key);
    return Optional.empty();
  }

  /** What in the record disagrees with the TAC-covered input, or null. */
  private String mismatch(TransitRecord record, byte[] input) {
    int atc = ((input[ATC] & 0xFF) << 8) | (input[ATC + 1] & 0xFF);
    if (atc != record.atc()) {
      return "record ATC " + record.atc() + " but the TAC covers " + atc;
    }
    if (input[CID] != CID_TC) {
      return String.format("cryptogram type %02X is not a TC", input[CID]);
    }
    long quotaAfter = Bcd.decodeAmount(Arrays.copyOfRange(input, QUOTA_AFTER, QUOTA_AFTER + 6));
    if (quotaAfter != record.quotaAfterMinor()) {
      return "record quota after " + record.quotaAfterMinor() + " but the TAC covers " + quotaAfter;
    }
    int currency = Integer.parseInt(Bcd.decodeDigits(Arrays.copyOfRange(input, CURRENCY, CURRENCY + 2)));
    if (currency != record.fare().currency().numericCode()) {
      return "record currency " + record.fare().currency() + " but the TAC covers " + currency;
    }
    byte state = input[CAPP];
    boolean entry = record.kind() == TransitKind.ENTRY;
    if (state != (entry ? 0x01 : 0x02)) {
      return "record kind " + record.kind() + " but the card recorded journey state " + state;
    }
    long amount = Bcd.decodeAmount(Arrays.copyOfRange(input, AMOUNT, AMOUNT + 6));
    if (!entry && amount != record.fare().amountMinor()) {
      return "record fare " + record.fare().amountMinor() + " but the TAC covers " + amount;
    }
    return null;
  }

  private boolean debit(CardRecord card, TransitRecord record, long fare) {
    long riderTransferId = transferId("fare", record.cardKey());
    // Credit accounts have no ledger flag: the issuer enforces the limit (see RiderAccountKind).
    if (issuer.isCredit(card.accountId()) && issuer.availableMinor(card.accountId()) < fare) {
      return bookArrears(record, fare);
    }
    TransferResult result = issuer.submit(List.of(
        Transfer.single(riderTransferId, card.accountId(), issuer.dueToSwitchAccountId(), fare))).get(0);
    if (result == TransferResult.OK) {
      return true;
    }
    if (result == TransferResult.EXCEEDS_CREDITS) {
      return bookArrears(record, fare);
    }
    throw new IllegalStateException("ledger refused fare transfer for " + record.id() + ": " + result);
  }

  private boolean bookArrears(TransitRecord record, long fare) {
    TransferResult result = issuer.submit(List.of(Transfer.single(transferId("arrears", record.cardKey()),
        issuer.arrearsAccountId(), issuer.dueToSwitchAccountId(), fare))).get(0);
    if (result != TransferResult.OK) {
      throw new IllegalStateException("ledger refused arrears transfer for " + record.id() + ": " + result);
    }
    return false;
  }

  /** A positive transfer id from the card transaction: SHA-256 of purpose, issuer, PAN, PSN, ATC. */
  long transferId(String purpose, CardTransactionKey key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] hash = digest.digest((purpose + "|" + issuer.id() + "|" + key.pan().digits() + "|" + key.panSequence()
          + "|" + key.atc()).getBytes(StandardCharsets.UTF_8));
      long id = 0;
      for (int i = 0; i < 8; i++) {
        id = (id << 8) | (hash[i] & 0xFF);
      }
      id &= Long.MAX_VALUE;
      return id == 0 ? 1 : id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static Optional<ClearingReport.Refusal> refuse(TransitRecord record, RefusalReason reason, String detail) {
    return Optional.of(new ClearingReport.Refusal(record.id(), record.cardKey(), reason, detail));
  }
}
