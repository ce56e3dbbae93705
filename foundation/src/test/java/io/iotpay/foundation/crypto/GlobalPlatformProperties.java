package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.Scp03.SecurityLevel;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Fuzz and property tests for SCP03 and key diversification, both suites. */
class GlobalPlatformProperties {
  private static Scp03.Session session(AlgorithmSuite suite, SecurityLevel level) {
    SecretKeyBytes key = new SecretKeyBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    var keys = Scp03.sessionKeys(suite, new Scp03.StaticKeys(key, key, key), new byte[8], new byte[8]);
    var session = new Scp03.Session(suite, keys, level);
    session.externalAuthenticate(new byte[8]);
    return session;
  }

  @Property(tries = 1000)
  void wrap_randomCommands_onlyTypedErrorEscapes(
      @ForAll AlgorithmSuite suite, @ForAll SecurityLevel level, @ForAll @Size(max = 300) byte[] command) {
    var session = session(suite, level);
    try {
      byte[] wrapped = session.wrap(command);
      // A wrapped command is a short APDU: header, Lc that counts what follows, and the MAC.
      assertThat(wrapped[0] & 0x04).isEqualTo(0x04);
      int lc = wrapped[4] & 0xFF;
      assertThat(wrapped.length).isIn(5 + lc, 6 + lc);
    } catch (CryptoException expected) {
      assertThat(expected.getMessage()).startsWith("SCP03");
    }
  }

  @Property(tries = 500)
  void unwrap_randomResponses_areRejectedWithTypedError(
      @ForAll AlgorithmSuite suite, @ForAll @Size(max = 300) byte[] response, @ForAll @IntRange(min = 0, max = 0xFFFF) int sw) {
    var session = session(suite, SecurityLevel.C_MAC_R_MAC);
    session.wrap(new byte[] {(byte) 0x80, (byte) 0xCA, 0x00, 0x66, 0x00});
    try {
      session.unwrapResponse(response, sw);
      // Only a forged 64-bit R-MAC would get here: about 2^-64 per try.
      assertThat(response.length).isGreaterThanOrEqualTo(Scp03.MAC_BYTES);
    } catch (CryptoException expected) {
      assertThat(expected.getMessage()).startsWith("SCP03");
    }
  }

  @Property(tries = 300)
  void hostWrap_thenCardUnwrap_givesTheCommandBack_andTheHostAcceptsTheCardsRMac(
      @ForAll AlgorithmSuite suite, @ForAll SecurityLevel level, @ForAll @Size(min = 1, max = 6) java.util.List<@Size(max = 231) byte[]> datas,
      @ForAll @Size(8) byte[] hostChallenge, @ForAll @Size(8) byte[] cardChallenge) {
    SecretKeyBytes key = new SecretKeyBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    var keys = Scp03.sessionKeys(suite, new Scp03.StaticKeys(key, key, key), hostChallenge, cardChallenge);
    var host = new Scp03.Session(suite, keys, level);
    byte[] externalAuthenticate = host.externalAuthenticate(Scp03.hostCryptogram(suite, keys.sMac(), hostChallenge, cardChallenge));
    var card = Scp03.CardSession.open(suite, keys, hostChallenge, cardChallenge, externalAuthenticate);
    for (byte[] data : datas) {
      byte[] plain = new byte[5 + data.length];
      plain[0] = (byte) 0x80;
      plain[1] = (byte) 0xE2;
      plain[4] = (byte) data.length;
      System.arraycopy(data, 0, plain, 5, data.length);
      byte[] command = data.length == 0 ? Arrays.copyOf(plain, 4) : plain;
      assertThat(card.unwrap(host.wrap(command))).isEqualTo(command);
      if (level == SecurityLevel.C_MAC_R_MAC || level == SecurityLevel.C_DECRYPTION_C_MAC_R_MAC) {
        assertThat(host.unwrapResponse(card.wrapResponse(data, 0x9000), 0x9000)).isEqualTo(data);
      }
    }
  }

  @Property(tries = 500)
  void cardUnwrap_randomCommands_onlyTypedErrorEscapes(
      @ForAll AlgorithmSuite suite, @ForAll @Size(max = 300) byte[] command) {
    SecretKeyBytes key = new SecretKeyBytes(new byte[16]);
    byte[] challenge = new byte[8];
    var keys = Scp03.sessionKeys(suite, new Scp03.StaticKeys(key, key, key), challenge, challenge);
    var host = new Scp03.Session(suite, keys, SecurityLevel.C_DECRYPTION_C_MAC);
    var card = Scp03.CardSession.open(
        suite, keys, challenge, challenge, host.externalAuthenticate(Scp03.hostCryptogram(suite, keys.sMac(), challenge, challenge)));
    try {
      card.unwrap(command);
      // Getting here means a forged 64-bit C-MAC: about 2^-64 per try.
      assertThat(command.length).isGreaterThanOrEqualTo(13);
    } catch (CryptoException expected) {
      assertThat(expected.getMessage()).startsWith("SCP03");
    }
  }

  @Property(tries = 200)
  void diversifiedKeys_differPerPurposeAndPerCard(
      @ForAll AlgorithmSuite suite, @ForAll KeyDiversification.Method method, @ForAll @Size(10) byte[] kdd) {
    SecretKeyBytes master = new SecretKeyBytes(new byte[16]);
    var keys = KeyDiversification.diversifyAll(suite, method, master, kdd);
    assertThat(keys.enc()).isNotEqualTo(keys.mac());
    assertThat(keys.mac()).isNotEqualTo(keys.dek());
    byte[] other = Arrays.copyOf(kdd, 10);
    other[5] ^= 0x01; // byte 5 is used by both methods
    assertThat(KeyDiversification.diversify(suite, method, master, other, KeyDiversification.KeyPurpose.ENC))
        .isNotEqualTo(keys.enc());
  }

  @Property(tries = 1000)
  void parse_randomFields_onlyTypedErrorEscapes(
      @ForAll AlgorithmSuite suite, @ForAll PutKey.Protocol protocol, @ForAll @Size(max = 200) byte[] field) {
    try {
      PutKey.Received received = PutKey.parse(suite, protocol, SecretKeyBytes.fromHex("404142434445464748494A4B4C4D4E4F"), field);
      // Only a random field whose every KCV matches (about 2^-24 per key) gets here.
      assertThat(received.keys()).hasSizeBetween(1, PutKey.KEYS_MAX);
    } catch (CryptoException expected) {
      assertThat(expected.getMessage()).startsWith("PUT KEY");
    }
  }
}
