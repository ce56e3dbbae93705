package io.iotpay.protocol.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Fields 52 (16-byte format 4 PIN block) and 53 (DUKPT KSN), docs/pin-and-dukpt.md "On the wire". */
class PinFieldsTest {
  private static final Iso8583Wire WIRE = Iso8583Wire.load();
  private static final String BLOCK = "A912150391AB65A67E52883D81CE2D15";
  private static final String KSN = "123456789012345600000001";

  private static CardTransaction with(PinBlock pin) {
    CardTransaction t = Samples.transaction(42, "TERM0001");
    return new CardTransaction(t.pan(), t.processingCode(), t.amount(), t.transmittedAt(), t.stan(), t.localTime(),
        t.expiry(), t.posEntryMode(), t.panSequence(), t.acquirerId(), t.rrn(), t.terminalId(), t.merchantId(), pin,
        t.iccData());
  }

  @Test
  void field52And53_travelAsHexText_andRoundTrip() {
    AuthorisationRequest request = new AuthorisationRequest(with(new PinBlock(Hex.decode(BLOCK), Hex.decode(KSN))));
    byte[] bytes = WIRE.write(request);
    String text = new String(bytes, 20, bytes.length - 20, StandardCharsets.ISO_8859_1);
    assertThat(text).contains(BLOCK + KSN);
    PinBlock read = ((AuthorisationRequest) WIRE.read(bytes).message()).transaction().pinBlock();
    assertThat(read.value()).isEqualTo(Hex.decode(BLOCK));
    assertThat(read.ksn()).isEqualTo(Hex.decode(KSN));
  }

  @Test
  void aTranslatedBlock_hasNoField53() {
    AuthorisationRequest request = new AuthorisationRequest(with(new PinBlock(Hex.decode(BLOCK))));
    byte[] bytes = WIRE.write(request);
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain(KSN);
    assertThat(((AuthorisationRequest) WIRE.read(bytes).message()).transaction().pinBlock().ksn()).isNull();
  }

  @Test
  void wrongLengths_areRefusedNamingTheField() {
    assertThatThrownBy(() -> new PinBlock(new byte[8])).isInstanceOf(Iso8583Exception.class)
        .hasMessageContaining("field 52");
    assertThatThrownBy(() -> new PinBlock(new byte[16], new byte[10])).isInstanceOf(Iso8583Exception.class)
        .hasMessageContaining("field 53");
  }

  @Test
  void aKsnWithoutAPinBlock_isRefused() {
    byte[] withBoth = WIRE.write(new AuthorisationRequest(with(new PinBlock(Hex.decode(BLOCK), Hex.decode(KSN)))));
    // Clear bit 52 in the primary bitmap and cut the block's 32 hex characters: 53 alone is left.
    byte[] bytes = withBoth.clone();
    int bitmapByte = 4 + (52 - 1) / 8;
    bytes[bitmapByte] &= (byte) ~(0x80 >>> ((52 - 1) % 8));
    String text = new String(bytes, StandardCharsets.ISO_8859_1).replace(BLOCK + KSN, KSN);
    byte[] cut = text.getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> WIRE.read(cut)).isInstanceOf(Iso8583Exception.class);
  }

  @Test
  void toString_showsNothingOfTheBlockOrKsn() {
    String text = new PinBlock(Hex.decode(BLOCK), Hex.decode(KSN)).toString();
    assertThat(text).doesNotContain(BLOCK).doesNotContain(KSN).doesNotContain("A912");
  }
}
