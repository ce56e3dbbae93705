package io.iotpay.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.InvalidInputException;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdTest {
  @ParameterizedTest
  @ValueSource(strings = {"washer-1", "washer-0001", "acme.meter_7", "A", "z9", "node_a.rack-3", "-", "_"})
  void acceptsLettersDigitsDotsUnderscoresAndHyphens(String text) {
    Assume.that(!text.equals(".") && !text.equals(".."));
    assertThat(DeviceId.of(text).value()).isEqualTo(text);
    assertThat(new DeviceId(text)).isEqualTo(DeviceId.of(text));
    assertThat(DeviceId.of(text).toString()).isEqualTo(text);
  }

  @Test
  void acceptsUpTo64Characters() {
    assertThat(DeviceId.of("a".repeat(DeviceId.LENGTH_MAX)).value()).hasSize(64);
  }

  @Test
  void refusesMissingAndTooLong_sayingWhy() {
    assertThatThrownBy(() -> DeviceId.of("")).isInstanceOf(DeviceIdException.class).hasMessageContaining("missing");
    assertThatThrownBy(() -> DeviceId.of(null)).isInstanceOf(DeviceIdException.class).hasMessageContaining("missing");
    assertThatThrownBy(() -> DeviceId.of("a".repeat(65))).isInstanceOf(DeviceIdException.class).hasMessageContaining("65");
  }

  @Test
  void refusesOtherCharacters_namingTheCharacterAndItsPosition() {
    // '/', '+' and '#' would change the meaning of an MQTT topic; ':' separates the id in payment ids.
    assertThatThrownBy(() -> DeviceId.of("dev/1")).isInstanceOf(DeviceIdException.class).hasMessageContaining("'/' at position 3");
    assertThatThrownBy(() -> DeviceId.of("dev+")).isInstanceOf(DeviceIdException.class).hasMessageContaining("'+' at position 3");
    assertThatThrownBy(() -> DeviceId.of("#dev")).isInstanceOf(DeviceIdException.class).hasMessageContaining("'#' at position 0");
    assertThatThrownBy(() -> DeviceId.of("car:1")).isInstanceOf(DeviceIdException.class).hasMessageContaining("':' at position 3");
    assertThatThrownBy(() -> DeviceId.of("car 1")).isInstanceOf(DeviceIdException.class).hasMessageContaining("' ' at position 3");
    assertThatThrownBy(() -> DeviceId.of("café")).isInstanceOf(DeviceIdException.class).hasMessageContaining("U+00E9 at position 3");
    // A control character is named by code point, so the message stays one clean log line.
    assertThatThrownBy(() -> DeviceId.of("a\nb")).isInstanceOf(DeviceIdException.class).hasMessageContaining("U+000A at position 1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void refusesDotSegments_whichCoapUrisCannotCarry() {
    assertThatThrownBy(() -> DeviceId.of(".")).isInstanceOf(DeviceIdException.class).hasMessageContaining("dot-segment");
    assertThatThrownBy(() -> DeviceId.of("..")).isInstanceOf(DeviceIdException.class).hasMessageContaining("dot-segment");
    assertThat(DeviceId.of("...").value()).isEqualTo("...");
  }

  @Test
  void refusalIsTheTypedBadInputTheEdgesMap() {
    assertThatThrownBy(() -> DeviceId.of("x/y")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void ordersByValue() {
    List<DeviceId> sorted = List.of(DeviceId.of("b"), DeviceId.of("a.2"), DeviceId.of("a_1"), DeviceId.of("A")).stream().sorted().toList();
    assertThat(sorted).extracting(DeviceId::value).isEqualTo(List.of("b", "a.2", "a_1", "A").stream().sorted().toList());
    assertThat(DeviceId.of("car-1").compareTo(DeviceId.of("car-1"))).isZero();
  }

  @Property(tries = 300)
  void anyStringIsEitherAValidIdOrATypedRefusal(@ForAll @StringLength(max = 80) String text) {
    boolean valid = text.matches("[A-Za-z0-9._-]{1,64}") && !text.equals(".") && !text.equals("..");
    if (valid) {
      Assume.that(!text.equals(".") && !text.equals(".."));
    assertThat(DeviceId.of(text).value()).isEqualTo(text);
    } else {
      assertThatThrownBy(() -> DeviceId.of(text)).isInstanceOf(DeviceIdException.class).hasMessageContaining("device id");
    }
  }

  @Property(tries = 200)
  void idsOverTheWholeAlphabet_areAccepted(@ForAll @StringLength(min = 1, max = 64) @Chars({'.', '_', '-'})
      @AlphaChars @NumericChars String text) {
    Assume.that(!text.equals(".") && !text.equals(".."));
    assertThat(DeviceId.of(text).value()).isEqualTo(text);
  }
}
