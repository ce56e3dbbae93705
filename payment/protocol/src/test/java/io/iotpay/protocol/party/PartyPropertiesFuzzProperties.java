package io.iotpay.protocol.party;

import io.iotpay.foundation.InvalidInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random bytes and mutated config lines: the reader returns or refuses with its typed exception, nothing else. */
class PartyPropertiesFuzzProperties {
  @Property(tries = 500)
  void randomBytesParseOrAreRefused(@ForAll("bytes") byte[] bytes) {
    try {
      PartyProperties p = PartyProperties.parse("fuzz", bytes);
      p.onlyKeys(key -> true);
    } catch (InvalidInputException expected) {
      // refused with a message, as it should
    }
  }

  @Property(tries = 500)
  void mutatedConfigurationsParseOrAreRefused(@ForAll("lines") String text) {
    try {
      PartyProperties p = PartyProperties.parse("fuzz", text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (p.has("listen")) {
        p.address("listen");
      }
      if (p.has("n")) {
        p.number("n", 0, 1000);
      }
      if (p.has("ids")) {
        p.ids("ids");
      }
      if (p.has("suite")) {
        p.suite("suite");
      }
      if (p.has("k")) {
        p.key("k", 16);
      }
    } catch (InvalidInputException expected) {
      // refused with a message, as it should
    }
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
  }

  @Provide
  Arbitrary<String> lines() {
    Arbitrary<String> key = Arbitraries.of("listen", "n", "ids", "suite", "k", "x y", "", "#c");
    Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("127.0.0.1:1", "[::1]:65535", "h:99999", "5", "-1",
        "99999999999999999999", "A,B", "A,,B", "NATIONAL", "00112233445566778899AABBCCDDEEFF"),
        Arbitraries.strings().ofMaxLength(40));
    Arbitrary<String> line = net.jqwik.api.Combinators.combine(key, Arbitraries.of("=", " = ", "", "=="), value)
        .as((k, eq, v) -> k + eq + v);
    return line.list().ofMaxSize(8).map(l -> String.join("\n", l));
  }
}
