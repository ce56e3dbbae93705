package io.iotpay.protocol.iso8583;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;

/** Messages and keys the ISO 8583 tests share. */
final class Samples {
  private Samples() {}

  static final Pan PAN = Pan.withCheckDigit("621234567890123");
  static final MonthDayTime AT = new MonthDayTime(MonthDay.of(12, 6), LocalTime.of(23, 55, 1));
  /** An ARQC-bearing field 55: 9F26 (ARQC), 9F36 (ATC), 95 (TVR). */
  static final IccData ICC = new IccData(Hex.decode("9F2608A1B2C3D4E5F60718" + "9F360200 2A".replace(" ", "") + "95050000000000"));

  static CardTransaction transaction(int stan, String terminalId) {
    return new CardTransaction(PAN, "000000", Money.ofMinor(12_345, CurrencyUnit.CNY), AT, stan, AT,
        YearMonth.of(2029, 12), "071", 1, "48020000", "RRN" + String.format("%09d", stan), terminalId,
        "MERCHANT0000001", new PinBlock(Hex.decode("0123456789ABCDEF0123456789ABCDEF"), Hex.decode("FFFF987654321000000000A1")), ICC);
  }

  static AuthorisationRequest authorisation(int stan) {
    return new AuthorisationRequest(transaction(stan, "TERM0001"));
  }

  /** Fixed test keys (16 bytes each); fine for both suites' ciphers. */
  static ZoneKeys zoneKeys(AlgorithmSuite suite) {
    return new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA9876543210"),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF"), 30_000);
  }
}
