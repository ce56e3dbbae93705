package io.iotpay.platform.access.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.ConnectTokens;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The connect-token parser on hostile input: only ConnectTokenException, never anything else. */
class ConnectTokenFuzzProperties {
  private static final Map<AlgorithmSuite, byte[]> VALID = new EnumMap<>(AlgorithmSuite.class);

  static {
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      VALID.put(suite, ConnectTokens.create(SoftwareDeviceSigner.generate("fuzz-device", suite, MqttFixture.RANDOM),
          Instant.parse("2026-11-22T10:00:00Z")));
    }
  }

  @Property(tries = 2000)
  void randomBytes_areRefusedWithATypedError(@ForAll @Size(max = 700) byte[] bytes) {
    assertParsesOrRefuses(bytes);
  }

  @Property(tries = 2000)
  void mutatedValidTokens_parseOrAreRefusedWithATypedError(
      @ForAll AlgorithmSuite suite, @ForAll @IntRange(min = 0, max = 200) int position, @ForAll byte value,
      @ForAll @IntRange(min = 0, max = 200) int cut, @ForAll("edits") String edit) {
    byte[] token = VALID.get(suite).clone();
    byte[] mutated = switch (edit) {
      case "flip" -> {
        token[position % token.length] = value;
        yield token;
      }
      case "truncate" -> Arrays.copyOf(token, cut % token.length);
      default -> {
        byte[] longer = Arrays.copyOf(token, token.length + 1 + cut);
        Arrays.fill(longer, token.length, longer.length, value);
        yield longer;
      }
    };
    assertParsesOrRefuses(mutated);
  }

  @Property(tries = 50)
  void validTokens_parseToTheirDeviceAndTime(@ForAll AlgorithmSuite suite) {
    ConnectToken token = ConnectToken.parse(VALID.get(suite));
    assertThat(token.deviceId().value()).isEqualTo("fuzz-device");
    assertThat(token.issuedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
  }

  @Property(tries = 50)
  void validTextTokens_parseLikeTheirBinaryForm(@ForAll AlgorithmSuite suite) {
    byte[] text = ConnectTokens.text(VALID.get(suite)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ConnectToken token = ConnectToken.parse(text);
    assertThat(token.deviceId().value()).isEqualTo("fuzz-device");
    assertThat(token.issuedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
  }

  @Property(tries = 2000)
  void randomAndMutatedTextTokens_parseOrAreRefusedWithATypedError(
      @ForAll AlgorithmSuite suite, @ForAll @IntRange(min = 0, max = 400) int position,
      @ForAll @IntRange(min = 0, max = 63) int letter, @ForAll @IntRange(min = 0, max = 900) int cut) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    StringBuilder text = new StringBuilder(ConnectTokens.text(VALID.get(suite)));
    text.setCharAt(position % text.length(), alphabet.charAt(letter));
    assertParsesOrRefuses(text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertParsesOrRefuses(text.substring(0, cut % text.length()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    // Longer than any text token may be: refused before decoding.
    assertParsesOrRefuses(String.valueOf(alphabet.charAt(letter)).repeat(ConnectToken.TOKEN_TEXT_CHARS_MAX + 1 + cut)
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Provide
  Arbitrary<String> edits() {
    return Arbitraries.of("flip", "truncate", "extend");
  }

  private static void assertParsesOrRefuses(byte[] bytes) {
    try {
      ConnectToken token = ConnectToken.parse(bytes);
      assertThat(token.deviceId()).isNotNull();
      assertThat(bytes.length).isLessThanOrEqualTo(Math.max(ConnectToken.TOKEN_BYTES_MAX, ConnectToken.TOKEN_TEXT_CHARS_MAX));
    } catch (ConnectTokenException e) {
      assertThat(e.reason()).isNotNull();
    }
  }
}
