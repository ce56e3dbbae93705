package io.iotpay.phone.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.Dukpt;
import io.iotpay.foundation.crypto.PinBlock.ClearPin;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.PinBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PhonePinPadTest {
  /** The ANSI X9.24-3-2017 Annex B test BDK and initial key ID (as DukptTest cites them). */
  private static final SecretKeyBytes BDK = SecretKeyBytes.fromHex("FEDCBA9876543210F1F1F1F1F1F1F1F1");
  private static final byte[] IK_ID = Hex.decode("1234567890123456");
  private static final Pan PAN = Pan.withCheckDigit("621234567890123");
  private static final Money AMOUNT = Money.ofMinor(50_000, CurrencyUnit.CNY);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void eachPin_isAFormat4BlockUnderTheNextDukptPinKey_thatTheHostDerivesFromTheBdk(AlgorithmSuite suite) {
    List<char[]> typed = new ArrayList<>();
    PhonePinPad pad = PhonePinPad.load(suite, Dukpt.initialKey(suite, BDK, IK_ID), IK_ID, amount -> {
      char[] digits = "246810".toCharArray();
      typed.add(digits);
      return Optional.of(digits);
    });
    for (long counter = 1; counter <= 3; counter++) {
      PinBlock block = pad.enterOnlinePin(AMOUNT, PAN).orElseThrow();
      Dukpt.Ksn ksn = Dukpt.Ksn.parse(block.ksn());
      assertThat(ksn.counter()).isEqualTo(counter);
      SecretKeyBytes hostKey = Dukpt.workingKey(suite, BDK, ksn, Dukpt.KeyUsage.PIN_ENCRYPTION,
          PhonePinPad.pinKeyType(suite));
      try (ClearPin pin = io.iotpay.foundation.crypto.PinBlock.decipherFormat4(suite, hostKey, block.value(),
          PAN.digits()); ClearPin expected = ClearPin.fromChars("246810".toCharArray())) {
        assertThat(pin.matches(expected)).isTrue();
      }
    }
    assertThat(typed).allSatisfy(buffer -> assertThat(new String(buffer)).isEqualTo("\0".repeat(6)));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aBypass_isEmpty_andABadPin_isRefusedWithoutItsDigits(AlgorithmSuite suite) {
    PhonePinPad bypassed = PhonePinPad.load(suite, Dukpt.initialKey(suite, BDK, IK_ID), IK_ID, amount -> Optional.empty());
    assertThat(bypassed.enterOnlinePin(AMOUNT, PAN)).isEmpty();
    PhonePinPad tooShort = PhonePinPad.load(suite, Dukpt.initialKey(suite, BDK, IK_ID), IK_ID,
        amount -> Optional.of("987".toCharArray()));
    assertThatThrownBy(() -> tooShort.enterOnlinePin(AMOUNT, PAN)).isInstanceOf(CryptoException.class)
        .hasMessageNotContaining("987");
  }
}
