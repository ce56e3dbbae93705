package io.iotpay.card.gp;

import io.iotpay.card.chip.AesBlockCipher;
import io.iotpay.card.crypto.BlockCipher16;
import io.iotpay.card.crypto.CardMac;
import io.iotpay.card.crypto.DesBlockCipher;
import io.iotpay.card.crypto.Sm4BlockCipher;
import io.iotpay.card.transit.SecureChannel;
import javacard.framework.AID;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Shareable;
import javacard.framework.Util;

/**
 * A GlobalPlatform security domain: the issuer security domain (ISD, the card's root key set) or a
 * supplementary security domain (SSD, a wallet provider's). Under its own secure channel (SCP03 with
 * AES or the SM4 analogue, or SCP02 with triple DES for INTERNATIONAL) it rotates
 * its keys (PUT KEY), authorises INSTALL [for install] (only the ISD may create a domain), and, for
 * an AID it installed, INSTALL [for personalization] followed by PUT KEY (a domain's first keys) or
 * STORE DATA (an application's data). Every APDU is in docs/gp-hierarchy.md.
 *
 * <p>Install data (jCardSim layout): control = the creating domain's AID (none for the ISD); data =
 * role 01 (ISD) || suite || SCP (02 or 03) || key version || ENC || MAC || DEK || KDD (10), or role
 * 02 (SSD) || suite || SCP || KDD (10), an SSD's keys arriving later through its creator.
 */
public class SecurityDomainApplet extends Applet implements KeyReceiver {

  static final byte ROLE_ISD = 0x01;
  static final byte ROLE_SSD = 0x02;
  static final byte SUITE_INTERNATIONAL = 0x01;
  static final byte SUITE_NATIONAL = 0x02;
  /** PUT KEY key types: AES (GP) and SM4 (iotpay's choice, docs/globalplatform-keys.md). */
  static final byte KEY_TYPE_AES = (byte) 0x88;
  static final byte KEY_TYPE_SM4 = (byte) 0xC8;
  /** PUT KEY key type of SCP02's triple-DES keys. */
  static final byte KEY_TYPE_DES = (byte) 0x80;
  static final byte SCP02 = 0x02;
  static final byte SCP03 = 0x03;
  static final byte PRIVILEGE_SECURITY_DOMAIN = (byte) 0x80;
  /** Associated AIDs a domain keeps: each is length || 16 bytes, kind in a parallel array. */
  static final short CHILDREN_MAX = 4;
  private static final short AID_MAX = 16;
  private static final short AID_SLOT = 17;
  private static final short ISD_DATA_LENGTH = (short) (4 + Scp03Channel.KEY_SET_LENGTH + Scp03Channel.KDD_LENGTH);
  private static final short SSD_DATA_LENGTH = (short) (3 + Scp03Channel.KDD_LENGTH);
  /** Key block: type || length (|| key length, SCP03) || ciphered key (16) || 03 || KCV (3). */
  private static final short KEY_BLOCK_TAIL = 20;
  private static final short KCV_OFF = 48;

  private final byte role;
  private final byte suite;
  private final boolean scp02;
  private final byte[] keys;
  private byte keyVersion;
  private final byte[] kdd;
  private final byte[] creatorAid;
  private final byte[] children;
  private final byte[] childIsDomain;
  private short childCount;
  /** Exactly one of the two channels exists: {@code scp02} says which. */
  private final Scp03Channel channel;
  private final SecureChannel scp02Channel;
  private final BlockCipher16 keyCipher;
  /** [0] index + 1 of the personalisation target among the children, 0 for none. */
  private final byte[] target;
  private final byte[] scratch;

  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new SecurityDomainApplet(bArray, bOffset).register(bArray, (short) (bOffset + 1), bArray[bOffset]);
  }

  protected SecurityDomainApplet(byte[] bArray, short bOffset) {
    short controlOff = (short) (bOffset + 1 + (short) (bArray[bOffset] & 0xFF));
    short controlLength = (short) (bArray[controlOff] & 0xFF);
    short dataLengthOff = (short) (controlOff + 1 + controlLength);
    short dataLength = (short) (bArray[dataLengthOff] & 0xFF);
    short p = (short) (dataLengthOff + 1);
    role = bArray[p];
    suite = bArray[(short) (p + 1)];
    byte protocol = bArray[(short) (p + 2)];
    boolean isd = role == ROLE_ISD && dataLength == ISD_DATA_LENGTH && controlLength == 0;
    boolean ssd = role == ROLE_SSD && dataLength == SSD_DATA_LENGTH && controlLength >= 5 && controlLength <= AID_MAX;
    boolean known = suite == SUITE_INTERNATIONAL ? protocol == SCP02 || protocol == SCP03
        : suite == SUITE_NATIONAL && protocol == SCP03;
    if ((!isd && !ssd) || !known) {
      ISOException.throwIt(GpSw.WRONG_DATA);
    }
    scp02 = protocol == SCP02;
    keys = new byte[Scp03Channel.KEY_SET_LENGTH];
    kdd = new byte[Scp03Channel.KDD_LENGTH];
    creatorAid = new byte[AID_SLOT];
    Util.arrayCopy(bArray, controlOff, creatorAid, (short) 0, (short) (controlLength + 1));
    if (isd) {
      keyVersion = bArray[(short) (p + 3)];
      Util.arrayCopy(bArray, (short) (p + 4), keys, (short) 0, Scp03Channel.KEY_SET_LENGTH);
      Util.arrayCopy(bArray, (short) (p + 4 + Scp03Channel.KEY_SET_LENGTH), kdd, (short) 0, Scp03Channel.KDD_LENGTH);
    } else {
      Util.arrayCopy(bArray, (short) (p + 3), kdd, (short) 0, Scp03Channel.KDD_LENGTH);
    }
    children = new byte[(short) (CHILDREN_MAX * AID_SLOT)];
    childIsDomain = new byte[CHILDREN_MAX];
    target = JCSystem.makeTransientByteArray((short) 1, JCSystem.CLEAR_ON_DESELECT);
    scratch = JCSystem.makeTransientByteArray((short) 64, JCSystem.CLEAR_ON_DESELECT);
    if (scp02) {
      keyCipher = new DesBlockCipher();
      Util.arrayCopyNonAtomic(keys, (short) 0, scratch, (short) 0, Scp03Channel.KEY_SET_LENGTH);
      Util.arrayCopyNonAtomic(kdd, (short) 0, scratch, Scp03Channel.KEY_SET_LENGTH, Scp03Channel.KDD_LENGTH);
      scp02Channel = new SecureChannel(new CardMac(keyCipher), scratch, (short) 0, Scp03Channel.KEY_SET_LENGTH,
          keyVersion);
      channel = null;
    } else {
      keyCipher = suite == SUITE_NATIONAL ? (BlockCipher16) new Sm4BlockCipher() : new AesBlockCipher();
      channel = new Scp03Channel(new Cmac16(keyCipher));
      scp02Channel = null;
    }
  }

  public void process(APDU apdu) {
    if (selectingApplet()) {
      resetChannel();
      target[0] = 0;
      return;
    }
    byte[] buf = apdu.getBuffer();
    byte cla = buf[ISO7816.OFFSET_CLA];
    if (cla != (byte) 0x80 && cla != (byte) 0x84) {
      ISOException.throwIt(GpSw.CLA_NOT_SUPPORTED);
    }
    byte ins = buf[ISO7816.OFFSET_INS];
    if (ins != 0x50 && ins != (byte) 0x82 && ins != (byte) 0xE6 && ins != (byte) 0xD8 && ins != (byte) 0xE2) {
      ISOException.throwIt(GpSw.INS_NOT_SUPPORTED);
    }
    short lc = receive(apdu);
    if (ins == 0x50) {
      initializeUpdate(apdu, lc);
      return;
    }
    if (ins == (byte) 0x82) {
      if (scp02) {
        scp02Channel.externalAuthenticate(apdu, lc);
      } else {
        channel.externalAuthenticate(apdu, lc);
      }
      return;
    }
    short length = scp02 ? scp02Channel.unwrap(apdu, lc) : channel.unwrap(apdu, lc);
    switch (ins) {
      case (byte) 0xE6: install(buf, length); break;
      case (byte) 0xD8: putKey(apdu, length); break;
      default: storeData(buf, length); break;
    }
  }

  private void resetChannel() {
    if (scp02) {
      scp02Channel.reset();
    } else {
      channel.reset();
    }
  }

  private void initializeUpdate(APDU apdu, short lc) {
    target[0] = 0;
    if (keyVersion == 0) {
      resetChannel();
      ISOException.throwIt(GpSw.CONDITIONS_NOT_SATISFIED);
    }
    if (scp02) {
      scp02Channel.initializeUpdate(apdu, lc);
    } else {
      channel.initializeUpdate(apdu, lc, keys, keyVersion, kdd);
    }
  }

  private static short receive(APDU apdu) {
    short lc = (short) (apdu.getBuffer()[ISO7816.OFFSET_LC] & 0xFF);
    short received = apdu.setIncomingAndReceive();
    if (received != lc) {
      ISOException.throwIt(GpSw.WRONG_LENGTH);
    }
    return lc;
  }

  // ---- INSTALL -------------------------------------------------------------------------------

  /**
   * INSTALL {@code 84 E6 P1 00}: P1 0C [for install and make selectable] records the new AID as
   * this domain's (the runtime then instantiates it); P1 20 [for personalization] makes an AID of
   * this domain's the target of the PUT KEY or STORE DATA that follow.
   */
  private void install(byte[] buf, short length) {
    if (buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(GpSw.WRONG_P1P2);
    }
    short p = ISO7816.OFFSET_CDATA;
    short end = (short) (p + length);
    short loadFileOff = p;
    p = skipField(buf, p, end);
    p = skipField(buf, p, end);
    short aidOff = p;
    short aidLength = (short) (buf[aidOff] & 0xFF);
    p = skipField(buf, p, end);
    if (aidLength < 5 || aidLength > AID_MAX) {
      ISOException.throwIt(GpSw.WRONG_DATA);
    }
    byte p1 = buf[ISO7816.OFFSET_P1];
    if (p1 == 0x20) {
      if (buf[loadFileOff] != 0) {
        ISOException.throwIt(GpSw.WRONG_DATA);
      }
      target[0] = (byte) (childIndex(buf, aidOff) + 1);
      return;
    }
    if (p1 != 0x0C) {
      ISOException.throwIt(GpSw.WRONG_P1P2);
    }
    short privilegesOff = p;
    p = skipField(buf, p, end);
    p = skipField(buf, p, end);
    p = skipField(buf, p, end);
    if (p != end || buf[privilegesOff] < 1) {
      ISOException.throwIt(GpSw.WRONG_DATA);
    }
    boolean domain = (buf[(short) (privilegesOff + 1)] & PRIVILEGE_SECURITY_DOMAIN) != 0;
    if (domain && role != ROLE_ISD) {
      ISOException.throwIt(GpSw.CONDITIONS_NOT_SATISFIED);
    }
    recordChild(buf, aidOff, domain);
  }

  /** Skips one length-prefixed field, refusing one that runs past the data. */
  private static short skipField(byte[] buf, short p, short end) {
    if (p >= end) {
      ISOException.throwIt(GpSw.WRONG_DATA);
    }
    short next = (short) (p + 1 + (short) (buf[p] & 0xFF));
    if (next > end) {
      ISOException.throwIt(GpSw.WRONG_DATA);
    }
    return next;
  }

  private short childIndex(byte[] buf, short aidOff) {
    short length = (short) ((buf[aidOff] & 0xFF) + 1);
    for (short i = 0; i < childCount; i++) {
      if (Util.arrayCompare(children, (short) (i * AID_SLOT), buf, aidOff, length) == 0) {
        return i;
      }
    }
    ISOException.throwIt(GpSw.REFERENCED_DATA_NOT_FOUND);
    return -1;
  }

  private void recordChild(byte[] buf, short aidOff, boolean domain) {
    short length = (short) ((buf[aidOff] & 0xFF) + 1);
    for (short i = 0; i < childCount; i++) {
      if (Util.arrayCompare(children, (short) (i * AID_SLOT), buf, aidOff, length) == 0) {
        ISOException.throwIt(GpSw.CONDITIONS_NOT_SATISFIED);
      }
    }
    if (childCount == CHILDREN_MAX) {
      ISOException.throwIt(GpSw.CONDITIONS_NOT_SATISFIED);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(buf, aidOff, children, (short) (childCount * AID_SLOT), length);
    childIsDomain[childCount] = (byte) (domain ? 1 : 0);
    childCount++;
    JCSystem.commitTransaction();
  }

  private Shareable targetInterface(boolean domain) {
    short index = (short) (target[0] - 1);
    if (index < 0 || (childIsDomain[index] == 1) != domain) {
      ISOException.throwIt(GpSw.CONDITIONS_NOT_SATISFIED);
    }
    short off = (short) (index * AID_SLOT);
    AID aid = JCSystem.lookupAID(children, (short) (off + 1), children[off]);
    Shareable shared = aid == null ? null : JCSystem.getAppletShareableInterfaceObject(aid, (byte) 0);
    if (shared == null) {
      ISOException.throwIt(GpSw.REFERENCED_DATA_NOT_FOUND);
    }
    return shared;
  }

  // ---- PUT KEY -------------------------------------------------------------------------------

  /**
   * PUT KEY {@code 84 D8 KVN 81}: new version || three key blocks (ENC, MAC, DEK), each
   * deciphered under this domain's DEK (SCP03: static DEK, CBC; SCP02: session DEK, ECB) and checked
   * against its KCV. Replaces this domain's keys, or gives the personalisation target (a domain this
   * one created) its keys. Answers new version || the three KCVs.
   */
  private void putKey(APDU apdu, short length) {
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_P2] != (byte) 0x81) {
      ISOException.throwIt(GpSw.WRONG_P1P2);
    }
    short header = scp02 ? (short) 2 : (short) 3;
    short blockLength = (short) (header + KEY_BLOCK_TAIL);
    if (length != (short) (1 + 3 * blockLength)) {
      ISOException.throwIt(GpSw.WRONG_LENGTH);
    }
    short p = (short) (ISO7816.OFFSET_CDATA + 1);
    for (short k = 0; k < 3; k++) {
      decipherKeyBlock(buf, p, header, (short) (k * Scp03Channel.KEY_LENGTH));
      p = (short) (p + blockLength);
    }
    byte replaced = buf[ISO7816.OFFSET_P1];
    byte newVersion = buf[ISO7816.OFFSET_CDATA];
    if (target[0] != 0) {
      ((KeyReceiver) targetInterface(true)).receiveKeys(replaced, newVersion, scratch, (short) 0);
    } else {
      receiveKeys(replaced, newVersion, scratch, (short) 0);
    }
    Util.arrayFillNonAtomic(scratch, (short) 0, Scp03Channel.KEY_SET_LENGTH, (byte) 0);
    buf[0] = newVersion;
    for (short k = 0; k < 3; k++) {
      Util.arrayCopyNonAtomic(buf, (short) (ISO7816.OFFSET_CDATA + 1 + k * blockLength + header + 17), buf,
          (short) (1 + k * 3), (short) 3);
    }
    apdu.setOutgoingAndSend((short) 0, (short) 10);
  }

  /** One key block at {@code p}; the plain key goes to scratch[out], checked against its KCV. */
  private void decipherKeyBlock(byte[] buf, short p, short header, short out) {
    byte type = scp02 ? KEY_TYPE_DES : suite == SUITE_NATIONAL ? KEY_TYPE_SM4 : KEY_TYPE_AES;
    boolean layout = scp02 ? buf[(short) (p + 1)] == 0x10
        : buf[(short) (p + 1)] == 0x11 && buf[(short) (p + 2)] == 0x10;
    if (buf[p] != type || !layout || buf[(short) (p + header + 16)] != 0x03) {
      ISOException.throwIt(GpSw.WRONG_DATA);
    }
    if (scp02) {
      keyCipher.setKey(scp02Channel.sessionKeys(), SecureChannel.dekOffset());
    } else {
      keyCipher.setKey(keys, Scp03Channel.DEK);
    }
    short cipherBlock = keyCipher.blockLength();
    for (short b = 0; b < Scp03Channel.KEY_LENGTH; b = (short) (b + cipherBlock)) {
      keyCipher.decryptBlock(buf, (short) (p + header + b), scratch, (short) (out + b));
    }
    // GP key check value: 3DES of 8 x 00 (SCP02); AES or SM4 of 16 x 01 (SCP03).
    keyCipher.setKey(scratch, out);
    Util.arrayFillNonAtomic(scratch, KCV_OFF, cipherBlock, scp02 ? (byte) 0x00 : (byte) 0x01);
    keyCipher.encryptBlock(scratch, KCV_OFF, scratch, KCV_OFF);
    if (!CardMac.equalsConstantTime(scratch, KCV_OFF, buf, (short) (p + header + 17), (short) 3)) {
      Util.arrayFillNonAtomic(scratch, (short) 0, (short) 64, (byte) 0);
      ISOException.throwIt(GpSw.WRONG_DATA);
    }
  }

  public void receiveKeys(byte replacedVersion, byte newVersion, byte[] newKeys, short off) {
    if (replacedVersion != keyVersion) {
      ISOException.throwIt(GpSw.REFERENCED_DATA_NOT_FOUND);
    }
    if (newVersion < 1 || newVersion == keyVersion) {
      ISOException.throwIt(GpSw.WRONG_DATA);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(newKeys, off, keys, (short) 0, Scp03Channel.KEY_SET_LENGTH);
    keyVersion = newVersion;
    if (scp02) {
      scp02Channel.replaceKeys(newKeys, off, newVersion);
    }
    JCSystem.commitTransaction();
  }

  public Shareable getShareableInterfaceObject(AID clientAid, byte parameter) {
    if (role != ROLE_SSD || clientAid == null || !clientAid.equals(creatorAid, (short) 1, creatorAid[0])) {
      return null;
    }
    return this;
  }

  // ---- STORE DATA ----------------------------------------------------------------------------

  /**
   * STORE DATA {@code 84 E2 P1 tag}: forwarded to the personalisation target (an application this
   * domain installed) as its tag and value; P1 bit 8 marks the last block, after which the
   * application locks.
   */
  private void storeData(byte[] buf, short length) {
    Personalisable application = (Personalisable) targetInterface(false);
    byte p1 = buf[ISO7816.OFFSET_P1];
    if ((p1 & 0x7F) != 0) {
      ISOException.throwIt(GpSw.WRONG_P1P2);
    }
    application.personalise(buf[ISO7816.OFFSET_P2], buf, ISO7816.OFFSET_CDATA, length);
    if ((p1 & 0x80) != 0) {
      application.endPersonalisation();
      target[0] = 0;
    }
  }
}
