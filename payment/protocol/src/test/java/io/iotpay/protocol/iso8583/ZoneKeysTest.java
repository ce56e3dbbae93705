package io.iotpay.protocol.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ZoneKeysTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void wrappedKey_unwrapsUnderTheSameZmk_toTheSameKey(AlgorithmSuite suite) {
    SecretKeyBytes zak = ZoneKeys.newZak();
    KeyExchange exchange = Samples.zoneKeys(suite).wrap(zak);
    assertThat(Samples.zoneKeys(suite).unwrap(KeyExchange.parse(exchange.field48()))).isEqualTo(zak);
    assertThat(exchange.toString()).doesNotContain(exchange.field48().substring(0, 32));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void wrappedKey_underAnotherZmk_failsItsCheckValue(AlgorithmSuite suite) {
    KeyExchange exchange = Samples.zoneKeys(suite).wrap(ZoneKeys.newZak());
    ZoneKeys other = new ZoneKeys(suite, ZoneKeys.newZak(), ZoneKeys.newZak(), 0);
    assertThatThrownBy(() -> other.unwrap(exchange)).isInstanceOfSatisfying(Iso8583Exception.class,
        e -> assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.KEY_INVALID));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void afterAChange_thePreviousKeyIsAcceptedForItsGraceOnly(AlgorithmSuite suite) {
    ZoneKeys keys = Samples.zoneKeys(suite); // 30 s grace
    ZoneKeys.Generation first = keys.current();
    ZoneKeys.Generation second = keys.install(ZoneKeys.newZak(), 1_000);
    assertThat(keys.current()).isEqualTo(second);
    assertThat(second.number()).isEqualTo(2);
    assertThat(keys.acceptable(30_999)).containsExactly(second, first);
    assertThat(keys.acceptable(31_000)).containsExactly(second);
    assertThat(keys.toString()).doesNotContain("00112233");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keysOfTheWrongLength_areRefused(AlgorithmSuite suite) {
    assertThatThrownBy(() -> new ZoneKeys(suite, SecretKeyBytes.fromHex("0011223344556677"), ZoneKeys.newZak(), 0))
        .isInstanceOf(Iso8583Exception.class);
  }
}
