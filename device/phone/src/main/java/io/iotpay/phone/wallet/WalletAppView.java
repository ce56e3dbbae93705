package io.iotpay.phone.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.terminal.wallet.CardDebit;
import io.iotpay.terminal.wallet.CardState;
import io.iotpay.terminal.wallet.WalletKernel;
import java.util.List;

/**
 * The phone's own wallet app: what it shows the cardholder, read from the wallet applet in the
 * phone's secure element over the SE's contact interface (OMAPI on a phone), not over NFC. It only
 * reads (SELECT, INITIALIZE PURCHASE with a zero challenge, READ LOG), so it changes nothing on the
 * card; the wallet's balance and log are the card's own, the same a POS reads.
 */
public final class WalletAppView {
  private final CardChannel se;

  /** @param se the phone's channel to its secure element; never null */
  public WalletAppView(CardChannel se) {
    this.se = Assert.notNull(se, "se");
  }

  /** The wallet's state: balance, debt, counter, a pending online part, blocked. */
  public CardState state() {
    return WalletKernel.readState(se);
  }

  /** The wallet's purchase log, newest first (at most {@value WalletKernel#LOG_RECORDS_MAX}). */
  public List<CardDebit> purchases() {
    return WalletKernel.readLog(se);
  }
}
