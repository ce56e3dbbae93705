package io.iotpay.issuer;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
  /** Transfers per ledger submission (below the ledger's default batchTransfersMax of 8190). */
  private static final int CHUNK = 8000;

  private final Issuer issuer;
  private final Map<io.iotpay.foundation.crypto.AlgorithmSuite, SecretKeyBytes> imkAc =
      new java.util.EnumMap<>(io.iotpay.foundation.crypto.AlgorithmSuite.class);

  Clearing(Issuer issuer) {
    this.issuer = issuer;
  }

  ClearingReport clear(ClearingFile file) {
    imkAc.clear();
    try {
      return clearUnwrapped(file);
    } finally {
      // The unwrapped IMKs live for one file only.
      imkAc.clear();
    }
  }

  private ClearingReport clearUnwrapped(ClearingFile file) {
    if (!file.issuer().equals(issuer.id())) {
      throw new IssuerInputException("clearing file " + file.sequence() + " is for " + file.issuer() + ", not " + issuer.id());
    }
    List<ClearingReport.Refusal> refusals = new ArrayList<>();
    Set<CardTransactionKey> seen = new HashSet<>();
    Map<Pan, CardRecord> cards = new LinkedHashMap<>();
    Map<Long, Long> creditUsedMinor = new HashMap<>();
    List<CardRegistry.Cleared> cleared = new ArrayList<>();
    List<Debit> debits = new ArrayList<>();
    List<Debit> arrears = new ArrayList<>();
    int accepted = 0;
    for (TransitRecord record : file.records()) {
      Optional<ClearingReport.Refusal> refusal = check(record, seen, cards);
      if (refusal.isPresent()) {
        refusals.add(refusal.get());
        continue;
      }
      CardRecord card = cards.get(record.pan());
      if (record.atc() > card.lastAtc()) {
        cards.put(card.pan(), card.withQuota(record.quotaAfterMinor(), record.atc()));
      }
      long fare = record.fare().amountMinor();
      if (record.kind() == TransitKind.ENTRY || fare == 0) {
        cleared.add(new CardRegistry.Cleared(record.cardKey(), "ENTRY", 0));
        accepted++;
      } else if (issuer.isCredit(card.accountId())) {
        // Credit accounts have no ledger flag: the issuer enforces the limit (see RiderAccountKind).
        long used = creditUsedMinor.getOrDefault(card.accountId(), 0L);
        if (issuer.availableMinor(card.accountId()) - used < fare) {
          arrears.add(new Debit(record, card, fare));
        } else {
          creditUsedMinor.put(card.accountId(), used + fare);
          debits.add(new Debit(record, card, fare));
        }
      } else {
        debits.add(new Debit(record, card, fare));
      }
    }
    long debited = 0;
    List<TransferResult> results = submitAll(debits, "fare", Debit::accountId);
    for (int i = 0; i < debits.size(); i++) {
      Debit debit = debits.get(i);
      switch (results.get(i)) {
        case OK -> {
          cleared.add(new CardRegistry.Cleared(debit.record().cardKey(), "DEBITED", debit.fareMinor()));
          debited += debit.fareMinor();
          accepted++;
        }
        case EXCEEDS_CREDITS -> arrears.add(debit);
        default -> throw new IllegalStateException("ledger refused fare transfer for " + debit.record().id() + ": "
            + results.get(i));
      }
    }
    Set<Pan> denied = new LinkedHashSet<>();
    long arrearsMinor = 0;
    for (Debit debit : arrears) {
      cleared.add(new CardRegistry.Cleared(debit.record().cardKey(), "ARREARS", debit.fareMinor()));
      denied.add(debit.card().pan());
      arrearsMinor += debit.fareMinor();
      refusals.add(new ClearingReport.Refusal(debit.record().id(), debit.record().cardKey(),
          RefusalReason.INSUFFICIENT_FUNDS, "fare " + debit.fareMinor() + " booked to arrears; card on the deny list"));
    }
    // The outcome is recorded before the arrears are posted: a crash in between is repaired by
    // repostArrears() at start-up, never by a resend that could debit the rider as well.
    issuer.registry().recordFile(cleared, cards.values(), denied);
    postArrears(arrears.stream().map(d -> new CardRegistry.Cleared(d.record().cardKey(), "ARREARS", d.fareMinor()))
        .toList());
    return new ClearingReport(file.issuer(), file.businessDate(), file.sequence(), accepted, debited, arrearsMinor,
        refusals, issuer.registry().denyVersion());
  }

  /** Posts arrears → due to switch for each; idempotent (ids from the card key), so safe to repeat. */
  void postArrears(List<CardRegistry.Cleared> arrears) {
    List<Transfer> transfers = new ArrayList<>();
    for (CardRegistry.Cleared one : arrears) {
      transfers.add(Transfer.single(transferId("arrears", one.key()), issuer.arrearsAccountId(),
          issuer.dueToSwitchAccountId(), one.fareMinor()));
    }
    for (int start = 0; start < transfers.size(); start += CHUNK) {
      List<Transfer> chunk = transfers.subList(start, Math.min(transfers.size(), start + CHUNK));
      List<TransferResult> results = issuer.submit(chunk);
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) != TransferResult.OK) {
          throw new IllegalStateException("ledger refused arrears transfer " + chunk.get(i).id() + ": " + results.get(i));
        }
      }
    }
  }

  /** Submits one transfer per debit (debit account chosen by {@code from}, credit = due to switch) in ledger-sized chunks. */
  private List<TransferResult> submitAll(List<Debit> debits, String purpose,
      java.util.function.ToLongFunction<Debit> from) {
    List<TransferResult> results = new ArrayList<>(debits.size());
    for (int start = 0; start < debits.size(); start += CHUNK) {
      List<Transfer> transfers = new ArrayList<>();
      for (Debit debit : debits.subList(start, Math.min(debits.size(), start + CHUNK))) {
        transfers.add(Transfer.single(transferId(purpose, debit.record().cardKey()), from.applyAsLong(debit),
            issuer.dueToSwitchAccountId(), debit.fareMinor()));
      }
      results.addAll(issuer.submit(transfers));
    }
    return results;
  }

  /** A fare to post: the record, its card, the amount. */
  private record Debit(TransitRecord record, CardRecord card, long fareMinor) {
    long accountId() {
      return card.accountId();
    }
  }

  private Optional<ClearingReport.Refusal> check(TransitRecord record, Set<CardTransactionKey> seen,
      Map<Pan, CardRecord> cards) {
    CardTransactionKey key = record.cardKey();
    Optional<CardRecord> card = Optional.ofNullable(cards.get(record.pan())).or(() -> issuer.registry().find(record.pan()));
    card.ifPresent(c -> cards.putIfAbsent(c.pan(), c));
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
    SecretKeyBytes acKey = Issuer.acKey(record.suite(),
        imkAc.computeIfAbsent(record.suite(), issuer::imkAc), record.pan(), record.panSequence());
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
