package io.iotpay.protocol.cose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * The reader on arbitrary bytes: skipping one item either ends inside the input or is refused with
 * a MALFORMED {@link CoseException}; parsing a COSE_Sign1 is likewise only ever refused typed.
 */
class CborReaderFuzzProperties {
  @Property(tries = 500)
  void skip_onArbitraryBytes_endsOrRefusesTyped(@ForAll @Size(max = 200) byte[] bytes) {
    CborReader reader = new CborReader(bytes, "fuzz");
    try {
      reader.skip();
      assertThat(reader.position()).isBetween(1, bytes.length);
    } catch (CoseException e) {
      assertThat(e.reason()).isEqualTo(CoseException.Reason.MALFORMED);
    }
  }

  @Property(tries = 300)
  void signedMessageParse_onBytesBehindASign1Head_parsesOrRefusesTyped(@ForAll @Size(max = 300) byte[] bytes) {
    // 0xD2 = tag 18 (COSE_Sign1), 0x84 = array of 4.
    byte[] message = ByteBuffer.allocate(bytes.length + 2).put((byte) 0xD2).put((byte) 0x84).put(bytes).array();
    try {
      SignedMessage parsed = SignedMessage.parse(message);
      assertThat(parsed.kid()).isNotEmpty();
    } catch (CoseException e) {
      assertThat(e.reason()).isEqualTo(CoseException.Reason.MALFORMED);
      assertThat(e.getMessage()).isEqualTo("MALFORMED: " + e.detail());
    }
  }
}
