package io.iotpay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PanTest {
  @Test
  void luhn_acceptsPublishedExample_andMasksInToString() {
    Pan pan = Pan.of("4111111111111111"); // the well-known Visa test PAN, Luhn-valid
    assertThat(pan.toString()).isEqualTo("411111******1111").doesNotContain("4111111111111111");
  }

  @Test
  void luhnCheckDigit_ofIsoExample_isThree() {
    // The Luhn worked example reproduced from ISO/IEC 7812-1 Annex B: account 7992739871 -> check digit 3.
    assertThat(Pan.luhnDigit("7992739871")).isEqualTo(3);
    assertThat(Pan.withCheckDigit("62284800000000").digits()).hasSize(15);
  }

  @Test
  void badPans_areRefusedWithTheReason() {
    assertThatThrownBy(() -> Pan.of("4111111111111112")).isInstanceOf(ProtocolException.class).hasMessageContaining("Luhn")
        .hasMessageNotContaining("4111111111111112");
    assertThatThrownBy(() -> Pan.of("41111")).hasMessageContaining("12..19");
    assertThatThrownBy(() -> Pan.of("41111111111x1111")).hasMessageContaining("position 11");
  }
}
