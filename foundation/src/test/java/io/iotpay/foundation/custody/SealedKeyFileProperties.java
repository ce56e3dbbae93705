package io.iotpay.foundation.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Fuzzing the sealed file: random and mutated bytes meet only the typed exception. */
class SealedKeyFileProperties {
  private static final byte[] MASTER_INTERNATIONAL = new byte[32];
  private static final byte[] MASTER_NATIONAL = new byte[16];

  private static byte[] master(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.INTERNATIONAL ? MASTER_INTERNATIONAL : MASTER_NATIONAL;
  }

  private static byte[] validFile(AlgorithmSuite suite) {
    List<SealedKeyFile.Entry> entries = List.of(
        new SealedKeyFile.Entry(new KeyRef("zone-mac", 1, suite, KeyUsage.ZONE_MAC), false,
            Instant.parse("2026-12-07T00:00:00Z").toEpochMilli(), new byte[16], new byte[0]),
        new SealedKeyFile.Entry(new KeyRef("zone-mac", 2, suite, KeyUsage.ZONE_MAC), true, 1L, new byte[16], new byte[0]));
    return SealedKeyFile.seal(suite, master(suite), entries, new SecureRandom());
  }

  @Property(tries = 300)
  void randomFiles_areRefusedTyped(@ForAll AlgorithmSuite suite, @ForAll @Size(max = 400) byte[] file) {
    assertThatThrownBy(() -> SealedKeyFile.open(suite, master(suite), file)).isInstanceOf(KeyCustodyException.class);
  }

  @Property(tries = 300)
  void mutatedFiles_areRefusedTyped(@ForAll AlgorithmSuite suite, @ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    byte[] file = validFile(suite);
    file[position % file.length] ^= (byte) flip;
    assertThatThrownBy(() -> SealedKeyFile.open(suite, master(suite), file)).isInstanceOf(KeyCustodyException.class);
  }

  @Property(tries = 300)
  void randomBodies_decodeOrFailTyped(@ForAll("bodies") byte[] body) {
    // The body parser behind the tag: reached only with the master key, still bounded and typed.
    try {
      assertThat(SealedKeyFile.decodeBody(body).size()).isLessThanOrEqualTo(CustodyCore.KEYS_MAX);
    } catch (KeyCustodyException e) {
      assertThat(e.reason()).isEqualTo(KeyCustodyException.Reason.TAMPERED);
    }
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    // Small counts first so that some bodies get past the count into the records.
    Arbitrary<byte[]> head = Arbitraries.of(new byte[] {0, 1}, new byte[] {0, 2}, new byte[] {(byte) 0xFF, (byte) 0xFF});
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200).flatMap(tail -> head.map(h -> concat(h, tail)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Property(tries = 20)
  void validFiles_openToTheirEntries(@ForAll AlgorithmSuite suite) {
    List<SealedKeyFile.Entry> entries = SealedKeyFile.open(suite, master(suite), validFile(suite));

    assertThat(entries).extracting(SealedKeyFile.Entry::ref)
        .containsExactly(new KeyRef("zone-mac", 1, suite, KeyUsage.ZONE_MAC), new KeyRef("zone-mac", 2, suite, KeyUsage.ZONE_MAC));
    assertThat(entries.get(1).retired()).isTrue();
  }
}
