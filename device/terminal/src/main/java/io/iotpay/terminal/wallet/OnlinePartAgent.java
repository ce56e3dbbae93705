package io.iotpay.terminal.wallet;

import io.iotpay.foundation.Assert;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POS as the cardholder's agent (docs/wallet.md §2): every journalled purchase with an online
 * part is pushed to the issuer until the issuer answers definitively (completed, failed, refused),
 * and the answer is forced to disk in the {@link OnlinePartOutbox}. The part itself is durable from
 * the moment the purchase was journalled, so a POS killed before pushing pushes after restart; a
 * lost answer is asked again and the issuer, idempotent by card and counter, moves money once.
 * The receipt never waits for this. Not thread-safe; one per POS.
 */
public final class OnlinePartAgent {
  private static final Logger LOG = LoggerFactory.getLogger(OnlinePartAgent.class);

  private final WalletJournal journal;
  private final OnlinePartOutbox outbox;
  private final OnlinePartGateway gateway;

  /** What one pass achieved. */
  public record Pass(int pushed, int answered, int stillPending) {}

  public OnlinePartAgent(WalletJournal journal, OnlinePartOutbox outbox, OnlinePartGateway gateway) {
    this.journal = Assert.notNull(journal, "journal");
    this.outbox = Assert.notNull(outbox, "outbox");
    this.gateway = Assert.notNull(gateway, "gateway");
  }

  /** The journalled online parts without a definitive answer, in journal order. */
  public List<PurchaseRecord> pending() {
    return journal.records().stream()
        .filter(r -> r.debit().onlineMinor() > 0)
        .filter(r -> outbox.answer(r.debit().cardId(), r.debit().counter()).isEmpty())
        .toList();
  }

  /** One attempt at every pending part; the caller repeats (timer, link up) until none is pending. */
  public Pass pushPending() {
    int pushed = 0;
    int answered = 0;
    for (PurchaseRecord record : pending()) {
      CardDebit part = record.debit();
      pushed++;
      Optional<OnlinePartGateway.Answer> answer = gateway.push(part);
      if (answer.isEmpty()) {
        continue;
      }
      outbox.record(part.cardId(), part.counter(), answer.get());
      answered++;
      LOG.info("Online part answered [card={}, counter={}, onlineMinor={}, answer={}]", Receipt.of(record).cardMasked(),
          part.counter(), part.onlineMinor(), answer.get());
    }
    return new Pass(pushed, answered, pending().size());
  }

  public OnlinePartOutbox outbox() {
    return outbox;
  }
}
