package io.iotpay.card.chip;

import static io.iotpay.card.chip.ChipFixture.expectSw;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.BigIntegers;

/**
 * The platform's side of a chip session, computed with BouncyCastle only: an ephemeral key on
 * the suite's curve, ECDH with the chip's public key, the documented KDF (ANSI X9.63 / SEC 1
 * section 3.6.1 with SHA-256, or the GB/T 32918.4 KDF with SM3: the same construction, BouncyCastle's
 * KDF2BytesGenerator), CBC with padding method 2 and CMAC.
 */
final class HostSession {

  final AlgorithmSuite suite;
  final byte[] encKey;
  final byte[] macKey;
  final byte[] ephemeralPoint;
  final byte[] confirmation;
  private int platformSequence;

  private HostSession(AlgorithmSuite suite, byte[] keys, byte[] ephemeralPoint,
      byte[] confirmation) {
    this.suite = suite;
    encKey = Arrays.copyOf(keys, 16);
    macKey = Arrays.copyOfRange(keys, 16, 32);
    this.ephemeralPoint = ephemeralPoint;
    this.confirmation = confirmation;
  }

  static ECDomainParameters domain(AlgorithmSuite suite) {
    X9ECParameters curve = ECNamedCurveTable.getByName(suite.curveName());
    return new ECDomainParameters(curve);
  }

  /** Opens a session on the chip and checks its confirmation tag. */
  static HostSession open(ChipFixture chip) {
    ECDomainParameters domain = domain(chip.suite);
    BigInteger ephemeral = BigIntegers.createRandomInRange(BigInteger.ONE,
        domain.getN().subtract(BigInteger.ONE), new SecureRandom());
    byte[] point = domain.getG().multiply(ephemeral).normalize().getEncoded(false);
    byte[] chipPoint = chip.publicPoint();
    byte[] keys = deriveKeys(chip.suite, ephemeral, chipPoint, chip.deviceId);
    byte[] confirmation = expectSw(chip.send(0x80, 0x86, 0, 0, point), 0x9000).getData();
    HostSession session = new HostSession(chip.suite, keys, point, confirmation);
    assertThat(confirmation).as("key confirmation").isEqualTo(
        Arrays.copyOf(session.cmac(point), 8));
    return session;
  }

  static byte[] deriveKeys(AlgorithmSuite suite, BigInteger ephemeral, byte[] chipPoint,
      byte[] deviceId) {
    ECDomainParameters domain = domain(suite);
    ECDHBasicAgreement agreement = new ECDHBasicAgreement();
    agreement.init(new ECPrivateKeyParameters(ephemeral, domain));
    BigInteger z = agreement.calculateAgreement(
        new ECPublicKeyParameters(domain.getCurve().decodePoint(chipPoint), domain));
    Digest digest = suite == AlgorithmSuite.INTERNATIONAL ? new SHA256Digest() : new SM3Digest();
    KDF2BytesGenerator kdf = new KDF2BytesGenerator(digest);
    kdf.init(new KDFParameters(BigIntegers.asUnsignedByteArray(32, z), deviceId));
    byte[] keys = new byte[32];
    kdf.generateBytes(keys, 0, 32);
    return keys;
  }

  private BlockCipher engine() {
    return suite == AlgorithmSuite.INTERNATIONAL ? AESEngine.newInstance() : new SM4Engine();
  }

  byte[] cmac(byte[] data) {
    CMac mac = new CMac(engine());
    mac.init(new KeyParameter(macKey));
    mac.update(data, 0, data.length);
    byte[] out = new byte[16];
    mac.doFinal(out, 0);
    return out;
  }

  byte[] iv(int direction, int sequence) {
    byte[] block = new byte[16];
    block[0] = (byte) direction;
    block[14] = (byte) (sequence >> 8);
    block[15] = (byte) sequence;
    BlockCipher cipher = engine();
    cipher.init(true, new KeyParameter(encKey));
    byte[] out = new byte[16];
    cipher.processBlock(block, 0, out, 0);
    return out;
  }

  private byte[] cbc(boolean encrypt, byte[] iv, byte[] in) {
    PaddedBufferedBlockCipher cbc = new PaddedBufferedBlockCipher(
        CBCBlockCipher.newInstance(engine()), new ISO7816d4Padding());
    cbc.init(encrypt, new ParametersWithIV(new KeyParameter(encKey), iv));
    byte[] out = new byte[cbc.getOutputSize(in.length)];
    int n = cbc.processBytes(in, 0, in.length, out, 0);
    try {
      n += cbc.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("chip ciphertext has bad padding", e);
    }
    return Arrays.copyOf(out, n);
  }

  /** A platform→chip message: seq || ciphertext || tag. */
  byte[] protect(byte[] plaintext) {
    platformSequence++;
    return protect(plaintext, platformSequence);
  }

  byte[] protect(byte[] plaintext, int sequence) {
    byte[] ct = cbc(true, iv(ChipApplet.DIRECTION_PLATFORM_TO_CARD, sequence), plaintext);
    byte[] macInput = new byte[3 + ct.length];
    macInput[0] = ChipApplet.DIRECTION_PLATFORM_TO_CARD;
    macInput[1] = (byte) (sequence >> 8);
    macInput[2] = (byte) sequence;
    System.arraycopy(ct, 0, macInput, 3, ct.length);
    byte[] out = Arrays.copyOfRange(macInput, 1, macInput.length + 8);
    System.arraycopy(cmac(macInput), 0, out, macInput.length - 1, 8);
    return out;
  }

  /**
   * Checks and opens a chip→platform message seq || ciphertext || tag.
   *
   * @return the plaintext, or null if the tag is wrong
   */
  byte[] open(byte[] message) {
    int sequence = ((message[0] & 0xFF) << 8) | (message[1] & 0xFF);
    byte[] macInput = new byte[message.length - 8 + 1];
    macInput[0] = ChipApplet.DIRECTION_CARD_TO_PLATFORM;
    System.arraycopy(message, 0, macInput, 1, message.length - 8);
    byte[] tag = Arrays.copyOfRange(message, message.length - 8, message.length);
    if (!java.security.MessageDigest.isEqual(tag, Arrays.copyOf(cmac(macInput), 8))) {
      return null;
    }
    byte[] ct = Arrays.copyOfRange(message, 2, message.length - 8);
    return cbc(false, iv(ChipApplet.DIRECTION_CARD_TO_PLATFORM, sequence), ct);
  }
}
