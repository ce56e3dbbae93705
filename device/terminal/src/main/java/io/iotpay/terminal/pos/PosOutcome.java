package io.iotpay.terminal.pos;

/**
 * What one {@link PosKernel#charge} came to. It is returned only after its journal entry is on disk.
 *
 * @param result what the POS shows
 * @param reason why, one of a fixed table
 * @param cvm the cardholder verification the transaction ended with
 * @param detail a readable detail for the operator (never a full PAN)
 * @param entry the final journal entry of this transaction, never null
 * @param commandCount command APDUs sent to the card
 */
public record PosOutcome(Result result, Reason reason, Cvm cvm, String detail, PosJournal.Entry entry,
    int commandCount) {

  /** The four outcomes of a contactless kernel (EMV Book A §6.2 names, those this kernel gives). */
  public enum Result {
    APPROVED,
    DECLINED,
    /** The card cannot be used contactless here: use the contact chip or another payment. */
    TRY_ANOTHER_INTERFACE,
    /** The transaction stopped (card pulled, card error, malformed data, journal failure); nothing approved. */
    END_APPLICATION
  }

  /** Why. Each reason belongs to one result (docs/pos-kernel.md §6). */
  public enum Reason {
    APPROVED_OFFLINE(Result.APPROVED),
    APPROVED_ONLINE(Result.APPROVED),
    /** No answer from the issuer; the card approved within its offline limits (ARC Z3). */
    APPROVED_UNABLE_TO_GO_ONLINE(Result.APPROVED),
    /** Terminal action analysis asked for an AAC (exception file, expiry, service not allowed ...). */
    DECLINED_BY_TERMINAL(Result.DECLINED),
    DECLINED_BY_CARD(Result.DECLINED),
    /** Offline data authentication (fDDA) failed: a counterfeit or damaged card; never sent online. */
    DECLINED_ODA_FAILED(Result.DECLINED),
    DECLINED_BY_ISSUER(Result.DECLINED),
    /** The issuer approved but the card declined (e.g. the ARPC did not verify): reversal needed. */
    DECLINED_AFTER_ISSUER_APPROVAL(Result.DECLINED),
    /** No answer from the issuer and the card or the default action code declined. */
    DECLINED_UNABLE_TO_GO_ONLINE(Result.DECLINED),
    /** No PPSE, or no application in it this terminal supports. */
    NO_CONTACTLESS_APPLICATION(Result.TRY_ANOTHER_INTERFACE),
    /** The card refused GET PROCESSING OPTIONS with 6984, 6985 or 6986. */
    CARD_ASKS_OTHER_INTERFACE(Result.TRY_ANOTHER_INTERFACE),
    /** Every candidate application refused SELECT (e.g. blocked, 6283). */
    NO_APPLICATION_SELECTED(Result.END_APPLICATION),
    CARD_ERROR(Result.END_APPLICATION),
    MALFORMED_CARD_DATA(Result.END_APPLICATION),
    CARD_TORN(Result.END_APPLICATION),
    JOURNAL_FAILED(Result.END_APPLICATION);

    private final Result result;

    Reason(Result result) {
      this.result = result;
    }

    public Result result() {
      return result;
    }
  }

  /** The cardholder verification method of the transaction. */
  public enum Cvm {
    /** Not reached (the transaction stopped before cardholder verification). */
    NOT_PERFORMED,
    /** At or below the CVM limit, or the card's list said "no CVM required". */
    NO_CVM,
    SIGNATURE,
    ONLINE_PIN,
    /** The CVM list gave no method this terminal could perform. */
    FAILED
  }

  public boolean approved() {
    return result == Result.APPROVED;
  }
}
