package io.iotpay.card.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmokeTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void personalise(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    System.out.println(Hex.encode(card.select().getBytes()));
    System.out.println(Hex.encode(card.send("80CA9F7900").getBytes()));
    assertThat(card.send("80CA9F7900").getSW()).isEqualTo(0x9000);
  }
}
