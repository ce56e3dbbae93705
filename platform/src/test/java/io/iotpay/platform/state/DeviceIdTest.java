package io.iotpay.platform.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class DeviceIdTest {
  @Test
  void acceptsLettersDigitsAndHyphens_upTo64() {
    assertThat(DeviceId.of("washer-1").value()).isEqualTo("washer-1");
    assertThat(DeviceId.of("a".repeat(64)).value()).hasSize(64);
  }

  @Test
  void refusesEmptyTooLongAndOtherCharacters_sayingWhere() {
    assertThatThrownBy(() -> DeviceId.of("")).isInstanceOf(StateInputException.class).hasMessageContaining("missing");
    assertThatThrownBy(() -> DeviceId.of(null)).isInstanceOf(StateInputException.class);
    assertThatThrownBy(() -> DeviceId.of("a".repeat(65))).isInstanceOf(StateInputException.class).hasMessageContaining("65");
    assertThatThrownBy(() -> DeviceId.of("dev/1")).isInstanceOf(StateInputException.class).hasMessageContaining("'/' at position 3");
    assertThatThrownBy(() -> DeviceId.of("dev#")).isInstanceOf(StateInputException.class);
  }

  @Property(tries = 200)
  void anyStringIsEitherAValidIdOrATypedRefusal(@ForAll @StringLength(max = 80) String text) {
    boolean valid = text.matches("[A-Za-z0-9-]{1,64}");
    if (valid) {
      assertThat(DeviceId.of(text).value()).isEqualTo(text);
    } else {
      assertThatThrownBy(() -> DeviceId.of(text)).isInstanceOf(StateInputException.class);
    }
  }
}
