package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.Dukpt.KeyType;
import io.iotpay.foundation.crypto.Dukpt.KeyUsage;
import io.iotpay.foundation.crypto.PinBlock.ClearPin;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Property and fuzz tests for PIN blocks and DUKPT, both suites. */
class PinAndDukptProperties {
  private static final byte[] IKID = {0x12, 0x34, 0x56, 0x78, (byte) 0x90, 0x12, 0x34, 0x56};

  @Provide
  Arbitrary<String> pins() {
    return Arbitraries.strings().numeric().ofMinLength(4).ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> pans() {
    return Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(19);
  }

  /** Counters the standard uses: not zero, at most 16 one-bits. */
  @Provide
  Arbitrary<Long> counters() {
    return Arbitraries.longs().between(1, Dukpt.COUNTER_MAX).filter(c -> Long.bitCount(c) <= Dukpt.COUNTER_ONE_BITS_MAX);
  }

  @Property(tries = 300)
  void format4_decipherOfEncipher_isThePin(
      @ForAll AlgorithmSuite suite, @ForAll("pins") String digits, @ForAll("pans") String pan,
      @ForAll @Size(16) byte[] keyBytes, @ForAll @Size(8) byte[] fill) {
    SecretKeyBytes key = new SecretKeyBytes(keyBytes);
    try (ClearPin pin = ClearPin.fromChars(digits.toCharArray())) {
      byte[] block = PinBlock.encipherFormat4(suite, key, pin, pan, fill);
      try (ClearPin back = PinBlock.decipherFormat4(suite, key, block, pan)) {
        assertThat(back.matches(pin)).isTrue();
        assertThat(new String(back.toChars())).isEqualTo(digits);
      }
    }
  }

  @Property(tries = 1000)
  void format4_randomBlocks_onlyTypedErrorEscapes(
      @ForAll AlgorithmSuite suite, @ForAll @Size(max = 40) byte[] block, @ForAll("pans") String pan) {
    SecretKeyBytes key = new SecretKeyBytes(new byte[16]);
    try (ClearPin pin = PinBlock.decipherFormat4(suite, key, block, pan)) {
      // A random block deciphers validly with probability about 2^-40; then it must be well formed.
      assertThat(pin.length()).isBetween(PinBlock.PIN_DIGITS_MIN, PinBlock.PIN_DIGITS_MAX);
    } catch (CryptoException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 300)
  void format4_anyOneBitFlip_failsVerification(
      @ForAll AlgorithmSuite suite, @ForAll("pins") String digits, @ForAll @IntRange(min = 0, max = 127) int bit) {
    SecretKeyBytes key = new SecretKeyBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    try (ClearPin pin = ClearPin.fromChars(digits.toCharArray())) {
      byte[] block = PinBlock.encipherFormat4(suite, key, pin, "4111111111111111", new byte[8]);
      block[bit / 8] ^= (byte) (1 << (bit % 8));
      // A flipped bit scrambles the whole field: verification fails (never an exception).
      assertThat(PinBlock.verifyFormat4(suite, key, block, "4111111111111111", pin)).isFalse();
    }
  }

  @Property(tries = 100)
  void dukpt_hostDerivation_equalsDeviceDerivation(
      @ForAll AlgorithmSuite suite, @ForAll @Size(16) byte[] bdkBytes, @ForAll @IntRange(min = 1, max = 400) int transactions) {
    // The device walks its state machine; at a random point the host, knowing only the BDK and the
    // KSN, must derive the very same working keys.
    KeyType type = suite == AlgorithmSuite.NATIONAL ? KeyType.SM4_128 : KeyType.AES_128;
    SecretKeyBytes bdk = new SecretKeyBytes(bdkBytes);
    Dukpt.Device device = Dukpt.Device.load(suite, Dukpt.initialKey(suite, bdk, IKID), IKID);
    for (int i = 1; i < transactions; i++) {
      device.begin().close();
    }
    try (Dukpt.Transaction tx = device.begin()) {
      for (KeyUsage usage : new KeyUsage[] {KeyUsage.PIN_ENCRYPTION, KeyUsage.MAC_GENERATION, KeyUsage.DATA_ENCRYPTION_ENCRYPT}) {
        assertThat(tx.workingKey(usage, type)).isEqualTo(Dukpt.workingKey(suite, bdk, tx.ksn(), usage, type));
      }
    }
  }

  @Property(tries = 100)
  void dukpt_deviceResumedAtARandomCounter_keepsEqualingTheHost(
      @ForAll AlgorithmSuite suite, @ForAll("counters") long counter, @ForAll @IntRange(min = 1, max = 40) int transactions) {
    // Anywhere in the 32-bit counter space: after the resume point every key comes from the
    // device's own register filling and skipping, and must still equal the host's derivation.
    KeyType type = suite == AlgorithmSuite.NATIONAL ? KeyType.SM4_128 : KeyType.AES_128;
    SecretKeyBytes bdk = new SecretKeyBytes(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6});
    SecretKeyBytes ik = Dukpt.initialKey(suite, bdk, IKID);
    Dukpt.Device device = Dukpt.Device.resumeAt(suite, ik, IKID, counter);
    for (int i = 0; i < transactions && !device.isExhausted(); i++) {
      try (Dukpt.Transaction tx = device.begin()) {
        assertThat(tx.ksn().isValid()).isTrue();
        assertThat(tx.workingKey(KeyUsage.PIN_ENCRYPTION, type))
            .isEqualTo(Dukpt.workingKeyFromInitialKey(suite, ik, tx.ksn(), KeyUsage.PIN_ENCRYPTION, type));
      }
    }
  }

  @Property(tries = 200)
  void dukpt_hostDerivation_isDeterministic_andDistinctPerCounter(
      @ForAll AlgorithmSuite suite, @ForAll("counters") long counter) {
    KeyType type = suite == AlgorithmSuite.NATIONAL ? KeyType.SM4_128 : KeyType.AES_128;
    SecretKeyBytes bdk = new SecretKeyBytes(new byte[16]);
    SecretKeyBytes key = Dukpt.workingKey(suite, bdk, new Dukpt.Ksn(IKID, counter), KeyUsage.PIN_ENCRYPTION, type);
    assertThat(Dukpt.workingKey(suite, bdk, new Dukpt.Ksn(IKID, counter), KeyUsage.PIN_ENCRYPTION, type)).isEqualTo(key);
    long other = counter == 1 ? 2 : 1;
    assertThat(Dukpt.workingKey(suite, bdk, new Dukpt.Ksn(IKID, other), KeyUsage.PIN_ENCRYPTION, type)).isNotEqualTo(key);
  }

  @Property(tries = 500)
  void ksn_parse_onlyTypedErrorEscapes(@ForAll @Size(max = 20) byte[] wire) {
    try {
      Dukpt.Ksn ksn = Dukpt.Ksn.parse(wire);
      assertThat(ksn.bytes()).isEqualTo(wire);
    } catch (CryptoException expected) {
      assertThat(wire.length).isNotEqualTo(Dukpt.KSN_BYTES);
    }
  }
}
