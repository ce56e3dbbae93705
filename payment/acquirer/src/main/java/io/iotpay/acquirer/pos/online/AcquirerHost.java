package io.iotpay.acquirer.pos.online;

import io.iotpay.acquirer.pos.merchant.TerminalAuthority;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Ledger;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.online.Presentment;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The acquirer's online authorisation host (docs/acquirer-online.md): terminals send 0100, 0200 and
 * 0400 to its {@link Iso8583Server}; it writes each request durably, forwards it to the switch and
 * returns the answer; a request without an answer in time is reversed from a durable
 * store-and-forward queue until the switch acknowledges; at day end it presents the captures and
 * refunds, and pays each merchant T+1 net of the merchant discount.
 */
public final class AcquirerHost implements Iso8583Server.Handler, AutoCloseable {

  /**
   * @param config the links, accounts and rates
   * @param database the host's store (Flyway component {@code acquirer-online}); not closed by the host
   * @param ledger the acquirer's ledger (merchant payables, settlement with the switch, MDR revenue); not closed
   * @param terminals the merchant/terminal registry: only an activated terminal of an activated merchant transacts
   * @param clock the business clock (UTC business days)
   */
  public AcquirerHost(AcquirerHostConfig config, Database database, Ledger ledger, TerminalAuthority terminals,
      Clock clock) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Migrates the tables, creates the acquirer's ledger accounts, binds the terminal server, and
   * starts the reversal deliverer on the queue left by a previous run.
   *
   * @throws IOException when the terminal address cannot be bound
   */
  public AcquirerHost start() throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** The bound terminal port. */
  public int terminalPort() {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * One terminal request (what the terminal server calls; usable in the same JVM too): 0100
   * forwarded, 0200 with processing code 20xxxx recorded as a refund, 0400 queued as a reversal.
   */
  @Override
  public Iso8583Message handle(Iso8583Message request) {
    throw new UnsupportedOperationException("not yet");
  }

  /** The state of the terminal request with this terminal id, STAN and field 7, if the host has it. */
  public Optional<TransactionState> state(String terminalId, int stan, MonthDayTime transmittedAt) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Reversals queued and not yet acknowledged by the switch. */
  public long reversalsPending() {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Closes the business day's batch once: every approved purchase of {@code businessDate} not
   * reversed becomes a capture presentment, every refund a refund presentment. A second call
   * returns the same list.
   */
  public List<Presentment> dayEnd(LocalDate businessDate) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Posts, once, for the day's presentments (closing the day first if it is not closed): each
   * merchant's net to its payable account and the MDR to revenue, from the settlement account.
   * A second call posts nothing and returns the same payouts.
   */
  public List<MerchantPayout> payMerchants(LocalDate businessDate) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Stops the terminal server, the switch link and the deliverer; queued reversals stay queued. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("not yet");
  }
}
