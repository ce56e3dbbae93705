package io.iotpay.card.gp;

import io.iotpay.card.crypto.CardMac;
import javacard.framework.APDU;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.RandomData;

/**
 * The card side of an SCP03 secure channel (GP Card Specification v2.2 Amendment D), security
 * level 01 (C-MAC), random card challenge (i = 00). AES-128 keys for INTERNATIONAL; the same layout
 * with SM4 for NATIONAL (iotpay's analogue, docs/globalplatform-keys.md). Session keys come from the
 * SP 800-108 counter-mode KDF with CMAC; the state is transient and reset by every SELECT, every
 * new INITIALIZE UPDATE and every failed check.
 */
final class Scp03Channel {

  static final short KEY_LENGTH = 16;
  static final short ENC = 0;
  static final short MAC = 16;
  static final short DEK = 32;
  static final short KEY_SET_LENGTH = 48;
  static final short KDD_LENGTH = 10;
  static final short C_MAC_LENGTH = 8;
  private static final short CHALLENGE_LENGTH = 8;
  private static final byte CONSTANT_CARD_CRYPTOGRAM = 0x00;
  private static final byte CONSTANT_HOST_CRYPTOGRAM = 0x01;
  private static final byte CONSTANT_S_ENC = 0x04;
  private static final byte CONSTANT_S_MAC = 0x06;
  private static final byte SECURITY_LEVEL_C_MAC = 0x01;

  private static final byte STATE_NONE = 0;
  private static final byte STATE_INITIALISED = 1;
  private static final byte STATE_AUTHENTICATED = 2;

  // Session layout: state, host challenge, card challenge.
  private static final short S_STATE = 0;
  private static final short S_HOST = 1;
  private static final short S_CARD = 9;
  private static final short SESSION_LENGTH = 17;
  // Work layout: session keys S-ENC || S-MAC, chaining value, KDF input, MAC output.
  private static final short W_S_ENC = 0;
  private static final short W_S_MAC = 16;
  private static final short W_CHAIN = 32;
  private static final short W_KDF = 48;
  private static final short W_OUT = 80;
  private static final short WORK_LENGTH = 96;

  private final Cmac16 cmac;
  private final RandomData random;
  private final byte[] session;
  private final byte[] work;

  // ALG_SECURE_RANDOM is deprecated in Java Card 3.0.5 but is what classic 2.2.x cards offer.
  @SuppressWarnings("deprecation")
  Scp03Channel(Cmac16 cmac) {
    this.cmac = cmac;
    random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
    session = JCSystem.makeTransientByteArray(SESSION_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    work = JCSystem.makeTransientByteArray(WORK_LENGTH, JCSystem.CLEAR_ON_DESELECT);
  }

  /** Forgets the session: keys, challenges and chaining value. */
  void reset() {
    Util.arrayFillNonAtomic(session, (short) 0, SESSION_LENGTH, (byte) 0);
    Util.arrayFillNonAtomic(work, (short) 0, WORK_LENGTH, (byte) 0);
  }

  boolean isAuthenticated() {
    return session[S_STATE] == STATE_AUTHENTICATED;
  }

  /**
   * INITIALIZE UPDATE {@code 80 50 KVN 00 08 host-challenge 00}: answers KDD (10) || KVN || 03 ||
   * i (00) || card challenge (8) || card cryptogram (8).
   */
  @SuppressWarnings("deprecation")
  void initializeUpdate(APDU apdu, short lc, byte[] keys, byte keyVersion, byte[] kdd) {
    byte[] buf = apdu.getBuffer();
    reset();
    if (buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(GpSw.WRONG_P1P2);
    }
    if (lc != CHALLENGE_LENGTH) {
      ISOException.throwIt(GpSw.WRONG_LENGTH);
    }
    if (keyVersion == 0) {
      ISOException.throwIt(GpSw.CONDITIONS_NOT_SATISFIED);
    }
    byte requested = buf[ISO7816.OFFSET_P1];
    if (requested != 0 && requested != keyVersion) {
      ISOException.throwIt(GpSw.REFERENCED_DATA_NOT_FOUND);
    }
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, session, S_HOST, CHALLENGE_LENGTH);
    random.generateData(session, S_CARD, CHALLENGE_LENGTH);
    derive(keys, ENC, CONSTANT_S_ENC, (short) 0x0080, work, W_S_ENC);
    derive(keys, MAC, CONSTANT_S_MAC, (short) 0x0080, work, W_S_MAC);
    Util.arrayCopyNonAtomic(kdd, (short) 0, buf, (short) 0, KDD_LENGTH);
    buf[10] = keyVersion;
    buf[11] = 0x03;
    buf[12] = 0x00;
    Util.arrayCopyNonAtomic(session, S_CARD, buf, (short) 13, CHALLENGE_LENGTH);
    derive(work, W_S_MAC, CONSTANT_CARD_CRYPTOGRAM, (short) 0x0040, buf, (short) 21);
    session[S_STATE] = STATE_INITIALISED;
    apdu.setOutgoingAndSend((short) 0, (short) 29);
  }

  /**
   * SP 800-108 counter mode with CMAC, one iteration: 11 x 00 || constant || 00 || L || 01 ||
   * host challenge || card challenge. Writes 16 bytes (L = 128) or 8 (L = 64) to {@code out}.
   */
  private void derive(byte[] key, short keyOff, byte constant, short lengthBits, byte[] out, short outOff) {
    Util.arrayFillNonAtomic(work, W_KDF, (short) 11, (byte) 0);
    work[(short) (W_KDF + 11)] = constant;
    work[(short) (W_KDF + 12)] = 0;
    Util.setShort(work, (short) (W_KDF + 13), lengthBits);
    work[(short) (W_KDF + 15)] = 1;
    cmac.begin(key, keyOff);
    cmac.update(work, W_KDF, (short) 16);
    cmac.update(session, S_HOST, (short) 16);
    cmac.finish(work, W_OUT);
    Util.arrayCopyNonAtomic(work, W_OUT, out, outOff, (short) (lengthBits / 8));
  }

  /** EXTERNAL AUTHENTICATE {@code 84 82 01 00 10 host-cryptogram C-MAC}. */
  void externalAuthenticate(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    if (session[S_STATE] != STATE_INITIALISED) {
      reset();
      ISOException.throwIt(GpSw.SECURITY_NOT_SATISFIED);
    }
    if (buf[ISO7816.OFFSET_P1] != SECURITY_LEVEL_C_MAC || buf[ISO7816.OFFSET_P2] != 0) {
      reset();
      ISOException.throwIt(GpSw.WRONG_P1P2);
    }
    if (lc != (short) (CHALLENGE_LENGTH + C_MAC_LENGTH)) {
      reset();
      ISOException.throwIt(GpSw.WRONG_LENGTH);
    }
    derive(work, W_S_MAC, CONSTANT_HOST_CRYPTOGRAM, (short) 0x0040, work, W_OUT);
    if (!CardMac.equalsConstantTime(work, W_OUT, buf, ISO7816.OFFSET_CDATA, CHALLENGE_LENGTH)) {
      reset();
      ISOException.throwIt(GpSw.AUTHENTICATION_FAILED);
    }
    Util.arrayFillNonAtomic(work, W_CHAIN, Cmac16.BLOCK, (byte) 0);
    verifyCMac(buf, CHALLENGE_LENGTH);
    session[S_STATE] = STATE_AUTHENTICATED;
  }

  /**
   * Verifies and strips the C-MAC of a command under the authenticated session.
   *
   * @return the length of the command data without the C-MAC
   */
  short unwrap(APDU apdu, short lc) {
    if (session[S_STATE] != STATE_AUTHENTICATED) {
      reset();
      ISOException.throwIt(GpSw.SECURITY_NOT_SATISFIED);
    }
    byte[] buf = apdu.getBuffer();
    if ((buf[ISO7816.OFFSET_CLA] & 0x04) == 0 || lc < C_MAC_LENGTH) {
      reset();
      ISOException.throwIt(GpSw.SM_INCORRECT);
    }
    short dataLength = (short) (lc - C_MAC_LENGTH);
    verifyCMac(buf, dataLength);
    return dataLength;
  }

  /** C-MAC = CMAC(S-MAC, chaining value || CLA INS P1 P2 Lc || data), first 8 bytes sent. */
  private void verifyCMac(byte[] buf, short dataLength) {
    cmac.begin(work, W_S_MAC);
    cmac.update(work, W_CHAIN, Cmac16.BLOCK);
    cmac.update(buf, (short) 0, (short) (ISO7816.OFFSET_CDATA + dataLength));
    cmac.finish(work, W_OUT);
    short macOff = (short) (ISO7816.OFFSET_CDATA + dataLength);
    if (!CardMac.equalsConstantTime(work, W_OUT, buf, macOff, C_MAC_LENGTH)) {
      reset();
      ISOException.throwIt(GpSw.SM_INCORRECT);
    }
    Util.arrayCopyNonAtomic(work, W_OUT, work, W_CHAIN, Cmac16.BLOCK);
  }
}
