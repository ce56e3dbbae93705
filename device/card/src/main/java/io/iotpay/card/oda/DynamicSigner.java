package io.iotpay.card.oda;

import io.iotpay.card.chip.Curves;
import io.iotpay.card.chip.EcSigner;
import io.iotpay.card.chip.Sm3Digest;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.ECPrivateKey;
import javacard.security.ECPublicKey;
import javacard.security.KeyBuilder;
import javacard.security.KeyPair;
import javacard.security.MessageDigest;
import javacard.security.RSAPrivateCrtKey;
import javacard.security.RSAPublicKey;
import javacard.security.RandomData;
import javacardx.crypto.Cipher;

/**
 * The card's fast dynamic data authentication signature (fDDA, EMV Book C-3 / qVSDC version 01),
 * for an applet to embed. It holds the card's ODA key pair, born on the card by
 * {@link #generateKeyPair} (the private key never leaves; the issuer certifies the public key), and
 * signs the terminal's unpredictable number, amount and currency together with the card's own
 * authentication data (9F69: fDDA version 01, a card unpredictable number, the card transaction
 * qualifiers):
 * <ul>
 *   <li>INTERNATIONAL: EMV Book 2 table 17 signed dynamic application data, format 05, SHA-1,
 *       through the RSA private key with {@code Cipher.ALG_RSA_NOPAD} on a CRT key;
 *   <li>NATIONAL: format 15 ‖ 04 ‖ dynamic data length ‖ dynamic data ‖ SM2 signature r ‖ s over
 *       the same input, with the chip's software SM2 ({@link EcSigner}, Z_A of the default user
 *       id).
 * </ul>
 * The ICC dynamic data is 08 followed by an 8-byte ICC dynamic number drawn per signature.
 */
public final class DynamicSigner {
  /** 9F37 (4) ‖ 9F02 (6) ‖ 5F2A (2): what the terminal sends. */
  public static final short TERMINAL_DATA_LENGTH = 12;
  /** 9F69: version (1) ‖ card unpredictable number (4) ‖ card transaction qualifiers (2). */
  public static final short CARD_AUTHENTICATION_DATA_LENGTH = 7;
  /** Length of the ICC dynamic number in the ICC dynamic data. */
  public static final short DYNAMIC_NUMBER_LENGTH = 8;
  /** SM2 signed dynamic data: 15 ‖ 04 ‖ 09 ‖ 9 bytes of dynamic data ‖ 64 bytes of r ‖ s. */
  public static final short SM2_SIGNED_LENGTH = 76;
  /** Largest RSA key: 1984 bits (EMV Book 2). */
  public static final short RSA_MODULUS_BYTES_MAX = 248;

  private static final byte FDDA_VERSION_01 = 0x01;
  private static final byte HEADER = 0x6A;
  private static final byte TRAILER = (byte) 0xBC;
  private static final byte RSA_FORMAT = 0x05;
  private static final byte SM2_FORMAT = 0x15;
  private static final byte HASH_SHA1 = 0x01;
  private static final byte SIGNATURE_SM2 = 0x04;
  private static final byte PAD = (byte) 0xBB;
  private static final short HASH_LENGTH = 20;
  private static final short DYNAMIC_DATA_LENGTH = (short) (1 + DYNAMIC_NUMBER_LENGTH);
  private static final short SM2_HALF = 32;
  /** Work buffer: the RSA block, or the SM2 message and the DER signature after it. */
  private static final short WORK_LENGTH = (short) (RSA_MODULUS_BYTES_MAX + 8);

  private final boolean sm2;
  private final RandomData random;
  private final byte[] work;
  private final byte[] cardData;
  private KeyPair rsaKeys;
  private Cipher rsa;
  private MessageDigest sha1;
  private ECPublicKey ecPublic;
  private EcSigner ecSigner;

  /**
   * Allocates the signer; call once, at install.
   *
   * @param sm2 true for the NATIONAL suite (SM2), false for INTERNATIONAL (RSA)
   * @param rsaModulusBits INTERNATIONAL only: the card key size, a multiple of 8 up to 1984
   *     (docs/oda.md chooses 1024)
   */
  // RandomData.ALG_SECURE_RANDOM is what classic 2.2.x cards offer.
  @SuppressWarnings("deprecation")
  public DynamicSigner(boolean sm2, short rsaModulusBits) {
    this.sm2 = sm2;
    random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
    work = JCSystem.makeTransientByteArray(WORK_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    cardData = JCSystem.makeTransientByteArray(CARD_AUTHENTICATION_DATA_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    if (sm2) {
      ECPrivateKey ecPrivate = (ECPrivateKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE, KeyBuilder.LENGTH_EC_FP_256, false);
      ecPublic = (ECPublicKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PUBLIC, KeyBuilder.LENGTH_EC_FP_256, false);
      Curves.setDomain(ecPrivate, true);
      Curves.setDomain(ecPublic, true);
      ecSigner = new EcSigner(true, random, new Sm3Digest(), null, ecPrivate);
    } else {
      if (rsaModulusBits <= 0 || (short) (rsaModulusBits % 8) != 0 || (short) (rsaModulusBits / 8) > RSA_MODULUS_BYTES_MAX) {
        ISOException.throwIt(ISO7816.SW_WRONG_DATA);
      }
      rsaKeys = new KeyPair(KeyPair.ALG_RSA_CRT, rsaModulusBits);
      rsa = Cipher.getInstance(Cipher.ALG_RSA_NOPAD, false);
      sha1 = MessageDigest.getInstance(MessageDigest.ALG_SHA, false);
    }
  }

  /**
   * Generates the card's ODA key pair, replacing any earlier one, and writes its public key for
   * the issuer to certify: RSA as modulus length (1) ‖ modulus ‖ exponent length (1) ‖ exponent;
   * SM2 as X ‖ Y (64 bytes).
   *
   * @return the number of bytes written
   */
  public short generateKeyPair(byte[] out, short outOff) {
    if (sm2) {
      ecSigner.generateKeyPair(ecPublic);
      short length = ecPublic.getW(work, (short) 0);
      // Skip the 04 of the uncompressed point.
      Util.arrayCopyNonAtomic(work, (short) 1, out, outOff, (short) (length - 1));
      Util.arrayFillNonAtomic(work, (short) 0, length, (byte) 0);
      return (short) (length - 1);
    }
    rsaKeys.genKeyPair();
    RSAPublicKey publicKey = (RSAPublicKey) rsaKeys.getPublic();
    short modulusLength = publicKey.getModulus(out, (short) (outOff + 1));
    out[outOff] = (byte) modulusLength;
    short exponentOff = (short) (outOff + 1 + modulusLength);
    short exponentLength = publicKey.getExponent(out, (short) (exponentOff + 1));
    out[exponentOff] = (byte) exponentLength;
    return (short) (2 + modulusLength + exponentLength);
  }

  /** RSA key components {@link #setRsaComponent} takes, in any order. */
  public static final byte RSA_MODULUS = 1;
  public static final byte RSA_EXPONENT = 2;
  public static final byte RSA_P = 3;
  public static final byte RSA_Q = 4;
  public static final byte RSA_DP = 5;
  public static final byte RSA_DQ = 6;
  public static final byte RSA_QINV = 7;

  /**
   * INTERNATIONAL only: loads one component of a key pair the issuer generated in its HSM (the
   * other EMV practice, and the only one on jCardSim, whose key-pair generator draws from a fixed
   * null random source so every simulated card would get the same RSA key).
   *
   * @param component one of {@link #RSA_MODULUS} … {@link #RSA_QINV}
   * @throws ISOException 6A86 for an unknown component or on an SM2 signer
   */
  public void setRsaComponent(byte component, byte[] in, short off, short len) {
    if (sm2) {
      ISOException.throwIt(ISO7816.SW_INCORRECT_P1P2);
    }
    RSAPublicKey publicKey = (RSAPublicKey) rsaKeys.getPublic();
    RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsaKeys.getPrivate();
    switch (component) {
      case RSA_MODULUS:
        publicKey.setModulus(in, off, len);
        return;
      case RSA_EXPONENT:
        publicKey.setExponent(in, off, len);
        return;
      case RSA_P:
        privateKey.setP(in, off, len);
        return;
      case RSA_Q:
        privateKey.setQ(in, off, len);
        return;
      case RSA_DP:
        privateKey.setDP1(in, off, len);
        return;
      case RSA_DQ:
        privateKey.setDQ1(in, off, len);
        return;
      case RSA_QINV:
        privateKey.setPQ(in, off, len);
        return;
      default:
        ISOException.throwIt(ISO7816.SW_INCORRECT_P1P2);
    }
  }

  /** True once the key pair is complete (generated, or every component loaded). */
  public boolean hasKey() {
    return sm2 ? ecPublic.isInitialized()
        : rsaKeys.getPrivate().isInitialized() && rsaKeys.getPublic().isInitialized();
  }

  /**
   * Signs one fDDA: builds 9F69 from a fresh card unpredictable number and {@code qualifiers},
   * then the signed dynamic application data over 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69.
   *
   * @param terminal 9F37 ‖ 9F02 ‖ 5F2A ({@link #TERMINAL_DATA_LENGTH} bytes) at {@code terminalOff}
   * @param qualifiers the card transaction qualifiers (2 bytes) at {@code qualifiersOff}
   * @param out receives 9F69 ({@link #CARD_AUTHENTICATION_DATA_LENGTH} bytes) then 9F4B; must not
   *     overlap {@code terminal}
   * @return bytes written: 7 + the modulus length (RSA) or 7 + {@link #SM2_SIGNED_LENGTH}
   * @throws ISOException 6985 before a key was generated
   */
  // generateData is deprecated in Java Card 3.0.5 but is what classic 2.2.x cards offer.
  @SuppressWarnings("deprecation")
  public short signFdda(byte[] terminal, short terminalOff, byte[] qualifiers, short qualifiersOff, byte[] out, short outOff) {
    if (!hasKey()) {
      ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED);
    }
    cardData[0] = FDDA_VERSION_01;
    random.generateData(cardData, (short) 1, (short) 4);
    Util.arrayCopyNonAtomic(qualifiers, qualifiersOff, cardData, (short) 5, (short) 2);
    Util.arrayCopyNonAtomic(cardData, (short) 0, out, outOff, CARD_AUTHENTICATION_DATA_LENGTH);
    short signedOff = (short) (outOff + CARD_AUTHENTICATION_DATA_LENGTH);
    short signedLength = sm2 ? signSm2(terminal, terminalOff, out, signedOff) : signRsa(terminal, terminalOff, out, signedOff);
    Util.arrayFillNonAtomic(work, (short) 0, WORK_LENGTH, (byte) 0);
    return (short) (CARD_AUTHENTICATION_DATA_LENGTH + signedLength);
  }

  /** Book 2 table 17: 6A ‖ 05 ‖ 01 ‖ 09 ‖ dynamic data ‖ BB… ‖ SHA-1 ‖ BC, then the private key. */
  @SuppressWarnings("deprecation")
  private short signRsa(byte[] terminal, short terminalOff, byte[] out, short outOff) {
    short n = (short) (((RSAPublicKey) rsaKeys.getPublic()).getSize() / 8);
    short hashOff = (short) (n - HASH_LENGTH - 1);
    work[0] = HEADER;
    work[1] = RSA_FORMAT;
    work[2] = HASH_SHA1;
    work[3] = (byte) DYNAMIC_DATA_LENGTH;
    work[4] = (byte) DYNAMIC_NUMBER_LENGTH;
    random.generateData(work, (short) 5, DYNAMIC_NUMBER_LENGTH);
    short padOff = (short) (4 + DYNAMIC_DATA_LENGTH);
    Util.arrayFillNonAtomic(work, padOff, (short) (hashOff - padOff), PAD);
    sha1.reset();
    sha1.update(work, (short) 1, (short) (hashOff - 1));
    sha1.update(terminal, terminalOff, TERMINAL_DATA_LENGTH);
    sha1.doFinal(cardData, (short) 0, CARD_AUTHENTICATION_DATA_LENGTH, work, hashOff);
    work[(short) (n - 1)] = TRAILER;
    // The private-key operation is the cipher's decrypt direction on every card (and the one
    // jCardSim accepts a full-modulus-length block in). Initialised per signature: cheap beside
    // the exponentiation, and right after a key was loaded or replaced.
    rsa.init(rsaKeys.getPrivate(), Cipher.MODE_DECRYPT);
    short length = rsa.doFinal(work, (short) 0, n, out, outOff);
    if (length < n) {
      // Some implementations (jCardSim's) drop the leading zero bytes of the result: Book 2
      // recovery needs exactly N bytes, so right-align and pad.
      Util.arrayCopyNonAtomic(out, outOff, out, (short) (outOff + n - length), length);
      Util.arrayFillNonAtomic(out, outOff, (short) (n - length), (byte) 0);
    }
    return n;
  }

  /** 15 ‖ 04 ‖ 09 ‖ dynamic data ‖ SM2(body ‖ 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69) as r ‖ s. */
  @SuppressWarnings("deprecation")
  private short signSm2(byte[] terminal, short terminalOff, byte[] out, short outOff) {
    short bodyLength = (short) (3 + DYNAMIC_DATA_LENGTH);
    work[0] = SM2_FORMAT;
    work[1] = SIGNATURE_SM2;
    work[2] = (byte) DYNAMIC_DATA_LENGTH;
    work[3] = (byte) DYNAMIC_NUMBER_LENGTH;
    random.generateData(work, (short) 4, DYNAMIC_NUMBER_LENGTH);
    Util.arrayCopyNonAtomic(work, (short) 0, out, outOff, bodyLength);
    short messageLength = Util.arrayCopyNonAtomic(terminal, terminalOff, work, bodyLength, TERMINAL_DATA_LENGTH);
    messageLength = Util.arrayCopyNonAtomic(cardData, (short) 0, work, messageLength, CARD_AUTHENTICATION_DATA_LENGTH);
    short der = messageLength;
    ecSigner.sign(work, (short) 0, messageLength, work, der);
    short signatureOff = (short) (outOff + bodyLength);
    // DER SEQUENCE { INTEGER r, INTEGER s } → r ‖ s, each right-aligned in 32 bytes.
    short p = copyInteger(work, (short) (der + 2), out, signatureOff);
    copyInteger(work, p, out, (short) (signatureOff + SM2_HALF));
    return SM2_SIGNED_LENGTH;
  }

  /** Copies the DER INTEGER at {@code at} into 32 bytes at {@code outOff}; returns the offset after it. */
  private static short copyInteger(byte[] der, short at, byte[] out, short outOff) {
    short length = (short) (der[(short) (at + 1)] & 0xFF);
    short valueOff = (short) (at + 2);
    short value = length;
    while (value > SM2_HALF) {
      valueOff++;
      value--;
    }
    Util.arrayFillNonAtomic(out, outOff, (short) (SM2_HALF - value), (byte) 0);
    Util.arrayCopyNonAtomic(der, valueOff, out, (short) (outOff + SM2_HALF - value), value);
    return (short) (at + 2 + length);
  }
}
