package io.iotpay.protocol.cose;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.cose.CoseException.Reason;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * COSE_Encrypt0 (RFC 9052 §5.2) with AES-128-GCM (INTERNATIONAL, alg 1) or SM4-GCM (NATIONAL,
 * private-use alg): 96-bit random IV in the unprotected header, 128-bit tag appended to the
 * ciphertext, Enc_structure as additional data.
 */
public final class PayloadCipher {
  /** Payload key length, bytes (AES-128 or SM4). */
  public static final int KEY_BYTES = 16;
  /** IV length, bytes (the 96-bit GCM nonce). */
  public static final int IV_BYTES = 12;
  /** GCM tag length, bits. */
  public static final int TAG_BITS = 128;

  private PayloadCipher() {}

  /**
   * Encrypts {@code plaintext} into a tagged COSE_Encrypt0 under a fresh random IV.
   *
   * @param suite selects AES-128-GCM or SM4-GCM; never null
   * @param key the payload key; a null or wrong-length key is refused
   * @param plaintext never null
   * @param externalAad bound into the Enc_structure, not sent; never null
   * @param random source of the IV; never null
   * @return the COSE_Encrypt0; never null
   * @throws CoseException NO_PAYLOAD_KEY when {@code key} is null or not {@value #KEY_BYTES} bytes
   */
  public static byte[] encrypt(AlgorithmSuite suite, SecretKeyBytes key, byte[] plaintext, byte[] externalAad, SecureRandom random) {
    checkKey(key);
    byte[] protectedBytes = new CborWriter().map(1).integer(Cose.LABEL_ALG).integer(Cose.contentAlg(suite)).toByteArray();
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] ciphertext = gcm(suite, true, key, iv, Cose.encryptionAad(protectedBytes, externalAad), plaintext);
    return new CborWriter().tag(Cose.TAG_ENCRYPT0).array(3)
        .bytes(protectedBytes).map(1).integer(Cose.LABEL_IV).bytes(iv).bytes(ciphertext).toByteArray();
  }

  /**
   * Decrypts a tagged COSE_Encrypt0 produced by {@link #encrypt}.
   *
   * @param suite the expected suite; never null
   * @param key the payload key; a null or wrong-length key is refused
   * @param encrypt0 the encoded COSE_Encrypt0; never null
   * @param externalAad the same external AAD as at encryption; never null
   * @return the plaintext; never null
   * @throws CoseException NO_PAYLOAD_KEY for a null or wrong-length key, MALFORMED for a bad structure, SUITE_MISMATCH for another suite's
   *     algorithm, DECRYPTION_FAILED when the tag does not verify
   */
  public static byte[] decrypt(AlgorithmSuite suite, SecretKeyBytes key, byte[] encrypt0, byte[] externalAad) {
    checkKey(key);
    CborReader reader = new CborReader(encrypt0, "COSE_Encrypt0");
    if (reader.readTag() != Cose.TAG_ENCRYPT0 || reader.readArrayHeader() != 3) {
      throw new CoseException(Reason.MALFORMED, "COSE_Encrypt0: expected tag 16 and an array of 3");
    }
    byte[] protectedBytes = reader.readBytes();
    byte[] iv = readIv(reader);
    byte[] ciphertext = reader.readBytes();
    reader.expectEnd();
    long alg = readAlg(protectedBytes);
    if (alg != Cose.contentAlg(suite)) {
      throw new CoseException(Reason.SUITE_MISMATCH, "COSE_Encrypt0 alg " + alg + " is not " + suite + "'s " + Cose.contentAlg(suite));
    }
    return gcm(suite, false, key, iv, Cose.encryptionAad(protectedBytes, externalAad), ciphertext);
  }

  private static byte[] readIv(CborReader reader) {
    if (reader.readMapHeader() != 1 || reader.readInteger() != Cose.LABEL_IV) {
      throw new CoseException(Reason.MALFORMED, "COSE_Encrypt0: unprotected header must be {5: IV}");
    }
    byte[] iv = reader.readBytes();
    if (iv.length != IV_BYTES) {
      throw new CoseException(Reason.MALFORMED, "COSE_Encrypt0: IV is " + iv.length + " bytes, expected " + IV_BYTES);
    }
    return iv;
  }

  private static long readAlg(byte[] protectedBytes) {
    CborReader header = new CborReader(protectedBytes, "COSE_Encrypt0 protected header");
    if (header.readMapHeader() != 1 || header.readInteger() != Cose.LABEL_ALG) {
      throw new CoseException(Reason.MALFORMED, "COSE_Encrypt0: protected header must be {1: alg}");
    }
    long alg = header.readInteger();
    header.expectEnd();
    return alg;
  }

  private static byte[] gcm(AlgorithmSuite suite, boolean encrypt, SecretKeyBytes key, byte[] iv, byte[] aad, byte[] input) {
    GCMModeCipher cipher = GCMBlockCipher.newInstance(suite.blockCipher().newEngine());
    cipher.init(encrypt, new AEADParameters(new KeyParameter(key.value()), TAG_BITS, iv, aad));
    byte[] output = new byte[cipher.getOutputSize(input.length)];
    int length = cipher.processBytes(input, 0, input.length, output, 0);
    try {
      length += cipher.doFinal(output, length);
    } catch (InvalidCipherTextException e) {
      throw new CoseException(Reason.DECRYPTION_FAILED, "payload tag does not verify (wrong key or tampered ciphertext)", e);
    }
    return length == output.length ? output : Arrays.copyOf(output, length);
  }

  private static void checkKey(SecretKeyBytes key) {
    if (key == null || key.lengthBytes() != KEY_BYTES) {
      throw new CoseException(Reason.NO_PAYLOAD_KEY, "payload key must be " + KEY_BYTES + " bytes");
    }
  }
}
