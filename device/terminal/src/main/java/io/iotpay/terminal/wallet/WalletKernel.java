package io.iotpay.terminal.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POS side of the offline wallet (docs/wallet-apdus.md §2): one PSAM channel for the POS's
 * life, one wallet channel per tap. A purchase is SELECT, INITIALIZE PURCHASE, [READ LOG when the
 * card holds an unrecorded purchase of this POS], [WRITE BACK when the outcome list has the card's
 * pending part], [WRITE RATING when the list has a newer rating than the card's], DEBIT: at most
 * {@link #WALLET_APDUS_MAX} wallet APDUs. The purchase record is journalled (fsync) before the
 * outcome is returned; a rating the card took is logged (fsync) before the tap goes on. Not
 * thread-safe; one per POS.
 */
public final class WalletKernel {
  /** The design bound on wallet APDUs per purchase tap, SELECT included. */
  public static final int WALLET_APDUS_MAX = 6;
  private static final Logger LOG = LoggerFactory.getLogger(WalletKernel.class);
  private static final byte[] NO_POS = new byte[8];
  /** READ LOG: counter, amounts, balance, POS id, challenge (40), TAC (8), then signature length and signature. */
  private static final int LOG_SIGNATURE_AT = 49;
  /** The card's cyclic log holds this many purchase records (docs/wallet-apdus.md §3.5). */
  public static final int LOG_RECORDS_MAX = 10;

  private final CardChannel psam;
  private final WalletJournal journal;
  private final SplitPolicy policy;
  private final OutcomeList outcomes;
  /** Where the cards' rating confirmations go; null: this POS writes no ratings. */
  private final RatingConfirmationLog ratings;
  private final byte[] posId;
  private final byte[] posCertificate;
  /** The sale whose DEBIT was sent but not answered: the next tap finds out whether it happened. */
  private Unfinished unfinished;
  private UnfinishedLoad unfinishedLoad;
  private long writeBacksApplied;
  private long ratingsWritten;

  private record Unfinished(byte[] posChallenge, long amountMinor) {}

  private record UnfinishedLoad(byte[] cardId, long loadNumber, long amountMinor) {}

  /** The result of a purchase tap. */
  public sealed interface Outcome {
    int walletApdus();

    /** Paid: the record is on disk. */
    record Approved(PurchaseRecord record, Receipt receipt, int walletApdus, int walletBytes) implements Outcome {}

    /** Not paid, nothing moved; {@code sw} is the refusing status word, or 0 for the POS's own decision. */
    record Declined(String reason, int sw, int walletApdus) implements Outcome {}
  }

  /** The issuer's side of a load: signs 51 || card id || load number || amount || currency. */
  @FunctionalInterface
  public interface LoadAuthoriser {
    byte[] sign(byte[] cardId, long loadNumber, long amountMinor, int currencyNumeric);
  }

  /** The card after a load. */
  public record LoadResult(long balanceMinor, long debtMinor, long loadNumber) {}

  /**
   * Selects the PSAM and reads the POS id and certificate from it.
   *
   * @throws WalletException when the PSAM refuses
   */
  public WalletKernel(CardChannel psam, WalletJournal journal, SplitPolicy policy, OutcomeList outcomes) {
    this(psam, journal, policy, outcomes, null);
  }

  /**
   * As above, and the kernel writes a listed rating newer than the card's (WRITE RATING) and logs
   * the card's confirmation in {@code ratings} (null: no ratings written).
   *
   * @throws WalletException when the PSAM refuses
   */
  public WalletKernel(CardChannel psam, WalletJournal journal, SplitPolicy policy, OutcomeList outcomes,
      RatingConfirmationLog ratings) {
    this.psam = Assert.notNull(psam, "psam");
    this.journal = Assert.notNull(journal, "journal");
    this.policy = Assert.notNull(policy, "policy");
    this.outcomes = Assert.notNull(outcomes, "outcomes");
    this.ratings = ratings;
    psamOk(WalletApdus.select(WalletApdus.PSAM_AID), "SELECT");
    posId = psamOk(WalletApdus.psamGetData(0x01), "GET DATA POS id");
    posCertificate = psamOk(WalletApdus.psamGetData(0x02), "GET DATA certificate");
  }

  public byte[] posId() {
    return posId.clone();
  }

  /** Outcomes this kernel wrote to cards (the card answered 9000 to WRITE BACK) since it started. */
  public long writeBacksApplied() {
    return writeBacksApplied;
  }

  /** Ratings this kernel wrote to cards (the card answered 9000 to WRITE RATING) since it started. */
  public long ratingsWritten() {
    return ratingsWritten;
  }

  /**
   * One purchase tap for {@code amountMinor}. When the previous tap's DEBIT went unanswered, this
   * tap first finds out from the card's log whether it happened: if so the earlier sale is
   * recorded and returned (no second debit), else the card is charged now.
   *
   * @throws CardGoneException when the card left or an APDU was lost; call again on the next tap
   * @throws WalletException when the PSAM refuses (a POS fault, not the card's)
   */
  public Outcome purchase(CardChannel wallet, long amountMinor) {
    Assert.that(amountMinor > 0 && amountMinor <= Integer.MAX_VALUE, "amount out of range [amountMinor={}]", amountMinor);
    Counting card = new Counting(wallet);
    byte[] posChallenge = psamOk(WalletApdus.psamGetChallenge(), "GET CHALLENGE");
    ResponseApdu selected = card.transmit(WalletApdus.select(WalletApdus.WALLET_AID));
    if (!selected.isOk()) {
      return new Outcome.Declined("wallet not selectable", selected.sw(), card.apdus);
    }
    ResponseApdu init = card.transmit(WalletApdus.initialize(posChallenge));
    if (!init.isOk()) {
      return new Outcome.Declined(WalletStatus.reason(init.sw()), init.sw(), card.apdus);
    }
    CardState state = CardState.parse(init.data());
    Optional<PurchaseRecord> recovered = recoverIfOwn(card, state);
    Unfinished interrupted = unfinished;
    unfinished = null;
    if (recovered.isPresent() && interrupted != null
        && Arrays.equals(recovered.get().debit().posChallenge(), interrupted.posChallenge())) {
      PurchaseRecord record = recovered.get();
      return new Outcome.Approved(record, Receipt.of(record), card.apdus, card.bytes);
    }
    state = writeBackIfListed(card, state);
    state = writeRatingIfNewer(card, state);
    if (!state.blocked() && outcomes.blocked(state.cardId())) {
      return new Outcome.Declined("card on the issuer's deny list", 0, card.apdus);
    }
    return debit(card, state, amountMinor, posChallenge);
  }

  private Outcome debit(Counting card, CardState state, long amountMinor, byte[] posChallenge) {
    SplitPolicy.Decision decision = policy.decide(amountMinor, state);
    return switch (decision) {
      case SplitPolicy.Decision.Decline d -> new Outcome.Declined(d.reason(), 0, card.apdus);
      case SplitPolicy.Decision.Pay pay -> {
        byte[] psamSignature = psamOk(WalletApdus.psamAuthenticate(state.cardId(), state.cardChallenge(), posChallenge,
            pay.offlineMinor(), pay.onlineMinor()), "AUTHENTICATE");
        // Until the record is on disk the sale is unfinished: a lost DEBIT, or a lost PSAM answer
        // after it, is recovered from the card's log at the next tap instead of charged again.
        unfinished = new Unfinished(posChallenge, amountMinor);
        ResponseApdu response = card.transmit(WalletApdus.debit(pay.offlineMinor(), pay.onlineMinor(),
            posCertificate, psamSignature));
        if (!response.isOk()) {
          unfinished = null;
          yield new Outcome.Declined(WalletStatus.reason(response.sw()), response.sw(), card.apdus);
        }
        byte[] data = response.data();
        if (data.length < 8 + CardDebit.TAC_LENGTH + 8) {
          throw new WalletException(WalletException.Device.WALLET, "DEBIT answer of " + data.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        long counter = b.getInt() & 0xFFFF_FFFFL;
        long balanceAfter = b.getInt() & 0xFFFF_FFFFL;
        CardDebit signed = new CardDebit(state.cardId(), counter, pay.offlineMinor(), pay.onlineMinor(), balanceAfter,
            state.currencyNumeric(), posId, posChallenge, Arrays.copyOfRange(data, 8, 16),
            Arrays.copyOfRange(data, 16, data.length));
        PurchaseRecord record;
        try {
          record = countersignAndJournal(signed, state.certificate(), false);
        } catch (WalletException e) {
          unfinished = null;
          // The PSAM refused the card's certificate or signature: a cloned or forged card. No goods, no record.
          LOG.warn("Wallet debit signature refused by the PSAM [card={}, sw={}]", Receipt.of(
              new PurchaseRecord(signed, 0, new byte[0], false)).cardMasked(), Integer.toHexString(e.sw()));
          yield new Outcome.Declined("card refused by the PSAM: " + WalletStatus.reason(e.sw()), e.sw(),
              card.apdus);
        }
        unfinished = null;
        LOG.info("Wallet purchase approved [card={}, counter={}, offlineMinor={}, onlineMinor={}, psamSequence={}]",
            Receipt.of(record).cardMasked(), counter, pay.offlineMinor(), pay.onlineMinor(), record.psamSequence());
        yield new Outcome.Approved(record, Receipt.of(record), card.apdus, card.bytes);
      }
    };
  }

  /**
   * The PSAM verifies the card's signature and countersigns; the record is forced to disk.
   *
   * @throws WalletException when the PSAM refuses (a card certificate or signature not genuine, or an
   *     unknown challenge)
   */
  private PurchaseRecord countersignAndJournal(CardDebit signed, byte[] cardCertificate, boolean recovered) {
    // Checked after the debit, with the card gone: the PSAM's verification costs no time in the field.
    psamOk(WalletApdus.psamVerifyCardCertificate(cardCertificate), "VERIFY CARD CERTIFICATE");
    byte[] answer = psamOk(WalletApdus.psamCountersign(signed), "COUNTERSIGN");
    long sequence = ByteBuffer.wrap(answer).getInt() & 0xFFFF_FFFFL;
    PurchaseRecord record = new PurchaseRecord(signed, sequence, Arrays.copyOfRange(answer, 4, answer.length), recovered);
    journal.append(record);
    return record;
  }

  /** When the card's newest log record is this POS's and unjournalled, read, countersign and journal it. */
  private Optional<PurchaseRecord> recoverIfOwn(Counting card, CardState state) {
    if (!Arrays.equals(state.lastPosId(), posId) || Arrays.equals(state.lastPosId(), NO_POS)
        || journal.holdsChallenge(state.lastPosChallenge())) {
      return Optional.empty();
    }
    ResponseApdu response = card.transmit(WalletApdus.readLog(1));
    if (!response.isOk()) {
      throw new WalletException(WalletException.Device.WALLET, response.sw(), "READ LOG");
    }
    CardDebit signed = logRecord(state, response.data());
    PurchaseRecord record = countersignAndJournal(signed, state.certificate(), true);
    LOG.info("Wallet purchase recovered from the card's log [card={}, counter={}, psamSequence={}]",
        Receipt.of(record).cardMasked(), signed.counter(), record.psamSequence());
    return Optional.of(record);
  }

  /** A READ LOG answer with the card id and currency from INITIALIZE: the card-signed DEBIT exactly. */
  private static CardDebit logRecord(CardState state, byte[] r) {
    if (r.length < LOG_SIGNATURE_AT + 8 || r.length != LOG_SIGNATURE_AT + (r[LOG_SIGNATURE_AT - 1] & 0xFF)) {
      throw new WalletException(WalletException.Device.WALLET, "log record of " + r.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(r);
    long counter = b.getInt() & 0xFFFF_FFFFL;
    long offline = b.getInt() & 0xFFFF_FFFFL;
    long online = b.getInt() & 0xFFFF_FFFFL;
    long balanceAfter = b.getInt() & 0xFFFF_FFFFL;
    return new CardDebit(state.cardId(), counter, offline, online, balanceAfter, state.currencyNumeric(),
        Arrays.copyOfRange(r, 16, 24), Arrays.copyOfRange(r, 24, 40), Arrays.copyOfRange(r, 40, 48),
        Arrays.copyOfRange(r, LOG_SIGNATURE_AT, r.length));
  }

  /**
   * The card's purchase log, newest first (READ LOG 1.. until the card has no more, at most
   * {@value #LOG_RECORDS_MAX}, docs/wallet-apdus.md §3.5); reads only, changes nothing on the card.
   *
   * @throws WalletException when the card refuses SELECT or INITIALIZE, or answers a damaged record
   */
  public static List<CardDebit> readLog(CardChannel wallet) {
    CardState state = readState(wallet);
    List<CardDebit> log = new ArrayList<>();
    for (int n = 1; n <= LOG_RECORDS_MAX; n++) {
      ResponseApdu response = wallet.transmit(WalletApdus.readLog(n));
      if (response.sw() == WalletStatus.RECORD_NOT_FOUND) {
        break;
      }
      log.add(logRecord(state, ok(response, "READ LOG").data()));
    }
    return List.copyOf(log);
  }

  /** Writes the listed outcome of the card's pending part; returns the state with flags and debt updated. */
  private CardState writeBackIfListed(Counting card, CardState state) {
    if (!state.pending()) {
      return state;
    }
    Optional<OutcomeList.SignedOutcome> outcome = outcomes.find(state.cardId(), state.pendingCounter());
    if (outcome.isEmpty()) {
      return state;
    }
    OutcomeList.SignedOutcome o = outcome.get();
    ResponseApdu response = card.transmit(WalletApdus.writeBack(o.pendingCounter(), o.outcome(), o.issuerSignature()));
    if (!response.isOk() || response.data().length != 5) {
      LOG.warn("Wallet write-back refused [card={}, sw={}]", state.cardIdHex().substring(12), Integer.toHexString(response.sw()));
      return state;
    }
    byte[] d = response.data();
    writeBacksApplied++;
    return state.afterWriteBack(d[0] & 0xFF, ByteBuffer.wrap(d, 1, 4).getInt() & 0xFFFF_FFFFL);
  }

  /**
   * Writes the listed rating when it is newer than the card's (docs/wallet-apdus.md §3.8) and logs
   * the card's confirmation MAC (fsync) for the day file; returns the state with the new rating.
   * A refusal is logged and the tap goes on with the card's own rating.
   */
  private CardState writeRatingIfNewer(Counting card, CardState state) {
    if (ratings == null || state.blocked()) {
      return state;
    }
    Optional<OutcomeList.SignedRating> listed = outcomes.rating(state.cardId());
    if (listed.isEmpty() || listed.get().version() <= state.ratingVersion()) {
      return state;
    }
    ResponseApdu response = card.transmit(WalletApdus.writeRating(state.cardId(), listed.get()));
    if (!response.isOk()) {
      LOG.warn("Wallet rating refused [card={}, version={}, sw={}]", state.cardIdHex().substring(12),
          listed.get().version(), Integer.toHexString(response.sw()));
      return state;
    }
    RatingConfirmation confirmation = RatingConfirmation.fromAnswer(state.cardId(), state.currencyNumeric(),
        response.data());
    ratings.append(confirmation);
    ratingsWritten++;
    LOG.info("Wallet rating written [card={}, version={}, band={}, allowanceMinor={}]", state.cardIdHex().substring(12),
        confirmation.version(), confirmation.band(), confirmation.allowanceMinor());
    return state.afterRating(confirmation);
  }

  /** Reads the card's state (SELECT, INITIALIZE PURCHASE with a zero challenge); changes nothing. */
  public static CardState readState(CardChannel wallet) {
    ok(wallet.transmit(WalletApdus.select(WalletApdus.WALLET_AID)), "SELECT");
    return CardState.parse(ok(wallet.transmit(WalletApdus.initialize(new byte[16])), "INITIALIZE").data());
  }

  /**
   * Loads {@code amountMinor} with the issuer's signature over the card's next load number. When
   * the previous load's answer was lost, a repeat for the same card first checks the card's load
   * number: applied loads are not repeated, unapplied ones are resent (the card refuses replays).
   *
   * @throws WalletException when the card refuses (balance cap, signature, replay)
   * @throws CardGoneException when the card left or an APDU was lost; call again
   */
  public LoadResult load(CardChannel wallet, long amountMinor, LoadAuthoriser issuer) {
    CardState state = readState(wallet);
    UnfinishedLoad previous = unfinishedLoad;
    unfinishedLoad = null;
    if (previous != null && Arrays.equals(previous.cardId(), state.cardId()) && state.loadNumber() >= previous.loadNumber()
        && previous.amountMinor() == amountMinor) {
      return new LoadResult(state.balanceMinor(), state.debtMinor(), state.loadNumber());
    }
    long next = state.loadNumber() + 1;
    byte[] signature = issuer.sign(state.cardId(), next, amountMinor, state.currencyNumeric());
    unfinishedLoad = new UnfinishedLoad(state.cardId(), next, amountMinor);
    ResponseApdu response = wallet.transmit(WalletApdus.load(amountMinor, next, signature));
    unfinishedLoad = null;
    byte[] d = ok(response, "LOAD").data();
    ByteBuffer b = ByteBuffer.wrap(d);
    return new LoadResult(b.getInt() & 0xFFFF_FFFFL, b.getInt() & 0xFFFF_FFFFL, b.getInt() & 0xFFFF_FFFFL);
  }

  private byte[] psamOk(CommandApdu command, String what) {
    ResponseApdu response = psam.transmit(command);
    if (!response.isOk()) {
      throw new WalletException(WalletException.Device.PSAM, response.sw(), what);
    }
    return response.data();
  }

  private static ResponseApdu ok(ResponseApdu response, String what) {
    if (!response.isOk()) {
      throw new WalletException(WalletException.Device.WALLET, response.sw(), what);
    }
    return response;
  }

  /** Counts the APDUs and bytes (command + response) of one tap. */
  private static final class Counting {
    private final CardChannel inner;
    int apdus;
    int bytes;

    Counting(CardChannel inner) {
      this.inner = inner;
    }

    ResponseApdu transmit(CommandApdu command) {
      apdus++;
      bytes += command.encode().length;
      ResponseApdu response = inner.transmit(command);
      bytes += response.data().length + 2;
      return response;
    }
  }
}
