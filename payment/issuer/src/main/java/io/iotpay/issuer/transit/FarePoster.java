package io.iotpay.issuer.transit;

import io.iotpay.foundation.codec.PositiveIds;
import io.iotpay.issuer.IssuerBook;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts what clearing recorded to the issuer's book: fare postings (rider → due to switch) and
 * arrears (arrears → due to switch), with ids derived from the card transactions so every posting
 * is idempotent, and completes at start-up what a crash left recorded but unposted.
 */
final class FarePoster {
  /** Transfers per ledger submission (below the ledger's default batchTransfersMax of 8190). */
  private static final int CHUNK = 8000;

  private final PartyId issuer;
  private final IssuerBook book;
  private final ClearingStore store;

  FarePoster(PartyId issuer, IssuerBook book, ClearingStore store) {
    this.issuer = issuer;
    this.book = book;
    this.store = store;
  }

  /**
   * Completes what a clearing that stopped before posting left recorded (crash): planned fare
   * postings first (one the account can no longer take becomes arrears), then every arrears
   * transfer (idempotent).
   */
  void recover() {
    postFares(store.plannedPostings());
    postArrears(store.arrears());
  }

  /**
   * Submits recorded fare postings (idempotent: the ids were recorded first) and marks those the
   * ledger took; a posting the ledger refuses because the account can no longer take it becomes
   * arrears (its records, their cards denied).
   *
   * @return the records moved to arrears (their arrears transfers not yet posted)
   */
  List<ClearingStore.Cleared> postFares(List<ClearingStore.FarePosting> postings) {
    List<ClearingStore.Cleared> refused = new ArrayList<>();
    for (int start = 0; start < postings.size(); start += CHUNK) {
      List<ClearingStore.FarePosting> part = postings.subList(start, Math.min(postings.size(), start + CHUNK));
      List<Transfer> transfers = new ArrayList<>(part.size());
      for (ClearingStore.FarePosting posting : part) {
        transfers.add(Transfer.single(posting.transferId(), posting.accountId(), book.dueToSwitchAccountId(),
            posting.amountMinor()));
      }
      List<TransferResult> results = book.submit(transfers);
      List<Long> posted = new ArrayList<>(part.size());
      for (int i = 0; i < results.size(); i++) {
        switch (results.get(i)) {
          case OK -> posted.add(part.get(i).transferId());
          case EXCEEDS_CREDITS -> refused.addAll(store.toArrears(part.get(i).transferId()));
          default -> throw new IllegalStateException("ledger refused fare posting " + part.get(i).transferId() + ": "
              + results.get(i));
        }
      }
      store.markPosted(posted);
    }
    return refused;
  }

  /** One account's fare posting of a chunk, while its fares are added up. */
  static final class PostingBuilder {
    final long transferId;
    final long accountId;
    long amountMinor;
    int records;

    PostingBuilder(long transferId, long accountId) {
      this.transferId = transferId;
      this.accountId = accountId;
    }

    void add(long fareMinor) {
      amountMinor = Math.addExact(amountMinor, fareMinor);
      records++;
    }

    ClearingStore.FarePosting build() {
      return new ClearingStore.FarePosting(transferId, accountId, amountMinor, records);
    }
  }

  /** Posts arrears → due to switch for each; idempotent (ids from the card key), so safe to repeat. */
  void postArrears(List<ClearingStore.Cleared> arrears) {
    List<Transfer> transfers = new ArrayList<>();
    for (ClearingStore.Cleared one : arrears) {
      transfers.add(Transfer.single(transferId("arrears", one.key()), book.arrearsAccountId(),
          book.dueToSwitchAccountId(), one.fareMinor()));
    }
    for (int start = 0; start < transfers.size(); start += CHUNK) {
      List<Transfer> chunk = transfers.subList(start, Math.min(transfers.size(), start + CHUNK));
      List<TransferResult> results = book.submit(chunk);
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) != TransferResult.OK) {
          throw new IllegalStateException("ledger refused arrears transfer " + chunk.get(i).id() + ": " + results.get(i));
        }
      }
    }
  }

  /** A positive transfer id from the card transaction: SHA-256 of purpose, issuer, PAN, PSN, ATC. */
  long transferId(String purpose, CardTransactionKey key) {
    return PositiveIds.of(purpose + "|" + issuer + "|" + key.pan().digits() + "|" + key.panSequence() + "|" + key.atc());
  }

  /**
   * The id of a chunk's fare posting for one account: SHA-256 over the account and the posting's
   * first card transaction, which is cleared once ever, so no two postings share an id.
   */
  long farePostingId(long accountId, CardTransactionKey first) {
    return PositiveIds.of("fares|" + issuer + "|" + accountId + "|" + first.pan().digits() + "|" + first.panSequence()
        + "|" + first.atc());
  }
}
