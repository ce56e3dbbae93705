package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ApduProperties {
  @Property(tries = 2000)
  void parseOfEncode_isIdentity_forEveryCase(@ForAll("commands") CommandApdu apdu) {
    assertThat(CommandApdu.parse(apdu.encode())).isEqualTo(apdu);
  }

  @Property(tries = 500)
  void responseParseOfEncode_isIdentity(
      @ForAll @Size(max = 300) byte[] data,
      @ForAll @IntRange(min = 0x61, max = 0x9F) int sw1,
      @ForAll @IntRange(max = 0xFF) int sw2) {
    if (sw1 > 0x6F && sw1 < 0x90) {
      return;
    }
    ResponseApdu response = new ResponseApdu(data, (sw1 << 8) | sw2);
    assertThat(ResponseApdu.parse(response.encode())).isEqualTo(response);
  }

  @Property(tries = 3000)
  void parse_ofRandomBytes_givesApduOrApduException(@ForAll @Size(max = 300) byte[] bytes) {
    try {
      CommandApdu apdu = CommandApdu.parse(bytes);
      assertThat(apdu.nc()).isLessThanOrEqualTo(bytes.length);
    } catch (ApduException expected) {
      assertThat(expected.getMessage()).startsWith("apdu: ");
    }
    try {
      ResponseApdu.parse(bytes);
    } catch (ApduException expected) {
      assertThat(expected.getMessage()).startsWith("apdu: ");
    }
  }

  @Property(tries = 2000)
  void parse_ofMutatedValidCommand_givesApduOrApduException(
      @ForAll("commands") CommandApdu apdu, @ForAll @IntRange(max = 10_000) int where, @ForAll byte value,
      @ForAll boolean truncate) {
    byte[] bytes = apdu.encode();
    int at = where % bytes.length;
    if (truncate) {
      bytes = java.util.Arrays.copyOf(bytes, at);
    } else {
      bytes[at] = value;
    }
    try {
      CommandApdu.parse(bytes);
    } catch (ApduException expected) {
      assertThat(expected.getMessage()).startsWith("apdu: ");
    }
  }

  @Provide
  Arbitrary<CommandApdu> commands() {
    Arbitrary<Integer> header = Arbitraries.integers().between(0, 0xFF);
    Arbitrary<byte[]> data = Arbitraries.oneOf(
        Arbitraries.just(new byte[0]),
        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(255),
        Arbitraries.bytes().array(byte[].class).ofMinSize(256).ofMaxSize(700));
    Arbitrary<Integer> ne = Arbitraries.oneOf(
        Arbitraries.just(0),
        Arbitraries.integers().between(1, 256),
        Arbitraries.integers().between(257, CommandApdu.NE_MAX),
        Arbitraries.of(256, 65_536));
    return Combinators.combine(header.filter(cla -> cla != 0xFF), header, header, header, data, ne)
        .as(CommandApdu::new);
  }
}
