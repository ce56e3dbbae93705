package io.iotpay.terminal.pos;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.PinBlock;
import java.time.YearMonth;
import java.util.Optional;

/**
 * One online authorisation request, what an acquirer needs for a 0100.
 *
 * @param field55 the chip data as BER-TLV (ISO 8583 field 55): 9F26, 9F27, 9F10, 9F37, 9F36, 95,
 *     9A, 9C, 9F02, 5F2A, 82, 9F1A, 9F03, 9F33, 9F34, 9F35, 84 (docs/pos-kernel.md §5)
 * @param amount the amount authorised
 * @param pan the card's PAN (the request goes to the acquirer, never to a log)
 * @param panSequence 5F34, 0 when the card has none
 * @param terminalId 9F1C
 * @param merchantId 9F16
 * @param transactionSequence the terminal's transaction number (journal), for matching a reversal
 * @param onlinePinBlock the enciphered PIN block when the CVM is online PIN, else null
 * @param expiry the card's expiry month (5F24; ISO 8583 field 14), or null when unknown
 */
public record AuthorisationRequest(byte[] field55, Money amount, Pan pan, int panSequence, String terminalId,
    String merchantId, long transactionSequence, PinBlock onlinePinBlock, YearMonth expiry) {
  public AuthorisationRequest {
    field55 = field55.clone();
  }

  /** A request without the card's expiry month. */
  public AuthorisationRequest(byte[] field55, Money amount, Pan pan, int panSequence, String terminalId,
      String merchantId, long transactionSequence, PinBlock onlinePinBlock) {
    this(field55, amount, pan, panSequence, terminalId, merchantId, transactionSequence, onlinePinBlock, null);
  }

  @Override
  public byte[] field55() {
    return field55.clone();
  }

  /** The enciphered PIN block, present when the cardholder entered an online PIN. */
  public Optional<PinBlock> pinBlock() {
    return Optional.ofNullable(onlinePinBlock);
  }

  @Override
  public String toString() {
    return "AuthorisationRequest[pan=" + pan.masked() + ", amount=" + amount + ", terminal=" + terminalId
        + ", sequence=" + transactionSequence + ", pin=" + (onlinePinBlock != null) + "]";
  }
}
