package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

/**
 * Field 90 (original data elements, n42) of a reversal: which request it undoes.
 *
 * @param mti the original request's type (0100 or 0200)
 * @param stan the original field 11
 * @param transmittedAt the original field 7
 * @param acquirerId the original field 32, 1..11 digits
 * @param forwardingId the forwarding institution, 1..11 digits ("0" when none)
 */
public record OriginalData(Mti mti, int stan, MonthDayTime transmittedAt, String acquirerId, String forwardingId) {
  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID */
  public OriginalData {
    CardTransaction.required("field 90 original MTI", mti);
    if (mti != Mti.AUTHORISATION_REQUEST && mti != Mti.FINANCIAL_REQUEST) {
      throw new Iso8583Exception(FIELD_INVALID, "field 90 original MTI must be 0100 or 0200");
    }
    CardTransaction.checkStan(stan);
    CardTransaction.required("field 90 original date-time", transmittedAt);
    FieldText.digitsUpTo("field 90 acquirer id", acquirerId, 11);
    FieldText.digitsUpTo("field 90 forwarding id", forwardingId, 11);
  }

  /** The reversal's pointer to {@code original}. */
  public static OriginalData of(Mti mti, CardTransaction original) {
    return new OriginalData(mti, original.stan(), original.transmittedAt(), original.acquirerId(), "0");
  }

  /** The 42 digits: MTI(4) STAN(6) date-time(10) acquirer(11) forwarder(11), ids right-justified with zeros. */
  public String field90() {
    return mti.code() + FieldText.zeroPadded(stan, 6) + transmittedAt.field7()
        + FieldText.zeroPadded(Long.parseLong(acquirerId), 11) + FieldText.zeroPadded(Long.parseLong(forwardingId), 11);
  }

  /** Parses the 42 digits. */
  public static OriginalData parse(String field90) {
    FieldText.digits("field 90", field90, 42);
    int mtiNumber = Integer.parseInt(field90.substring(0, 4), 16);
    Mti mti;
    try {
      mti = Mti.byTypeNumber(mtiNumber);
    } catch (Iso8583Exception e) {
      throw new Iso8583Exception(FIELD_INVALID, "field 90 original MTI is not one of ours", e);
    }
    return new OriginalData(mti, Integer.parseInt(field90.substring(4, 10)),
        MonthDayTime.parseField7(field90.substring(10, 20)),
        Long.toString(Long.parseLong(field90.substring(20, 31))),
        Long.toString(Long.parseLong(field90.substring(31, 42))));
  }
}
