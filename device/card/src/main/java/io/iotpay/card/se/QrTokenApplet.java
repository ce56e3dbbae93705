package io.iotpay.card.se;

import io.iotpay.card.crypto.BlockCipher16;
import io.iotpay.card.crypto.CardMac;
import io.iotpay.card.crypto.DesBlockCipher;
import io.iotpay.card.crypto.Sm4BlockCipher;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * The payment-token applet in the phone's secure element: it holds the token's card key (derived by
 * the issuer from its IMK and the token number, EMV option A, PSN 00) and makes the application
 * cryptogram of each consumer-presented QR code. The key never leaves the applet.
 *
 * <p>GENERATE CODE CRYPTOGRAM {@code 80 C2 00 00 0A date(3) time(3) UN(4) 00}: the ATC is advanced
 * under a Java Card transaction before it is used; the answer is {@code ATC(2) ‖ AC(8)}, AC = the
 * leftmost 8 bytes of MAC(SK_AC(ATC), date ‖ time ‖ UN ‖ ATC) with the EMV common session key and
 * MAC algorithm 3 (3DES), or the PBOC session key and SM4 MAC (the same formulas as the EMV
 * applet, so the issuer verifies it with its custody's ARQC check). GET DATA {@code 80 CA 9F 36 00}
 * reads the ATC. docs/qr.md has the APDUs and status words.
 *
 * <p>Install data (GP format): applet data = suite (1: 01 3DES, 02 SM4) ‖ card key (16).
 */
public class QrTokenApplet extends Applet {
  static final byte SUITE_3DES = 0x01;
  static final byte SUITE_SM4 = 0x02;
  static final short KEY_LENGTH = 16;
  /** date (3) time (3) unpredictable number (4). */
  public static final short CODE_DATA_LENGTH = 10;
  public static final short CRYPTOGRAM_LENGTH = 8;
  static final byte INS_GENERATE = (byte) 0xC2;
  static final byte INS_GET_DATA = (byte) 0xCA;
  private static final short ATC_MAX = (short) 0x7FFF;

  private final byte suite;
  private final byte[] cardKey;
  private final BlockCipher16 cipher;
  private final CardMac mac;
  private short atc;
  private final byte[] scratch;
  private final byte[] sessionKey;

  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new QrTokenApplet(bArray, bOffset).register(bArray, (short) (bOffset + 1), bArray[bOffset]);
  }

  protected QrTokenApplet(byte[] bArray, short bOffset) {
    short aidLength = (short) (bArray[bOffset] & 0xFF);
    short controlOff = (short) (bOffset + 1 + aidLength);
    short dataLengthOff = (short) (controlOff + 1 + (short) (bArray[controlOff] & 0xFF));
    if ((short) (bArray[dataLengthOff] & 0xFF) != (short) (1 + KEY_LENGTH)) {
      ISOException.throwIt(SeSw.WRONG_LENGTH);
    }
    suite = bArray[(short) (dataLengthOff + 1)];
    if (suite == SUITE_3DES) {
      cipher = new DesBlockCipher();
    } else if (suite == SUITE_SM4) {
      cipher = new Sm4BlockCipher();
    } else {
      cipher = null;
      ISOException.throwIt(SeSw.WRONG_DATA);
    }
    mac = new CardMac(cipher);
    cardKey = new byte[KEY_LENGTH];
    Util.arrayCopy(bArray, (short) (dataLengthOff + 2), cardKey, (short) 0, KEY_LENGTH);
    scratch = JCSystem.makeTransientByteArray((short) 32, JCSystem.CLEAR_ON_DESELECT);
    sessionKey = JCSystem.makeTransientByteArray(KEY_LENGTH, JCSystem.CLEAR_ON_DESELECT);
  }

  public void process(APDU apdu) {
    if (selectingApplet()) {
      return;
    }
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_CLA] != (byte) 0x80) {
      ISOException.throwIt(SeSw.CLA_NOT_SUPPORTED);
    }
    if (buf[ISO7816.OFFSET_P1] != 0 && buf[ISO7816.OFFSET_INS] == INS_GENERATE) {
      ISOException.throwIt(SeSw.WRONG_P1P2);
    }
    switch (buf[ISO7816.OFFSET_INS]) {
      case INS_GENERATE: generate(apdu); break;
      case INS_GET_DATA: getAtc(apdu); break;
      default: ISOException.throwIt(SeSw.INS_NOT_SUPPORTED);
    }
  }

  private void generate(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    short length = apdu.setIncomingAndReceive();
    if (length != CODE_DATA_LENGTH || (short) (buf[ISO7816.OFFSET_LC] & 0xFF) != CODE_DATA_LENGTH) {
      ISOException.throwIt(SeSw.WRONG_LENGTH);
    }
    if (atc == ATC_MAX) {
      ISOException.throwIt(SeSw.COUNTER_EXHAUSTED);
    }
    JCSystem.beginTransaction();
    atc++;
    JCSystem.commitTransaction();
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, (short) 0, CODE_DATA_LENGTH);
    Util.setShort(scratch, CODE_DATA_LENGTH, atc);
    deriveSessionKey();
    mac.mac(sessionKey, (short) 0, null, (short) 0, scratch, (short) 0, (short) (CODE_DATA_LENGTH + 2), true,
        scratch, (short) 16);
    Util.setShort(buf, (short) 0, atc);
    Util.arrayCopyNonAtomic(scratch, (short) 16, buf, (short) 2, CRYPTOGRAM_LENGTH);
    apdu.setOutgoingAndSend((short) 0, (short) (2 + CRYPTOGRAM_LENGTH));
  }

  private void getAtc(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_P1] != (byte) 0x9F || buf[ISO7816.OFFSET_P2] != 0x36) {
      ISOException.throwIt(SeSw.REFERENCED_DATA_NOT_FOUND);
    }
    Util.setShort(buf, (short) 0, atc);
    apdu.setOutgoingAndSend((short) 0, (short) 2);
  }

  /**
   * SK_AC for the current ATC, as the issuer's custody derives it: 3DES, EMV Book 2 A1.3.1 common
   * session key (E(MK)[ATC ‖ F0 ‖ 00..] ‖ E(MK)[ATC ‖ 0F ‖ 00..]); SM4, SM4(MK)[00x6 ‖ ATC ‖ 00x6 ‖ ~ATC].
   */
  private void deriveSessionKey() {
    cipher.setKey(cardKey, (short) 0);
    short w = 16;
    Util.arrayFillNonAtomic(scratch, w, KEY_LENGTH, (byte) 0);
    if (suite == SUITE_3DES) {
      Util.setShort(scratch, w, atc);
      scratch[(short) (w + 2)] = (byte) 0xF0;
      cipher.encryptBlock(scratch, w, sessionKey, (short) 0);
      scratch[(short) (w + 2)] = (byte) 0x0F;
      cipher.encryptBlock(scratch, w, sessionKey, (short) 8);
    } else {
      Util.setShort(scratch, (short) (w + 6), atc);
      Util.setShort(scratch, (short) (w + 14), (short) ~atc);
      cipher.encryptBlock(scratch, w, sessionKey, (short) 0);
    }
  }
}
