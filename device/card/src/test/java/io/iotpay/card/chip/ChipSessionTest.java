package io.iotpay.card.chip;

import static io.iotpay.card.chip.ChipFixture.expectSw;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ECDH session keys and payload protection, checked against BouncyCastle ({@link HostSession}). */
class ChipSessionTest {

  private static final byte[] SECRET = "PIN-less mandate token 7f3a".getBytes(
      StandardCharsets.US_ASCII);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openSession_derivesTheKeysTheHostComputes(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite, InspectableChipApplet.class);
    HostSession host = HostSession.open(chip);
    byte[] cardKeys = InspectableChipApplet.last.sessionKeyBytes();
    assertThat(Arrays.copyOf(cardKeys, 16)).isEqualTo(host.encKey);
    assertThat(Arrays.copyOfRange(cardKeys, 16, 32)).isEqualTo(host.macKey);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void encrypt_producesWhatTheHostOpens_withIncreasingSequenceNumbers(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    HostSession host = HostSession.open(chip);
    for (int length : new int[] {0, 1, 15, 16, 17, ChipApplet.PLAINTEXT_MAX}) {
      byte[] plaintext = ChipFixture.pattern(length, length);
      byte[] message = expectSw(chip.send(0x80, 0x42, 0, 0, plaintext), 0x9000).getData();
      assertThat(host.open(message)).as("length %d", length).isEqualTo(plaintext);
    }
    byte[] first = expectSw(chip.send(0x80, 0x42, 0, 0, SECRET), 0x9000).getData();
    byte[] second = expectSw(chip.send(0x80, 0x42, 0, 0, SECRET), 0x9000).getData();
    assertThat(first[1] + 1).isEqualTo(second[1]);
    assertThat(Arrays.copyOfRange(first, 2, first.length - 8))
        .as("same plaintext, fresh IV").isNotEqualTo(Arrays.copyOfRange(second, 2, second.length - 8));
    byte[] tampered = first.clone();
    tampered[5] ^= 1;
    assertThat(host.open(tampered)).isNull();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void decrypt_opensWhatTheHostProtects_andRefusesReplayAndTampering(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    HostSession host = HostSession.open(chip);
    byte[] message = host.protect(SECRET);
    assertThat(expectSw(chip.send(0x80, 0x44, 0, 0, message), 0x9000).getData()).isEqualTo(SECRET);
    // The same message again: its sequence number is not above the last one.
    expectSw(chip.send(0x80, 0x44, 0, 0, message), 0x6982);
    byte[] next = host.protect(SECRET);
    byte[] badTag = next.clone();
    badTag[badTag.length - 1] ^= 1;
    expectSw(chip.send(0x80, 0x44, 0, 0, badTag), 0x6988);
    byte[] badCiphertext = next.clone();
    badCiphertext[3] ^= 1;
    expectSw(chip.send(0x80, 0x44, 0, 0, badCiphertext), 0x6988);
    // A refused message does not advance the window: the genuine one still opens.
    assertThat(expectSw(chip.send(0x80, 0x44, 0, 0, next), 0x9000).getData()).isEqualTo(SECRET);
    // Wrong lengths: no whole block, or longer than the buffer allows.
    expectSw(chip.send(0x80, 0x44, 0, 0, Arrays.copyOf(next, next.length - 1)), 0x6700);
    expectSw(chip.send(0x80, 0x44, 0, 0, new byte[2 + 224 + 8]), 0x6700);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void session_isGoneAfterReselect_andEachOpeningGivesNewKeys(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    expectSw(chip.send(0x80, 0x42, 0, 0, SECRET), 0x6985);
    HostSession first = HostSession.open(chip);
    chip.select();
    expectSw(chip.send(0x80, 0x42, 0, 0, SECRET), 0x6985);
    expectSw(chip.send(0x80, 0x44, 0, 0, first.protect(SECRET)), 0x6985);
    HostSession second = HostSession.open(chip);
    assertThat(second.encKey).isNotEqualTo(first.encKey);
    // A message protected under the old session's keys fails under the new one.
    expectSw(chip.send(0x80, 0x44, 0, 0, first.protect(SECRET, 1)), 0x6988);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openSession_refusesPointsNotOnTheCurve(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    byte[] point = HostSession.domain(suite).getG().getEncoded(false);
    byte[] offCurve = point.clone();
    offCurve[64] ^= 1;
    expectSw(chip.send(0x80, 0x86, 0, 0, offCurve), 0x6A80);
    byte[] compressed = point.clone();
    compressed[0] = 0x02;
    expectSw(chip.send(0x80, 0x86, 0, 0, compressed), 0x6A80);
    byte[] xTooBig = point.clone();
    Arrays.fill(xTooBig, 1, 33, (byte) 0xFF);
    expectSw(chip.send(0x80, 0x86, 0, 0, xTooBig), 0x6A80);
    expectSw(chip.send(0x80, 0x86, 0, 0, Arrays.copyOf(point, 33)), 0x6700);
    // The other suite's generator is a valid point, but not on this chip's curve.
    AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL
        : AlgorithmSuite.INTERNATIONAL;
    expectSw(chip.send(0x80, 0x86, 0, 0, HostSession.domain(other).getG().getEncoded(false)),
        0x6A80);
    expectSw(chip.send(0x80, 0x42, 0, 0, SECRET), 0x6985);
  }
}
