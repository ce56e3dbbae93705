package io.iotpay.phone.pos;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.terminal.wallet.Iso8583OnlinePartGateway;
import io.iotpay.terminal.wallet.OnlinePartAgent;
import io.iotpay.terminal.wallet.OnlinePartGateway;
import io.iotpay.terminal.wallet.OnlinePartOutbox;
import io.iotpay.terminal.wallet.OutcomeList;
import io.iotpay.terminal.wallet.PurchaseRecord;
import io.iotpay.terminal.wallet.SplitPolicy;
import io.iotpay.terminal.wallet.WalletDayUpload;
import io.iotpay.terminal.wallet.WalletJournal;
import io.iotpay.terminal.wallet.WalletKernel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reader mode of the acquiring SDK (docs/phone-sdk.md, "Wallet cards"): the phone accepts offline
 * wallet cards with the POS's own {@link WalletKernel}, its PSAM an applet in the phone's secure
 * element (certified by the scheme as any POS's PSAM). Each purchase is attested first, as a card
 * charge is; a refused attestation never touches the card. The purchase record is journalled in the
 * SDK's directory ({@value #JOURNAL_FILE}, fsync) before the receipt is returned; the online part of
 * a split is pushed as the cardholder's agent ({@link OnlinePartAgent}) as an ISO 8583 0200 over the
 * SDK's own link to the acquirer, each push attested first (the acquirer's risk sensing admits a
 * phone terminal's request only on a fresh attestation); the answers are kept in the durable outbox
 * ({@value #OUTBOX_FILE}). Opened by {@link PosSdk#acceptWallet}; closed with the SDK. Not thread-safe.
 */
public final class WalletAcceptance implements AutoCloseable {
  /** The wallet kernel's journal in the SDK's directory: the stored purchases and online parts. */
  public static final String JOURNAL_FILE = "wallet.journal";
  /** The definitive answers to the online parts pushed. */
  public static final String OUTBOX_FILE = "wallet.outbox";

  private final Supplier<MonitoringService.Verdict> attest;
  private final WalletJournal journal;
  private final OnlinePartOutbox outbox;
  private final WalletKernel kernel;
  private final OnlinePartAgent agent;
  /** Journal records already in an acknowledged day file (in memory, as the counter-top POS keeps it). */
  private int uploaded;

  /** A purchase tap's end: the attestation's verdict, and the kernel's outcome when the card was tapped. */
  public record Payment(MonitoringService.Verdict attestation, Optional<WalletKernel.Outcome> outcome) {
    public boolean approved() {
      return outcome.isPresent() && outcome.get() instanceof WalletKernel.Outcome.Approved;
    }

    /** The receipt printed at once (the online part shown, never waiting for the issuer). */
    public Optional<io.iotpay.terminal.wallet.Receipt> receipt() {
      return outcome.filter(o -> o instanceof WalletKernel.Outcome.Approved)
          .map(o -> ((WalletKernel.Outcome.Approved) o).receipt());
    }
  }

  WalletAcceptance(Path directory, CardChannel psam, SplitPolicy policy, OutcomeList outcomes,
      Supplier<MonitoringService.Verdict> attest, Iso8583Client link, String acquirerId, String terminalId,
      String merchantId, Clock clock) {
    this.attest = attest;
    this.journal = WalletJournal.open(directory.resolve(JOURNAL_FILE));
    this.outbox = OnlinePartOutbox.open(directory.resolve(OUTBOX_FILE));
    try {
      this.kernel = new WalletKernel(psam, journal, policy, outcomes);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    OnlinePartGateway iso = new Iso8583OnlinePartGateway(link, acquirerId, terminalId, merchantId, clock);
    this.agent = new OnlinePartAgent(journal, outbox, part -> attest.get().approved() ? iso.push(part)
        : Optional.empty());
  }

  /**
   * Attests, then one purchase tap of {@code amountMinor} on {@code card} (docs/wallet-apdus.md §2).
   *
   * @throws io.iotpay.foundation.card.CardGoneException when the card left; tap again
   * @throws io.iotpay.terminal.wallet.WalletException when the SE's PSAM refuses
   */
  public Payment purchase(long amountMinor, CardChannel card) {
    Assert.notNull(card, "card");
    MonitoringService.Verdict verdict = attest.get();
    if (!verdict.approved()) {
      return new Payment(verdict, Optional.empty());
    }
    return new Payment(verdict, Optional.of(kernel.purchase(card, amountMinor)));
  }

  /** A load at this phone with the issuer's signature ({@link WalletKernel#load}). */
  public WalletKernel.LoadResult load(CardChannel card, long amountMinor, WalletKernel.LoadAuthoriser issuer) {
    return kernel.load(card, amountMinor, issuer);
  }

  /** One attempt at every stored online part without a definitive answer (each push attested first). */
  public OnlinePartAgent.Pass pushPending() {
    return agent.pushPending();
  }

  /** The stored online parts without a definitive answer. */
  public List<PurchaseRecord> pending() {
    return agent.pending();
  }

  public OnlinePartOutbox outbox() {
    return outbox;
  }

  public WalletJournal journal() {
    return journal;
  }

  public WalletKernel kernel() {
    return kernel;
  }

  /**
   * Writes and signs the day file of the purchases since the last acknowledged one
   * ({@link WalletDayUpload}) with the phone POS's certified file key.
   */
  public Path writeDayFile(Path file, PartyId pos, PartyId issuer, LocalDate businessDate, long sequence,
      FileSigner signer) {
    return WalletDayUpload.write(file, journal, uploaded, pos, issuer, businessDate, sequence, signer);
  }

  /** The issuer cleared the last day file written. */
  public void acknowledged() {
    uploaded = journal.records().size();
  }

  @Override
  public void close() {
    journal.close();
    outbox.close();
  }
}
