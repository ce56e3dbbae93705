package io.iotpay.card.emv;

import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * The Proximity Payment System Environment ({@code 2PAY.SYS.DDF01}, EMV Book B / Book 1 §12.2):
 * answers SELECT with an FCI whose FCI issuer discretionary data (BF0C) lists the card's payment
 * applications as directory entries (61: 4F AID, 50 label, 87 priority). It has no other command.
 *
 * <p>The directory entries arrive as install data (applet data: one or more complete 61 templates,
 * at most {@link #DIRECTORY_MAX} bytes), checked at install so the FCI is always well-formed.
 * See {@code docs/emv-card-apdus.md} §1.
 */
public class PpseApplet extends Applet {

  /** Most bytes of directory entries the PPSE keeps (a handful of applications). */
  static final short DIRECTORY_MAX = 96;

  private final byte[] directory;
  private final short directoryLength;

  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new PpseApplet(bArray, bOffset).register(bArray, (short) (bOffset + 1), bArray[bOffset]);
  }

  protected PpseApplet(byte[] bArray, short bOffset) {
    short aidLength = (short) (bArray[bOffset] & 0xFF);
    short controlOff = (short) (bOffset + 1 + aidLength);
    short dataLengthOff = (short) (controlOff + 1 + (short) (bArray[controlOff] & 0xFF));
    short length = (short) (bArray[dataLengthOff] & 0xFF);
    short dataOff = (short) (dataLengthOff + 1);
    if (length == 0 || length > DIRECTORY_MAX) {
      ISOException.throwIt(EmvSw.WRONG_LENGTH);
    }
    checkEntries(bArray, dataOff, length);
    directory = new byte[length];
    Util.arrayCopy(bArray, dataOff, directory, (short) 0, length);
    directoryLength = length;
  }

  /**
   * Each entry must be a 61 template with a short length that ends inside the data, holding
   * primitive objects (1- or 2-byte tags, short lengths, each inside the entry), the first of them
   * 4F with an AID of 5 to 16 bytes; so the FCI built from them is well-formed BER-TLV.
   */
  private static void checkEntries(byte[] buf, short off, short length) {
    short end = (short) (off + length);
    short p = off;
    while (p < end) {
      if (buf[p] != 0x61 || (short) (p + 2) > end) {
        ISOException.throwIt(EmvSw.WRONG_DATA);
      }
      short entryLength = (short) (buf[(short) (p + 1)] & 0xFF);
      short entryEnd = (short) (p + 2 + entryLength);
      if (entryLength > 0x7F || entryEnd > end) {
        ISOException.throwIt(EmvSw.WRONG_DATA);
      }
      checkEntryObjects(buf, (short) (p + 2), entryEnd);
      p = entryEnd;
    }
  }

  private static void checkEntryObjects(byte[] buf, short p, short end) {
    boolean first = true;
    while (p < end) {
      byte tag = buf[p++];
      if ((tag & 0x20) != 0) {
        ISOException.throwIt(EmvSw.WRONG_DATA);
      }
      if ((tag & 0x1F) == 0x1F) {
        if (p >= end || (buf[p] & 0x80) != 0) {
          ISOException.throwIt(EmvSw.WRONG_DATA);
        }
        p++;
      }
      if (p >= end) {
        ISOException.throwIt(EmvSw.WRONG_DATA);
      }
      short valueLength = (short) (buf[p++] & 0xFF);
      if (valueLength > 0x7F || valueLength > (short) (end - p)) {
        ISOException.throwIt(EmvSw.WRONG_DATA);
      }
      if (first && (tag != 0x4F || valueLength < 5 || valueLength > 16)) {
        ISOException.throwIt(EmvSw.WRONG_DATA);
      }
      first = false;
      p = (short) (p + valueLength);
    }
    if (first) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
  }

  public void process(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    if (selectingApplet()) {
      sendFci(apdu);
      return;
    }
    if (buf[ISO7816.OFFSET_CLA] != 0x00) {
      ISOException.throwIt(EmvSw.CLA_NOT_SUPPORTED);
    }
    if (buf[ISO7816.OFFSET_INS] == (byte) 0xA4) {
      ISOException.throwIt(EmvSw.FILE_NOT_FOUND);
    }
    ISOException.throwIt(EmvSw.INS_NOT_SUPPORTED);
  }

  /** 6F [84 DF name] [A5 [BF0C [61 ..]..]]. */
  private void sendFci(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    short p = 2;
    buf[p++] = (byte) 0x84;
    short nameLength = JCSystem.getAID().getBytes(buf, (short) (p + 1));
    buf[p++] = (byte) nameLength;
    p = (short) (p + nameLength);
    buf[p++] = (byte) 0xA5;
    buf[p++] = (byte) (directoryLength + 3);
    buf[p++] = (byte) 0xBF;
    buf[p++] = 0x0C;
    buf[p++] = (byte) directoryLength;
    p = Util.arrayCopyNonAtomic(directory, (short) 0, buf, p, directoryLength);
    buf[0] = 0x6F;
    buf[1] = (byte) (p - 2);
    apdu.setOutgoingAndSend((short) 0, p);
  }
}
