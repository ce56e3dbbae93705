package io.iotpay.protocol.cose;

import static org.assertj.core.api.Assertions.assertThat;

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
    byte[] message = new byte[bytes.length + 2];
    message[0] = (byte) 0xD2; // tag 18
    message[1] = (byte) 0x84; // array of 4
    System.arraycopy(bytes, 0, message, 2, bytes.length);
    try {
      SignedMessage parsed = SignedMessage.parse(message);
      assertThat(parsed.kid()).isNotEmpty();
    } catch (CoseException e) {
      assertThat(e.reason()).isEqualTo(CoseException.Reason.MALFORMED);
      assertThat(e.getMessage()).isEqualTo("MALFORMED: " + e.detail());
    }
  }
}
