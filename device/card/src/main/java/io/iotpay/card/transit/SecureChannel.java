package io.iotpay.card.transit;

import io.iotpay.card.crypto.CardMac;
import javacard.framework.APDU;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.RandomData;

/**
 * The card side of a GlobalPlatform SCP02 secure channel (GP Card Specification 2.2 Annex E,
 * implementation option i = 15: three static keys, explicit initiation, C-MAC on the modified APDU,
 * ICV zero for EXTERNAL AUTHENTICATE and encrypted ICV afterwards). For SM4 cards the structure is
 * the same with SM4 in place of DES (see docs/card-apdus.md). Session state is transient and reset
 * by every SELECT, every MAC failure and every new INITIALIZE UPDATE. Public so that the
 * GlobalPlatform security domain ({@code card.gp}) runs the same SCP02.
 */
public final class SecureChannel {

  public static final short KEY_SET_LENGTH = 48;
  private static final short ENC = 0;
  private static final short MAC = 16;
  private static final short DEK = 32;

  private static final byte STATE_NONE = 0;
  private static final byte STATE_INITIALISED = 1;
  private static final byte STATE_AUTHENTICATED = 2;
  private static final short C_MAC_LENGTH = 8;

  private final CardMac mac;
  private final RandomData random;
  /** Static keys ENC || MAC || DEK, persistent, never output. */
  final byte[] staticKeys;
  final byte[] diversificationData;
  byte keyVersion;
  private short sequenceCounter;

  /** Session keys S-ENC || S-MAC || S-DEK. */
  private final byte[] sessionKeys;
  /** [0] state; [1..9) host challenge; [9..15) card challenge; [15..17) sequence counter. */
  private final byte[] session;
  /** Last C-MAC (8 bytes) then room for the encrypted ICV block (16 bytes). */
  private final byte[] chaining;
  private final byte[] scratch;

  // ALG_SECURE_RANDOM and generateData are deprecated in Java Card 3.0.5 but are the only random
  // source classic 2.2.x cards offer; the converter target is those cards.
  @SuppressWarnings("deprecation")
  public SecureChannel(CardMac mac, byte[] installData, short keysOff, short divOff, byte kvn) {
    this.mac = mac;
    random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
    staticKeys = new byte[KEY_SET_LENGTH];
    Util.arrayCopy(installData, keysOff, staticKeys, (short) 0, KEY_SET_LENGTH);
    diversificationData = new byte[10];
    Util.arrayCopy(installData, divOff, diversificationData, (short) 0, (short) 10);
    keyVersion = kvn;
    sessionKeys = JCSystem.makeTransientByteArray(KEY_SET_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    session = JCSystem.makeTransientByteArray((short) 17, JCSystem.CLEAR_ON_DESELECT);
    chaining = JCSystem.makeTransientByteArray((short) 16, JCSystem.CLEAR_ON_DESELECT);
    scratch = JCSystem.makeTransientByteArray((short) 32, JCSystem.CLEAR_ON_DESELECT);
  }

  /**
   * Replaces the static keys (ENC || MAC || DEK at {@code off}) and their version; the caller holds
   * the {@code JCSystem} transaction that makes the change atomic with its own.
   */
  public void replaceKeys(byte[] keys, short off, byte version) {
    Util.arrayCopy(keys, off, staticKeys, (short) 0, KEY_SET_LENGTH);
    keyVersion = version;
  }

  /** Forgets the session (keys, challenges, chaining value). */
  public void reset() {
    Util.arrayFillNonAtomic(sessionKeys, (short) 0, KEY_SET_LENGTH, (byte) 0);
    Util.arrayFillNonAtomic(session, (short) 0, (short) session.length, (byte) 0);
    Util.arrayFillNonAtomic(chaining, (short) 0, (short) chaining.length, (byte) 0);
  }

  public boolean isAuthenticated() {
    return session[0] == STATE_AUTHENTICATED;
  }

  /** @return the transient session keys S-ENC || S-MAC || S-DEK of the current session */
  public byte[] sessionKeys() {
    return sessionKeys;
  }

  /** @return the offset of S-DEK in {@link #sessionKeys()} */
  public static short dekOffset() {
    return DEK;
  }

  /** INITIALIZE UPDATE {@code 80 50 KVN 00 08 host-challenge 00}. */
  @SuppressWarnings("deprecation")
  public void initializeUpdate(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
    byte kvn = buf[ISO7816.OFFSET_P1];
    if (kvn != 0 && kvn != keyVersion) {
      ISOException.throwIt(TransitSw.REFERENCED_DATA_NOT_FOUND);
    }
    if (lc != 8) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    reset();
    // Counted at every initiation, successful or not, so no two sessions share session keys.
    sequenceCounter++;
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, session, (short) 1, (short) 8);
    random.generateData(session, (short) 9, (short) 6);
    Util.setShort(session, (short) 15, sequenceCounter);
    deriveSessionKey((short) 0x0182, ENC, (short) 0);
    deriveSessionKey((short) 0x0101, MAC, MAC);
    deriveSessionKey((short) 0x0181, DEK, DEK);

    Util.arrayCopyNonAtomic(diversificationData, (short) 0, buf, (short) 0, (short) 10);
    buf[10] = keyVersion;
    buf[11] = 0x02;
    Util.setShort(buf, (short) 12, sequenceCounter);
    Util.arrayCopyNonAtomic(session, (short) 9, buf, (short) 14, (short) 6);
    // Card cryptogram: MAC over host challenge || sequence counter || card challenge.
    Util.arrayCopyNonAtomic(session, (short) 1, scratch, (short) 0, (short) 8);
    Util.arrayCopyNonAtomic(session, (short) 15, scratch, (short) 8, (short) 2);
    Util.arrayCopyNonAtomic(session, (short) 9, scratch, (short) 10, (short) 6);
    mac.mac(sessionKeys, ENC, null, (short) 0, scratch, (short) 0, (short) 16, false, scratch,
        (short) 16);
    Util.arrayCopyNonAtomic(scratch, (short) 16, buf, (short) 20, C_MAC_LENGTH);
    session[0] = STATE_INITIALISED;
    apdu.setOutgoingAndSend((short) 0, (short) 28);
  }

  private void deriveSessionKey(short constant, short staticOff, short sessionOff) {
    Util.arrayFillNonAtomic(scratch, (short) 0, (short) 16, (byte) 0);
    Util.setShort(scratch, (short) 0, constant);
    Util.setShort(scratch, (short) 2, sequenceCounter);
    mac.cbcEncrypt(staticKeys, staticOff, scratch, (short) 0, (short) 16, sessionKeys, sessionOff);
  }

  /** EXTERNAL AUTHENTICATE {@code 84 82 SL 00 10 host-cryptogram C-MAC}. */
  public void externalAuthenticate(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    if (session[0] != STATE_INITIALISED) {
      ISOException.throwIt(TransitSw.COMMAND_NOT_ALLOWED);
    }
    if (buf[ISO7816.OFFSET_P1] != 0x01 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
    if (lc != 16) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    Util.arrayCopyNonAtomic(session, (short) 15, scratch, (short) 0, (short) 2);
    Util.arrayCopyNonAtomic(session, (short) 9, scratch, (short) 2, (short) 6);
    Util.arrayCopyNonAtomic(session, (short) 1, scratch, (short) 8, (short) 8);
    mac.mac(sessionKeys, ENC, null, (short) 0, scratch, (short) 0, (short) 16, false, scratch,
        (short) 16);
    if (!CardMac.equalsConstantTime(scratch, (short) 16, buf, ISO7816.OFFSET_CDATA, C_MAC_LENGTH)) {
      reset();
      ISOException.throwIt(TransitSw.AUTHENTICATION_FAILED);
    }
    Util.arrayFillNonAtomic(chaining, (short) 0, (short) 16, (byte) 0);
    verifyCMac(buf, (short) 8, false);
    session[0] = STATE_AUTHENTICATED;
  }

  /**
   * Verifies and strips the C-MAC of a command sent under the authenticated session.
   *
   * @return the length of the command data without the C-MAC
   */
  public short unwrap(APDU apdu, short lc) {
    if (session[0] != STATE_AUTHENTICATED) {
      ISOException.throwIt(TransitSw.SECURITY_NOT_SATISFIED);
    }
    if (lc < C_MAC_LENGTH) {
      ISOException.throwIt(TransitSw.SM_MISSING);
    }
    short dataLength = (short) (lc - C_MAC_LENGTH);
    verifyCMac(apdu.getBuffer(), dataLength, true);
    return dataLength;
  }

  /**
   * C-MAC = retail MAC (S-MAC) over CLA INS P1 P2 Lc and the data before the MAC; the ICV is zero
   * for EXTERNAL AUTHENTICATE, else the previous C-MAC encrypted under S-MAC.
   */
  private void verifyCMac(byte[] buf, short dataLength, boolean chained) {
    if (chained) {
      Util.arrayFillNonAtomic(chaining, C_MAC_LENGTH, C_MAC_LENGTH, (byte) 0);
      mac.encryptChainingValue(sessionKeys, MAC, chaining, (short) 0);
    }
    short macOff = (short) (ISO7816.OFFSET_CDATA + dataLength);
    mac.mac(sessionKeys, MAC, chaining, (short) 0, buf, (short) 0, macOff, true, scratch,
        (short) 0);
    if (!CardMac.equalsConstantTime(scratch, (short) 0, buf, macOff, C_MAC_LENGTH)) {
      reset();
      ISOException.throwIt(TransitSw.SM_INCORRECT);
    }
    Util.arrayFillNonAtomic(chaining, (short) 0, (short) 16, (byte) 0);
    Util.arrayCopyNonAtomic(buf, macOff, chaining, (short) 0, C_MAC_LENGTH);
  }
}
