package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagTest {
  @Test
  void parse_emvTags_giveTheirBytesAndKind() {
    // EMV Book 3 Annex B: 9F02 is two bytes (9F = context class, primitive, 1F continuation).
    Tag amount = Tag.parse("9F02");
    assertThat(amount.value()).isEqualTo(0x9F02);
    assertThat(amount.byteCount()).isEqualTo(2);
    assertThat(amount.isConstructed()).isFalse();
    assertThat(amount.tagClass()).isEqualTo(Tag.TagClass.CONTEXT_SPECIFIC);
    assertThat(amount.bytes()).containsExactly(0x9F, 0x02);

    Tag fci = Tag.parse("6f");
    assertThat(fci.isConstructed()).isTrue();
    assertThat(fci.tagClass()).isEqualTo(Tag.TagClass.APPLICATION);
    assertThat(Tag.parse("BF0C").isConstructed()).isTrue();
    assertThat(Tag.parse("DF60").tagClass()).isEqualTo(Tag.TagClass.PRIVATE);
    assertThat(Tag.parse("DF8101").byteCount()).isEqualTo(3);
    assertThat(Tag.parse("80").isConstructed()).isFalse();
  }

  @Test
  void toString_isUpperCaseHex() {
    assertThat(Tag.of(0xbf0c)).hasToString("BF0C");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00, 0x1F, 0x9F, 0x5F81, 0x9F8182, 0x5A01, 0x9F80, 0x1000000})
  void of_malformedTag_isRejectedWithTypedError(int value) {
    assertThatThrownBy(() -> Tag.of(value)).isInstanceOf(TlvException.class).hasMessageStartingWith("tlv: tag ");
  }

  @Test
  void parse_badText_isRejectedWithTypedError() {
    assertThatThrownBy(() -> Tag.parse("")).isInstanceOf(TlvException.class);
    assertThatThrownBy(() -> Tag.parse("9F8181")).isInstanceOf(TlvException.class);
    assertThatThrownBy(() -> Tag.parse("DF818181")).isInstanceOf(TlvException.class).hasMessageContaining("1..3 bytes");
    assertThatThrownBy(() -> Tag.parse("005A")).isInstanceOf(TlvException.class).hasMessageContaining("leading zero");
    assertThatThrownBy(() -> Tag.parse("9G")).isInstanceOf(CodecException.class).hasMessageContaining("position 1");
  }
}
