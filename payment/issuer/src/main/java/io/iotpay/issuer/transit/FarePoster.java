package io.iotpay.issuer.transit;

import io.iotpay.foundation.Assert;
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

  /** Fare posting ids carry this bit: a block of its own beside the ids derived by hashing. */
  private static final long FARE_ID_BLOCK_BIT = 1L << 62;
  /** Bits of a fare posting id's sequence number (below them, the issuer's book id). */
  private static final int FARE_ID_SEQUENCE_BITS = 36;
  /** Book ids that fit between the block bit and the sequence number. */
  private static final long FARE_ID_BOOKS_BOUND = 1L << (62 - FARE_ID_SEQUENCE_BITS);

  private final PartyId issuer;
  private final IssuerBook book;
  private final ClearingStore store;
  private final long fareIdLow;
  private final long fareIdHigh;
  /** The last fare posting id handed out (recorded or not: an id whose chunk was not recorded is skipped). */
  private long lastFareId;

  FarePoster(PartyId issuer, IssuerBook book, ClearingStore store) {
    this.issuer = issuer;
    this.book = book;
    this.store = store;
    Assert.that(book.bookId() < FARE_ID_BOOKS_BOUND, "issuer book id %s must be below %s for fare posting ids",
        book.bookId(), FARE_ID_BOOKS_BOUND);
    this.fareIdLow = FARE_ID_BLOCK_BIT | (book.bookId() << FARE_ID_SEQUENCE_BITS) | 1;
    this.fareIdHigh = FARE_ID_BLOCK_BIT | (book.bookId() << FARE_ID_SEQUENCE_BITS) | ((1L << FARE_ID_SEQUENCE_BITS) - 1);
    this.lastFareId = store.lastFarePostingId(fareIdLow, fareIdHigh);
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
   * The id of the next fare posting: the next number of this issuer's own block of ids (the block
   * bit, the book id, a sequence number), one above the highest recorded, so no two postings share
   * an id. An id is recorded with its planned posting before the ledger sees it (a crash in between
   * is completed under the recorded id), so it need not be derivable again. Consecutive ids (rather
   * than hashes spread over the id space) put each chunk's postings on a few neighbouring pages of
   * the ledger's and the registry's transfer-id indexes: hashed ids wrote one page per posting,
   * thousands per chunk, scattered over indexes of millions of ids (docs/bench-clearing.md).
   *
   * @throws IllegalStateException when the block is used up (2^36 postings)
   */
  long nextFarePostingId() {
    if (lastFareId >= fareIdHigh) {
      throw new IllegalStateException("issuer " + issuer + ": fare posting ids used up");
    }
    return ++lastFareId;
  }
}
