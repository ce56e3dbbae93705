package io.iotpay.card.chip;

import static io.iotpay.card.chip.ChipFixture.expectSw;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** On-chip key generation and signatures, verified host-side with foundation's SignatureAlgorithm. */
class ChipSigningTest {

  private static final byte[] ORDER = "washer-0001 detergent 1x 1299 CNY".getBytes(
      StandardCharsets.US_ASCII);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void signMessage_signsCounterAndMessage_verifiableWithTheChipsPublicKey(AlgorithmSuite suite)
      throws Exception {
    ChipFixture chip = ChipFixture.personalised(suite);
    PublicKey key = chip.publicKey();
    for (int i = 1; i <= 3; i++) {
      byte[] response = chip.signMessage(ORDER);
      byte[] counter = Arrays.copyOf(response, 4);
      byte[] signature = Arrays.copyOfRange(response, 4, response.length);
      assertThat(counter).isEqualTo(new byte[] {0, 0, 0, (byte) i});
      byte[] signed = concat(counter, ORDER);
      assertThat(suite.signature().verify(key, signed, signature)).as("signature %d", i).isTrue();
      // The signature covers the counter: the same message under another counter does not verify.
      byte[] otherCounter = concat(new byte[] {0, 0, 0, (byte) (i + 1)}, ORDER);
      assertThat(suite.signature().verify(key, otherCounter, signature)).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keyPair_isGeneratedOnEachChip_soTwoChipsHaveDifferentKeys(AlgorithmSuite suite)
      throws Exception {
    ChipFixture first = ChipFixture.installed(suite);
    ChipFixture second = ChipFixture.installed(suite);
    byte[] point = first.publicPoint();
    assertThat(point).hasSize(65).startsWith(0x04);
    assertThat(point).isNotEqualTo(second.publicPoint());
    // The point decodes on the suite's curve (BouncyCastle rejects points off it).
    assertThat(first.publicKey().getAlgorithm()).isEqualTo("EC");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void signForPersonalisation_signsHostDataAsIs_onlyBeforeTheLock(AlgorithmSuite suite)
      throws Exception {
    ChipFixture chip = ChipFixture.installed(suite);
    byte[] requestInfo = ChipFixture.pattern(180, 9);
    byte[] signature = expectSw(chip.send(0x80, 0x2C, 0, 0, requestInfo), 0x9000).getData();
    assertThat(suite.signature().verify(chip.publicKey(), requestInfo, signature)).isTrue();
    // Signing payment messages needs the lock first.
    expectSw(chip.send(0x80, 0x2A, 0, 0, ORDER), 0x6986);

    chip.writeObjectFully(ChipApplet.OBJECT_CERTIFICATE, ChipFixture.pattern(10, 1));
    chip.writeObjectFully(ChipApplet.OBJECT_TRUST_ANCHOR, ChipFixture.pattern(10, 2));
    expectSw(chip.send(0x80, 0xF0, 0, 0, null), 0x9000);
    expectSw(chip.send(0x80, 0x2C, 0, 0, requestInfo), 0x6986);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void signMessage_ofMaximumLength_verifies_andOneMoreByteIsRefused(AlgorithmSuite suite)
      throws Exception {
    ChipFixture chip = ChipFixture.personalised(suite);
    byte[] longest = ChipFixture.pattern(ChipApplet.MESSAGE_MAX, 5);
    byte[] response = chip.signMessage(longest);
    assertThat(suite.signature().verify(chip.publicKey(),
        concat(Arrays.copyOf(response, 4), longest), Arrays.copyOfRange(response, 4,
            response.length))).isTrue();
    expectSw(chip.send(0x80, 0x2A, 0, 0, ChipFixture.pattern(ChipApplet.MESSAGE_MAX + 1, 5)),
        0x6700);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void signatures_neverReuseANonce_evenAcrossReselectAndPowerLoss(AlgorithmSuite suite) {
    // A repeated r on one key means a repeated k, which gives the private key away.
    ChipFixture chip = ChipFixture.personalised(suite);
    java.util.Set<String> rValues = new java.util.HashSet<>();
    for (int i = 0; i < 6; i++) {
      byte[] response = chip.signMessage(ORDER);
      byte[] signature = Arrays.copyOfRange(response, 4, response.length);
      org.bouncycastle.asn1.ASN1Sequence sequence =
          org.bouncycastle.asn1.ASN1Sequence.getInstance(signature);
      assertThat(rValues.add(sequence.getObjectAt(0).toString())).as("r #%d is new", i).isTrue();
      if (i == 2) {
        chip.select();
      } else if (i == 4) {
        chip.tear();
        chip.select();
      }
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
