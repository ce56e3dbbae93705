package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CryptoProperties {
  record CipherCase(BlockCipherAlgorithm cipher, CipherMode mode, byte[] key, byte[] iv, byte[] data) {}

  @Provide
  Arbitrary<CipherCase> cipherCases() {
    Arbitrary<BlockCipherAlgorithm> ciphers = Arbitraries.of(BlockCipherAlgorithm.class);
    return ciphers.flatMap(cipher -> {
      Arbitrary<Integer> keyLengths = cipher == BlockCipherAlgorithm.AES ? Arbitraries.of(16, 24, 32) : Arbitraries.just(16);
      int block = cipher.blockSizeBytes();
      return Combinators.combine(
              Arbitraries.of(CipherMode.class),
              keyLengths.flatMap(length -> Arbitraries.bytes().array(byte[].class).ofSize(length)),
              Arbitraries.bytes().array(byte[].class).ofSize(block),
              Arbitraries.integers().between(0, 6).flatMap(blocks -> Arbitraries.bytes().array(byte[].class).ofSize(blocks * block)))
          .as((mode, key, iv, data) -> new CipherCase(cipher, mode, key, mode == CipherMode.CBC ? iv : null, data));
    });
  }

  @Property(tries = 200)
  void decryptOfEncrypt_isIdentity(@ForAll("cipherCases") CipherCase c) {
    SecretKeyBytes key = new SecretKeyBytes(c.key());
    byte[] encrypted = c.cipher().encrypt(c.mode(), key, c.iv(), c.data());
    assertThat(c.cipher().decrypt(c.mode(), key, c.iv(), encrypted)).isEqualTo(c.data());
  }

  record MacCase(MacAlgorithm algorithm, MacPadding padding, byte[] key, byte[] data) {}

  @Provide
  Arbitrary<MacCase> macCases() {
    return Arbitraries.of(MacAlgorithm.class).flatMap(algorithm -> {
      Arbitrary<Integer> keyLengths = algorithm == MacAlgorithm.ISO9797_1_M1 ? Arbitraries.of(8, 16) : Arbitraries.just(16);
      Arbitrary<MacPadding> paddings = algorithm.takesPadding() ? Arbitraries.of(MacPadding.class) : Arbitraries.just(null);
      return Combinators.combine(
              paddings,
              keyLengths.flatMap(length -> Arbitraries.bytes().array(byte[].class).ofSize(length)),
              Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(70))
          .as((padding, key, data) -> new MacCase(algorithm, padding, key, data));
    });
  }

  @Property(tries = 300)
  void mac_failsAfterAnyOneBitChange_ofKeyDataOrMac(
      @ForAll("macCases") MacCase c, @ForAll @IntRange(min = 0, max = 2) int what, @ForAll @IntRange(min = 0, max = 10_000) int bitSeed) {
    SecretKeyBytes key = new SecretKeyBytes(c.key());
    byte[] mac = c.algorithm().mac(key, c.data(), c.padding());
    assertThat(c.algorithm().verify(key, c.data(), mac, c.padding())).isTrue();
    switch (what) {
      case 0 -> {
        byte[] data = flip(c.data(), bitSeed);
        // Method-1 zero padding cannot tell a trailing zero byte from padding; a flip of a bit
        // changes a byte's value, never the length, so the MAC must change.
        assertThat(c.algorithm().verify(key, data, mac, c.padding())).isFalse();
      }
      case 1 -> {
        byte[] flipped = flip(c.key(), bitSeed);
        boolean desParityBit = c.algorithm() == MacAlgorithm.ISO9797_1_M1 || c.algorithm() == MacAlgorithm.ISO9797_1_M3;
        if (desParityBit && bitIndex(c.key(), bitSeed) % 8 == 7) {
          // DES ignores the low (parity) bit of each key byte: that flip changes nothing, by design.
          assertThat(c.algorithm().verify(new SecretKeyBytes(flipped), c.data(), mac, c.padding())).isTrue();
        } else {
          assertThat(c.algorithm().verify(new SecretKeyBytes(flipped), c.data(), mac, c.padding())).isFalse();
        }
      }
      default -> assertThat(c.algorithm().verify(key, c.data(), flip(mac, bitSeed), c.padding())).isFalse();
    }
  }

  @Property(tries = 20)
  void signature_failsAfterAnyOneBitChange_ofDataOrSignature(
      @ForAll AlgorithmSuite suite, @ForAll @Size(min = 1, max = 64) byte[] data, @ForAll @IntRange(min = 0, max = 10_000) int bitSeed) {
    KeyPair keys = suite.signature().generateKeyPair(new SecureRandom());
    byte[] signature = suite.signature().sign(keys.getPrivate(), data);
    assertThat(suite.signature().verify(keys.getPublic(), data, signature)).isTrue();
    assertThat(suite.signature().verify(keys.getPublic(), flip(data, bitSeed), signature)).isFalse();
    assertThat(suite.signature().verify(keys.getPublic(), data, flip(signature, bitSeed))).isFalse();
    KeyPair other = suite.signature().generateKeyPair(new SecureRandom());
    assertThat(suite.signature().verify(other.getPublic(), data, signature)).isFalse();
  }

  @Property(tries = 20)
  void signature_failsAfterOneBitChangeOfThePrivateKey(
      @ForAll AlgorithmSuite suite, @ForAll @IntRange(min = 0, max = 254) int bit) throws Exception {
    KeyPair keys = suite.signature().generateKeyPair(new SecureRandom());
    var original = (java.security.interfaces.ECPrivateKey) keys.getPrivate();
    java.math.BigInteger flipped = original.getS().flipBit(bit);
    net.jqwik.api.Assume.that(flipped.signum() > 0); // a zero scalar is not a key
    var changed = java.security.KeyFactory.getInstance("EC", Providers.BC)
        .generatePrivate(new java.security.spec.ECPrivateKeySpec(flipped, original.getParams()));
    byte[] data = "one bit".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(suite.signature().verify(keys.getPublic(), data, suite.signature().sign(changed, data))).isFalse();
  }

  @Property(tries = 50)
  void suiteMacs_failAfterOneBitChange_underBothSuites(
      @ForAll AlgorithmSuite suite, @ForAll @Size(min = 16, max = 16) byte[] keyBytes, @ForAll @Size(max = 40) byte[] data,
      @ForAll @IntRange(min = 0, max = 10_000) int bitSeed) {
    SecretKeyBytes key = new SecretKeyBytes(keyBytes);
    for (MacAlgorithm algorithm : new MacAlgorithm[] {suite.mac(), suite.cardMac()}) {
      byte[] mac = algorithm.mac(key, data, null);
      assertThat(algorithm.verify(key, data, flip(mac, bitSeed), null)).isFalse();
    }
  }

  private static int bitIndex(byte[] bytes, int seed) {
    return seed % (bytes.length * 8);
  }

  private static byte[] flip(byte[] bytes, int seed) {
    byte[] out = Arrays.copyOf(bytes, bytes.length);
    int bit = bitIndex(bytes, seed);
    out[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    return out;
  }
}
