package io.iotpay.card.oda;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.Util;

/**
 * The smallest applet that carries ODA end to end, as the transit and EMV applets will: it keeps
 * the records personalisation writes (certificates, static data) and answers READ RECORD, and it
 * answers INTERNAL AUTHENTICATE with an fDDA signature from its {@link DynamicSigner}.
 *
 * <p>Install data: one byte, 1 = INTERNATIONAL (RSA 1024) or 2 = NATIONAL (SM2). Commands:
 * <ul>
 *   <li>{@code 80 E0 00 00} GENERATE ODA KEY → the public key ({@link DynamicSigner#generateKeyPair});
 *   <li>{@code 80 E4 cc 00 <component>} PUT KEY COMPONENT cc ({@link DynamicSigner#setRsaComponent});
 *   <li>{@code 80 E2 nn 00 <record>} STORE RECORD nn (1..4) of SFI 1, a whole 70 template;
 *   <li>{@code 00 B2 nn 0C} READ RECORD nn of SFI 1 (ISO 7816-4; EMV Book 3 section 6.5.11);
 *   <li>{@code 00 88 00 00 <9F37 ‖ 9F02 ‖ 5F2A>} INTERNAL AUTHENTICATE → 77 { 9F69, 9F4B }.
 * </ul>
 * Test code: no access control on personalisation, which a real applet gates behind its secure channel.
 */
public final class OdaTestApplet extends Applet {
  static final byte SUITE_INTERNATIONAL = 1;
  static final byte SUITE_NATIONAL = 2;
  static final byte INS_GENERATE_KEY = (byte) 0xE0;
  static final byte INS_STORE_RECORD = (byte) 0xE2;
  static final byte INS_PUT_KEY_COMPONENT = (byte) 0xE4;
  static final byte INS_READ_RECORD = (byte) 0xB2;
  static final byte INS_INTERNAL_AUTHENTICATE = (byte) 0x88;
  static final short RECORDS = 4;
  static final short RECORD_LENGTH_MAX = 254;
  /** Card transaction qualifiers this card reports in 9F69 (online PIN not required, …): a fixed 8000. */
  private static final byte[] QUALIFIERS = {(byte) 0x80, 0x00};
  private static final byte SFI_1_P2 = 0x0C;

  private final DynamicSigner signer;
  private final byte[][] records;
  private final short[] recordLengths;

  private OdaTestApplet(byte suite) {
    signer = new DynamicSigner(suite == SUITE_NATIONAL, (short) 1024);
    records = new byte[RECORDS][];
    for (short i = 0; i < RECORDS; i++) {
      records[i] = new byte[RECORD_LENGTH_MAX];
    }
    recordLengths = new short[RECORDS];
  }

  public static void install(byte[] bArray, short bOffset, byte bLength) {
    short aidLength = (short) (bArray[bOffset] & 0xFF);
    short controlOff = (short) (bOffset + 1 + aidLength);
    short dataOff = (short) (controlOff + 1 + (short) (bArray[controlOff] & 0xFF) + 1);
    byte suite = bArray[dataOff];
    if (suite != SUITE_INTERNATIONAL && suite != SUITE_NATIONAL) {
      ISOException.throwIt(ISO7816.SW_WRONG_DATA);
    }
    new OdaTestApplet(suite).register(bArray, (short) (bOffset + 1), bArray[bOffset]);
  }

  @Override
  public void process(APDU apdu) {
    if (selectingApplet()) {
      return;
    }
    byte[] buffer = apdu.getBuffer();
    switch (buffer[ISO7816.OFFSET_INS]) {
      case INS_GENERATE_KEY:
        apdu.setOutgoingAndSend((short) 0, signer.generateKeyPair(buffer, (short) 0));
        return;
      case INS_STORE_RECORD:
        storeRecord(apdu, buffer);
        return;
      case INS_PUT_KEY_COMPONENT:
        signer.setRsaComponent(buffer[ISO7816.OFFSET_P1], buffer, ISO7816.OFFSET_CDATA, apdu.setIncomingAndReceive());
        return;
      case INS_READ_RECORD:
        readRecord(apdu, buffer);
        return;
      case INS_INTERNAL_AUTHENTICATE:
        internalAuthenticate(apdu, buffer);
        return;
      default:
        ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);
    }
  }

  private short recordIndex(byte[] buffer) {
    short number = (short) (buffer[ISO7816.OFFSET_P1] & 0xFF);
    if (number < 1 || number > RECORDS) {
      ISOException.throwIt(ISO7816.SW_RECORD_NOT_FOUND);
    }
    return (short) (number - 1);
  }

  private void storeRecord(APDU apdu, byte[] buffer) {
    short index = recordIndex(buffer);
    short length = apdu.setIncomingAndReceive();
    if (length > RECORD_LENGTH_MAX || length != apdu.getIncomingLength()) {
      ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
    }
    Util.arrayCopy(buffer, ISO7816.OFFSET_CDATA, records[index], (short) 0, length);
    recordLengths[index] = length;
  }

  private void readRecord(APDU apdu, byte[] buffer) {
    short index = recordIndex(buffer);
    if (buffer[ISO7816.OFFSET_P2] != SFI_1_P2 || recordLengths[index] == 0) {
      ISOException.throwIt(ISO7816.SW_RECORD_NOT_FOUND);
    }
    Util.arrayCopyNonAtomic(records[index], (short) 0, buffer, (short) 0, recordLengths[index]);
    apdu.setOutgoingAndSend((short) 0, recordLengths[index]);
  }

  /** 77 L { 9F69 07 … 9F4B L … }: the fDDA answer, as a qVSDC card puts it in its GPO response. */
  private void internalAuthenticate(APDU apdu, byte[] buffer) {
    short length = apdu.setIncomingAndReceive();
    if (length != DynamicSigner.TERMINAL_DATA_LENGTH) {
      ISOException.throwIt(ISO7816.SW_WRONG_LENGTH);
    }
    // Terminal data sits at 5..16; the answer is built from 32 on, then moved to 0.
    short out = 32;
    short written = signer.signFdda(buffer, ISO7816.OFFSET_CDATA, QUALIFIERS, (short) 0, buffer, (short) (out + 16));
    short signedLength = (short) (written - DynamicSigner.CARD_AUTHENTICATION_DATA_LENGTH);
    short p = out;
    p = header(buffer, p, (short) 0x77, (short) (3 + DynamicSigner.CARD_AUTHENTICATION_DATA_LENGTH + 2 + lengthBytes(signedLength) + signedLength));
    p = header(buffer, p, (short) 0x9F69, DynamicSigner.CARD_AUTHENTICATION_DATA_LENGTH);
    p = Util.arrayCopyNonAtomic(buffer, (short) (out + 16), buffer, p, DynamicSigner.CARD_AUTHENTICATION_DATA_LENGTH);
    p = header(buffer, p, (short) 0x9F4B, signedLength);
    p = Util.arrayCopyNonAtomic(buffer, (short) (out + 16 + DynamicSigner.CARD_AUTHENTICATION_DATA_LENGTH), buffer, p, signedLength);
    Util.arrayCopyNonAtomic(buffer, out, buffer, (short) 0, (short) (p - out));
    apdu.setOutgoingAndSend((short) 0, (short) (p - out));
  }

  private static short lengthBytes(short length) {
    return length < 0x80 ? (short) 1 : (short) 2;
  }

  /** Tag (1 or 2 bytes) and BER length (1 or 2 bytes). */
  private static short header(byte[] buffer, short p, short tag, short length) {
    if ((tag & (short) 0xFF00) != 0) {
      buffer[p++] = (byte) (tag >> 8);
    }
    buffer[p++] = (byte) tag;
    if (length >= 0x80) {
      buffer[p++] = (byte) 0x81;
    }
    buffer[p++] = (byte) length;
    return p;
  }
}
