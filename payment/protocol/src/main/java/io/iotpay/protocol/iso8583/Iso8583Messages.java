package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;
import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_MISSING;

import com.solab.iso8583.IsoMessage;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import java.time.YearMonth;
import java.util.BitSet;

/**
 * Typed messages ↔ j8583 {@link IsoMessage}s (without field 128, which {@link MessageMac} adds and
 * checks). Reading is strict: a field the typed message does not carry is refused, so what was
 * received is exactly what the record holds.
 */
public final class Iso8583Messages {
  private final Iso8583Codec codec;

  public Iso8583Messages(Iso8583Codec codec) {
    this.codec = codec;
  }

  public Iso8583Codec codec() {
    return codec;
  }

  /** The j8583 message for {@code message}, field 128 not set. */
  public IsoMessage toIso(Iso8583Message message) {
    IsoMessage iso = codec.newMessage(message.mti());
    switch (message) {
      case AuthorisationRequest r -> putTransaction(iso, r.transaction());
      case FinancialRequest r -> {
        putTransaction(iso, r.transaction());
        if (r.walletPart() != null) {
          codec.set(iso, 62, r.walletPart().value());
        }
      }
      case AdviceRequest r -> {
        putTransaction(iso, r.transaction());
        putIfPresent(iso, 38, r.approvalCode());
        codec.set(iso, 39, r.responseCode().code());
        if (r.original() != null) {
          codec.set(iso, 90, r.original().field90());
        }
      }
      case ReversalRequest r -> {
        putTransaction(iso, r.transaction());
        codec.set(iso, 39, r.reason().code());
        codec.set(iso, 90, r.original().field90());
      }
      case CardResponse r -> putResponse(iso, r);
      case AccountVerificationRequest r -> putVerification(iso, r.transmittedAt(), r.stan(), r.acquirerId(), r.rrn(),
          r.terminalId(), r.receivingInstitution(), r.accountNumber(), r.currency());
      case AccountVerificationResponse r -> {
        putVerification(iso, r.transmittedAt(), r.stan(), r.acquirerId(), r.rrn(), r.terminalId(),
            r.receivingInstitution(), r.accountNumber(), r.currency());
        putIfPresent(iso, 38, r.approvalCode());
        codec.set(iso, 39, r.responseCode().code());
      }
      case NetworkManagementRequest r -> {
        putNetwork(iso, r.code(), r.transmittedAt(), r.stan(), r.institutionId(), r.nodeId());
        if (r.keyExchange() != null) {
          codec.set(iso, 48, r.keyExchange().field48());
        }
      }
      case NetworkManagementResponse r -> {
        putNetwork(iso, r.code(), r.transmittedAt(), r.stan(), r.institutionId(), r.nodeId());
        codec.set(iso, 39, r.responseCode().code());
      }
    }
    return iso;
  }

  /**
   * The typed message {@code iso} holds.
   *
   * @throws Iso8583Exception FIELD_MISSING, FIELD_INVALID or UNKNOWN_MTI; nothing else escapes
   */
  public Iso8583Message fromIso(IsoMessage iso) {
    Mti mti = Mti.byTypeNumber(iso.getType());
    Iso8583Message message;
    try {
      message = read(mti, iso);
    } catch (Iso8583Exception e) {
      throw e;
    } catch (InvalidInputException e) {
      // Pan, Money and CurrencyUnit refuse with their own types: here they are a field out of format.
      throw new Iso8583Exception(FIELD_INVALID, e.getMessage(), e);
    }
    BitSet extra = fieldsOf(iso);
    extra.andNot(fieldsOf(toIso(message)));
    extra.clear(128);
    if (!extra.isEmpty()) {
      throw new Iso8583Exception(FIELD_INVALID, "field " + extra.nextSetBit(0) + " has no place in a " + mti.code());
    }
    return message;
  }

  private Iso8583Message read(Mti mti, IsoMessage iso) {
    return switch (mti) {
      case AUTHORISATION_REQUEST -> iso.hasField(103) ? accountVerification(iso) : new AuthorisationRequest(transaction(iso));
      case AUTHORISATION_RESPONSE -> iso.hasField(103) ? accountVerificationResponse(iso) : response(mti, iso);
      case FINANCIAL_REQUEST -> {
        byte[] part = optionalBytes(iso, 62);
        yield new FinancialRequest(transaction(iso), part == null ? null : new WalletPartData(part));
      }
      case AUTHORISATION_ADVICE ->
          new AdviceRequest(transaction(iso), responseCode(iso), optionalText(iso, 38));
      case FINANCIAL_ADVICE -> new AdviceRequest(mti, transaction(iso), responseCode(iso), optionalText(iso, 38),
          OriginalData.parse(text(iso, 90)));
      case REVERSAL_REQUEST, REVERSAL_ADVICE ->
          new ReversalRequest(mti, transaction(iso), responseCode(iso), OriginalData.parse(text(iso, 90)));
      case AUTHORISATION_ADVICE_RESPONSE, FINANCIAL_RESPONSE, FINANCIAL_ADVICE_RESPONSE,
          REVERSAL_RESPONSE, REVERSAL_ADVICE_RESPONSE -> response(mti, iso);
      case NETWORK_MANAGEMENT_REQUEST -> {
        String field48 = optionalText(iso, 48);
        yield new NetworkManagementRequest(networkCode(iso), MonthDayTime.parseField7(text(iso, 7)),
            stan(iso), text(iso, 32), text(iso, 41), field48 == null ? null : KeyExchange.parse(field48));
      }
      case NETWORK_MANAGEMENT_RESPONSE ->
          new NetworkManagementResponse(networkCode(iso), MonthDayTime.parseField7(text(iso, 7)), stan(iso),
              text(iso, 32), text(iso, 41), responseCode(iso));
    };
  }

  private void putTransaction(IsoMessage iso, CardTransaction t) {
    codec.set(iso, 2, t.pan().digits());
    codec.set(iso, 3, t.processingCode());
    codec.set(iso, 4, FieldText.zeroPadded(t.amount().amountMinor(), 12));
    codec.set(iso, 7, t.transmittedAt().field7());
    codec.set(iso, 11, FieldText.zeroPadded(t.stan(), 6));
    codec.set(iso, 12, t.localTime().hhmmss());
    codec.set(iso, 13, t.localTime().monthDay());
    codec.set(iso, 14, FieldText.zeroPadded(t.expiry().getYear() % 100, 2) + FieldText.zeroPadded(t.expiry().getMonthValue(), 2));
    codec.set(iso, 22, t.posEntryMode());
    if (t.panSequence() != null) {
      codec.set(iso, 23, FieldText.zeroPadded(t.panSequence(), 3));
    }
    codec.set(iso, 32, t.acquirerId());
    codec.set(iso, 37, t.rrn());
    codec.set(iso, 41, t.terminalId());
    codec.set(iso, 42, t.merchantId());
    codec.set(iso, 49, FieldText.zeroPadded(t.amount().currency().numericCode(), 3));
    if (t.pinBlock() != null) {
      codec.set(iso, 52, t.pinBlock().value());
      if (t.pinBlock().ksn() != null) {
        codec.set(iso, 53, t.pinBlock().ksn());
      }
    }
    if (t.iccData() != null) {
      codec.set(iso, 55, t.iccData().value());
    }
  }

  private void putResponse(IsoMessage iso, CardResponse r) {
    codec.set(iso, 2, r.pan().digits());
    codec.set(iso, 3, r.processingCode());
    codec.set(iso, 4, FieldText.zeroPadded(r.amount().amountMinor(), 12));
    codec.set(iso, 7, r.transmittedAt().field7());
    codec.set(iso, 11, FieldText.zeroPadded(r.stan(), 6));
    codec.set(iso, 32, r.acquirerId());
    codec.set(iso, 37, r.rrn());
    putIfPresent(iso, 38, r.approvalCode());
    codec.set(iso, 39, r.responseCode().code());
    codec.set(iso, 41, r.terminalId());
    codec.set(iso, 42, r.merchantId());
    codec.set(iso, 49, FieldText.zeroPadded(r.amount().currency().numericCode(), 3));
    if (r.iccData() != null) {
      codec.set(iso, 55, r.iccData().value());
    }
    if (r.original() != null) {
      codec.set(iso, 90, r.original().field90());
    }
  }

  /** An account verification: a zero amount, no card; 100 names the bank, 103 the account. */
  private void putVerification(IsoMessage iso, MonthDayTime at, int stan, String acquirer, String rrn, String terminal,
      String institution, String account, CurrencyUnit currency) {
    codec.set(iso, 3, AccountVerificationRequest.PROCESSING_CODE);
    codec.set(iso, 4, FieldText.zeroPadded(0, 12));
    codec.set(iso, 7, at.field7());
    codec.set(iso, 11, FieldText.zeroPadded(stan, 6));
    codec.set(iso, 32, acquirer);
    codec.set(iso, 37, rrn);
    codec.set(iso, 41, terminal);
    codec.set(iso, 49, FieldText.zeroPadded(currency.numericCode(), 3));
    codec.set(iso, 100, institution);
    codec.set(iso, 103, account);
  }

  private void putNetwork(IsoMessage iso, NetworkCode code, MonthDayTime at, int stan, String institution, String node) {
    codec.set(iso, 7, at.field7());
    codec.set(iso, 11, FieldText.zeroPadded(stan, 6));
    codec.set(iso, 32, institution);
    codec.set(iso, 41, node);
    codec.set(iso, 70, code.code());
  }

  private void putIfPresent(IsoMessage iso, int field, String value) {
    if (value != null) {
      codec.set(iso, field, value);
    }
  }

  private static CardTransaction transaction(IsoMessage iso) {
    String field23 = optionalText(iso, 23);
    byte[] pin = optionalBytes(iso, 52);
    byte[] ksn = optionalBytes(iso, 53);
    if (ksn != null && pin == null) {
      throw new Iso8583Exception(FIELD_INVALID, "field 53 KSN without a field 52 PIN block");
    }
    byte[] icc = optionalBytes(iso, 55);
    return new CardTransaction(
        new Pan(text(iso, 2)),
        text(iso, 3),
        amount(iso),
        MonthDayTime.parseField7(text(iso, 7)),
        stan(iso),
        MonthDayTime.parse("fields 13/12", text(iso, 13), text(iso, 12)),
        expiry(text(iso, 14)),
        text(iso, 22),
        field23 == null ? null : FieldText.number("field 23", field23, 3),
        text(iso, 32),
        text(iso, 37),
        text(iso, 41),
        text(iso, 42),
        pin == null ? null : new PinBlock(pin, ksn),
        icc == null ? null : new IccData(icc));
  }

  private static CardResponse response(Mti mti, IsoMessage iso) {
    byte[] icc = optionalBytes(iso, 55);
    String field90 = optionalText(iso, 90);
    return new CardResponse(mti, new Pan(text(iso, 2)), text(iso, 3), amount(iso),
        MonthDayTime.parseField7(text(iso, 7)), stan(iso), text(iso, 32), text(iso, 37), optionalText(iso, 38),
        responseCode(iso), text(iso, 41), text(iso, 42), icc == null ? null : new IccData(icc),
        field90 == null ? null : OriginalData.parse(field90));
  }

  private static AccountVerificationRequest accountVerification(IsoMessage iso) {
    checkVerificationAmount(iso);
    return new AccountVerificationRequest(MonthDayTime.parseField7(text(iso, 7)), stan(iso), text(iso, 32),
        text(iso, 37), text(iso, 41), text(iso, 100), text(iso, 103), amount(iso).currency());
  }

  private static AccountVerificationResponse accountVerificationResponse(IsoMessage iso) {
    checkVerificationAmount(iso);
    return new AccountVerificationResponse(MonthDayTime.parseField7(text(iso, 7)), stan(iso), text(iso, 32),
        text(iso, 37), optionalText(iso, 38), responseCode(iso), text(iso, 41), text(iso, 100), text(iso, 103),
        amount(iso).currency());
  }

  /** Field 3 and a zero field 4: what makes an 0100 with field 103 an account verification. */
  private static void checkVerificationAmount(IsoMessage iso) {
    if (!AccountVerificationRequest.PROCESSING_CODE.equals(text(iso, 3)) || amount(iso).amountMinor() != 0) {
      throw new Iso8583Exception(FIELD_INVALID, "an account verification has processing code "
          + AccountVerificationRequest.PROCESSING_CODE + " and a zero field 4");
    }
  }

  private static Money amount(IsoMessage iso) {
    long minor = Long.parseLong(FieldText.digits("field 4 amount", text(iso, 4), 12));
    int currency = FieldText.number("field 49 currency", text(iso, 49), 3);
    return Money.ofMinor(minor, CurrencyUnit.ofNumeric(currency));
  }

  private static YearMonth expiry(String yymm) {
    FieldText.digits("field 14 expiry", yymm, 4);
    int month = Integer.parseInt(yymm.substring(2));
    if (month < 1 || month > 12) {
      throw new Iso8583Exception(FIELD_INVALID, "field 14 expiry month must be 01..12");
    }
    return YearMonth.of(2000 + Integer.parseInt(yymm.substring(0, 2)), month);
  }

  private static int stan(IsoMessage iso) {
    return FieldText.number("field 11 STAN", text(iso, 11), 6);
  }

  private static ResponseCode responseCode(IsoMessage iso) {
    String code = text(iso, 39);
    return ResponseCode.byCode(code)
        .orElseThrow(() -> new Iso8583Exception(FIELD_INVALID, "field 39 response code is not in the table"));
  }

  private static NetworkCode networkCode(IsoMessage iso) {
    return NetworkCode.byCode(text(iso, 70))
        .orElseThrow(() -> new Iso8583Exception(FIELD_INVALID, "field 70 network code is not in the table"));
  }

  private static String text(IsoMessage iso, int field) {
    String value = optionalText(iso, field);
    if (value == null) {
      throw new Iso8583Exception(FIELD_MISSING, "field " + field + " is required");
    }
    return value;
  }

  private static String optionalText(IsoMessage iso, int field) {
    Object value = iso.getObjectValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new Iso8583Exception(FIELD_INVALID, "field " + field + " is not text");
    }
    return text;
  }

  private static byte[] optionalBytes(IsoMessage iso, int field) {
    Object value = iso.getObjectValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof byte[] bytes)) {
      throw new Iso8583Exception(FIELD_INVALID, "field " + field + " is not binary");
    }
    return bytes;
  }

  private static BitSet fieldsOf(IsoMessage iso) {
    BitSet present = new BitSet(129);
    for (int field = 2; field <= 128; field++) {
      if (iso.hasField(field)) {
        present.set(field);
      }
    }
    return present;
  }
}
