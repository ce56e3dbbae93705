package io.iotpay.acquirer.pos.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The attestation token parser on random and mutated bytes: a token or {@link InvalidInputException}, nothing else. */
class AttestationTokenFuzzProperties {

  /** A well-formed token: counter 7, terminal 12345678, fields, a 70-byte DER-shaped signature. */
  static byte[] token(int latitude, int longitude) {
    ByteBuffer b = ByteBuffer.allocate(AttestationToken.SIGNED_BYTES + 70);
    b.putInt(7).put("12345678".getBytes(StandardCharsets.US_ASCII)).put((byte) 1);
    byte[] digest = new byte[32];
    Arrays.fill(digest, (byte) 0xD1);
    b.put(digest).put((byte) 0).put((byte) 1).put((byte) 2);
    byte[] nonce = new byte[16];
    Arrays.fill(nonce, (byte) 0x4E);
    b.put(nonce).putInt(latitude).putInt(longitude);
    byte[] signature = new byte[70];
    signature[0] = 0x30;
    signature[1] = 68;
    b.put(signature);
    return b.array();
  }

  @Test
  void wellFormedToken_parsesEveryField_andBadOnesNameTheirFault() {
    AttestationToken t = AttestationToken.parse(token(31_230_400, -121_473_700));
    assertThat(t.counter()).isEqualTo(7);
    assertThat(t.terminalId()).isEqualTo("12345678");
    assertThat(t.sdkMajor()).isEqualTo(1);
    assertThat(t.sdkMinor()).isEqualTo(2);
    assertThat(t.latitudeMicro()).isEqualTo(31_230_400);
    assertThat(t.longitudeMicro()).isEqualTo(-121_473_700);
    assertThat(t.signed()).hasSize(AttestationToken.SIGNED_BYTES);
    assertThat(t.signature()).hasSize(70);
    assertThatThrownBy(() -> AttestationToken.parse(token(90_000_001, 0))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("location");
    byte[] version = token(0, 0);
    version[12] = 2;
    assertThatThrownBy(() -> AttestationToken.parse(version)).hasMessageContaining("version");
    byte[] terminal = token(0, 0);
    terminal[5] = 'x';
    assertThatThrownBy(() -> AttestationToken.parse(terminal)).hasMessageContaining("terminal id");
    assertThatThrownBy(() -> AttestationToken.parse(Arrays.copyOf(token(0, 0), AttestationToken.BYTES_MAX + 1)))
        .hasMessageContaining("bytes");
  }

  @Property(tries = 3000)
  void randomBytes_tokenOrTypedError(@ForAll @Size(max = 200) byte[] bytes) {
    parse(bytes);
  }

  @Property(tries = 3000)
  void mutatedToken_tokenOrTypedError(@ForAll("mutated") byte[] bytes) {
    parse(bytes);
  }

  @Property(tries = 500)
  void truncatedToken_tokenOrTypedError(@ForAll @IntRange(min = 0, max = 141) int length) {
    parse(Arrays.copyOf(token(1, 1), length));
  }

  private static void parse(byte[] bytes) {
    try {
      AttestationToken t = AttestationToken.parse(bytes);
      assertThat(t.signed()).hasSize(AttestationToken.SIGNED_BYTES);
      assertThat(t.nonce()).hasSize(AttestationToken.NONCE_BYTES);
    } catch (InvalidInputException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    byte[] seed = token(1_000, 2_000);
    return Arbitraries.integers().between(0, seed.length - 1).list().ofMinSize(1).ofMaxSize(6)
        .flatMap(positions -> Arbitraries.bytes().array(byte[].class).ofSize(positions.size()).map(values -> {
          byte[] copy = seed.clone();
          for (int i = 0; i < positions.size(); i++) {
            copy[positions.get(i)] = values[i];
          }
          return copy;
        }));
  }

  @Test
  void distance_shanghaiToBeijing_isAbout1067km() {
    // People's Square, Shanghai (31.2304 N, 121.4737 E) to Tiananmen, Beijing (39.9042 N, 116.4074 E):
    // the haversine great-circle distance on a 6,371 km sphere, recomputed by hand with the same formula.
    double km = TerminalRiskService.distanceKm(31_230_400, 121_473_700, 39_904_200, 116_407_400);
    assertThat(km).isBetween(1_060.0, 1_075.0);
    assertThat(TerminalRiskService.distanceKm(1, 2, 1, 2)).isZero();
  }
}
