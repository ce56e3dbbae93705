package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

/**
 * 0400 (reversal) or 0420 (reversal advice, the store-and-forward repeat): undo the request named
 * by {@code original}. Its own STAN (in {@code transaction}) is new; the original's is in field 90.
 *
 * @param mti {@link Mti#REVERSAL_REQUEST} or {@link Mti#REVERSAL_ADVICE}
 * @param transaction the original's card data with this message's own STAN and date-time (no PIN)
 * @param reason field 39, why it is reversed (e.g. 91 when no answer came)
 * @param original field 90
 */
public record ReversalRequest(Mti mti, CardTransaction transaction, ResponseCode reason, OriginalData original)
    implements Iso8583Message {
  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID */
  public ReversalRequest {
    CardTransaction.required("MTI", mti);
    if (mti != Mti.REVERSAL_REQUEST && mti != Mti.REVERSAL_ADVICE) {
      throw new Iso8583Exception(FIELD_INVALID, "a reversal is an 0400 or an 0420");
    }
    CardTransaction.required("transaction", transaction);
    if (transaction.pinBlock() != null) {
      throw new Iso8583Exception(FIELD_INVALID, "a reversal carries no PIN block");
    }
    CardTransaction.required("field 39 reason", reason);
    CardTransaction.required("field 90 original data", original);
  }

  @Override
  public int stan() {
    return transaction.stan();
  }

  @Override
  public String terminalId() {
    return transaction.terminalId();
  }
}
