package io.iotpay.card.transit;

import io.iotpay.card.crypto.BlockCipher16;
import io.iotpay.card.crypto.CardMac;
import io.iotpay.card.crypto.DesBlockCipher;
import io.iotpay.card.crypto.Sm4BlockCipher;
import io.iotpay.card.oda.DynamicSigner;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * A PBOC-style payment application with the low-value extended application used as a transit
 * quota (seed 004): 9F79 is a spending allowance usable only by transit terminals that send
 * DF60 = 1 after READ CAPP DATA; entry locks the maximum fare (DF62/DF63), exit settles the real
 * fare; the issuer restores the quota with Push PUT DATA inside an SCP02 secure channel. Every
 * APDU, formula and status word is in {@code docs/card-apdus.md}.
 *
 * <p>Converter-compatible: byte and short arithmetic, no String, int fields, long or java.util,
 * all memory allocated in the constructor. Persistent state changes of a transaction happen inside
 * one Java Card transaction, so a tear leaves either the old or the new state.
 */
public class TransitApplet extends Applet {

  // ---- suites, life cycle, sizes ------------------------------------------------------------
  static final byte SUITE_3DES = 0x01;
  static final byte SUITE_SM4 = 0x02;
  private static final byte LIFE_INSTALLED = 0x01;
  private static final byte LIFE_PERSONALISED = 0x0F;
  private static final byte DGI_KEYS = 0x01;
  private static final byte DGI_RECORD = 0x02;
  private static final byte DGI_DATA = 0x04;
  private static final byte DGI_ALL = 0x07;

  static final short QUOTA = 0;
  static final short LIMIT = 6;
  static final short DEDUCTED = 12;
  private static final short AC_KEY = 0;
  private static final short MAC_SUB_KEY = 16;

  static final short CAPP_LENGTH = 32;
  static final short CAPP_SFI = 0x17;
  static final short CAPP_ID = 0x5452;
  static final byte JOURNEY_ENTERED = 0x01;
  static final byte JOURNEY_EXITED = 0x02;

  static final short LOG_SFI = 0x1E;
  static final short LOG_RECORDS = 10;
  static final short LOG_LENGTH = 68;
  private static final short LOG_SLOT = LOG_LENGTH + 1;
  private static final short PROOF_MAX = 96;
  private static final short PDOL_MAX = 32;
  private static final short PDOL_DATA_MAX = 64;
  private static final short RECORD_MAX = 64;

  /** CDOL1 data: the EMV part (29 bytes) then the acceptor (terminal id 16 ‖ operator id 16). */
  static final short CDOL1_LENGTH = 61;
  private static final short CDOL_AMOUNT = 0;
  private static final short CDOL_CURRENCY = 19;
  private static final short CDOL_ACCEPTOR = 29;
  private static final short ACCEPTOR_LENGTH = 32;
  private static final short CDOL_DATE = 21;
  private static final short CDOL_UN = 25;

  private static final byte STAGE_SELECTED = 0;
  private static final byte STAGE_GPO_DONE = 1;
  private static final byte STAGE_AC_DONE = 2;
  static final byte PATH_ONLINE = 0;
  static final byte PATH_DECLINE = 1;
  static final byte PATH_EXTENSION = 2;

  static final byte CID_AAC = 0x00;
  static final byte CID_TC = 0x40;
  static final byte CID_ARQC = (byte) 0x80;
  static final byte CVR_QUOTA_INSUFFICIENT = (byte) 0x80;
  static final byte CVR_JOURNEY_OPEN = 0x40;
  static final byte CVR_LOCK_OVER_LIMIT = 0x20;
  static final byte CVR_NO_CAPP_UPDATE = 0x10;
  static final byte CVR_NO_READ_CAPP = 0x08;
  static final byte CVR_ONLINE_ONLY = 0x04;

  private static final byte[] AIP = {0x08, 0x00};
  /** AIP of a card personalised for ODA: as {@link #AIP} plus DDA supported (20), here fDDA. */
  private static final byte[] AIP_ODA = {0x28, 0x00};
  private static final byte[] AFL = {0x08, 0x01, 0x01, 0x00};
  private static final byte[] LABEL = {'I', 'O', 'T', 'P', 'A', 'Y', ' ', 'T', 'R', 'A', 'N', 'S',
      'I', 'T'};
  /** Log format (9F4F): the data objects of one SFI 0x1E record, in order. */
  private static final byte[] LOG_FORMAT = {(byte) 0x9F, 0x36, 0x02, (byte) 0x9F, 0x27, 0x01,
      (byte) 0x9F, 0x02, 0x06, (byte) 0x9F, 0x79, 0x06, (byte) 0xDF, 0x63, 0x06, (byte) 0x9A, 0x03,
      (byte) 0x9F, 0x37, 0x04, (byte) 0x9F, 0x26, 0x08, (byte) 0xDF, 0x64, 0x20};

  // ---- persistent state (package-private so a test subclass can simulate memory faults) -----
  final byte suite;
  private final CardMac mac;
  final SecureChannel channel;
  private byte lifeCycle;
  private byte dgiFlags;
  final byte[] appKeys;
  /** Quota 9F79 || limit DF62 || deducted DF63, each n12 BCD. */
  final byte[] amounts;
  short atc;
  short lastPushAtc;
  private final byte[] pdol;
  private short pdolLength;
  private short pdolDataLength;
  private short pdolAmountOff;
  private short pdolDf60Off;
  private final byte[] appRecord;
  private short appRecordLength;
  private final byte[] pan;
  private short panLength;
  final byte[] cappRecord;
  final byte[] log;
  private short logNext;
  private short logCount;
  final byte[] proof;
  private short proofLength;
  private short proofAtc;
  private final TransitOda oda;

  // ---- transient state ----------------------------------------------------------------------
  /** [0] stage, [1] path, [2] READ CAPP DATA seen before GPO, [3] CAPP cache filled. */
  private final byte[] tx;
  private final byte[] cache;
  private final byte[] scratch;
  private final byte[] sessionKey;
  /** Result of {@link #parseTlv}: tag, value offset, value length. */
  private final short[] tlv;

  /**
   * Installs the applet: install data (GP format: AID, control info, applet data) carries
   * suite (1) || KVN (1) || key diversification data (10) || SCP02 keys ENC || MAC || DEK (48).
   */
  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new TransitApplet(bArray, bOffset, bLength).register(bArray, (short) (bOffset + 1),
        bArray[bOffset]);
  }

  protected TransitApplet(byte[] bArray, short bOffset, byte bLength) {
    short aidLength = (short) (bArray[bOffset] & 0xFF);
    short controlOff = (short) (bOffset + 1 + aidLength);
    short dataLengthOff = (short) (controlOff + 1 + (short) (bArray[controlOff] & 0xFF));
    short dataOff = (short) (dataLengthOff + 1);
    if ((short) (bArray[dataLengthOff] & 0xFF) != (short) (12 + SecureChannel.KEY_SET_LENGTH)) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    suite = bArray[dataOff];
    BlockCipher16 cipher = null;
    if (suite == SUITE_3DES) {
      cipher = new DesBlockCipher();
    } else if (suite == SUITE_SM4) {
      cipher = new Sm4BlockCipher();
    } else {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    mac = new CardMac(cipher);
    channel = new SecureChannel(mac, bArray, (short) (dataOff + 12), (short) (dataOff + 2),
        bArray[(short) (dataOff + 1)]);
    lifeCycle = LIFE_INSTALLED;
    oda = new TransitOda(suite == SUITE_SM4);
    appKeys = new byte[32];
    amounts = new byte[18];
    pdol = new byte[PDOL_MAX];
    pdolAmountOff = -1;
    pdolDf60Off = -1;
    appRecord = new byte[RECORD_MAX];
    pan = new byte[10];
    cappRecord = new byte[CAPP_LENGTH];
    log = new byte[(short) (LOG_RECORDS * LOG_SLOT)];
    proof = new byte[(short) (PROOF_MAX + 1)];
    tx = JCSystem.makeTransientByteArray((short) 4, JCSystem.CLEAR_ON_DESELECT);
    cache = JCSystem.makeTransientByteArray(CAPP_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    scratch = JCSystem.makeTransientByteArray((short) 224, JCSystem.CLEAR_ON_DESELECT);
    sessionKey = JCSystem.makeTransientByteArray((short) 16, JCSystem.CLEAR_ON_DESELECT);
    tlv = JCSystem.makeTransientShortArray((short) 3, JCSystem.CLEAR_ON_DESELECT);
  }

  public boolean select() {
    resetSession();
    return true;
  }

  public void deselect() {
    resetSession();
  }

  private void resetSession() {
    Util.arrayFillNonAtomic(tx, (short) 0, (short) tx.length, (byte) 0);
    Util.arrayFillNonAtomic(cache, (short) 0, CAPP_LENGTH, (byte) 0);
    channel.reset();
  }

  public void process(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    if (selectingApplet()) {
      resetSession();
      sendFci(apdu);
      return;
    }
    byte cla = buf[ISO7816.OFFSET_CLA];
    if (cla != 0x00 && cla != 0x04 && cla != 0x0C && cla != (byte) 0x80 && cla != (byte) 0x84) {
      ISOException.throwIt(TransitSw.CLA_NOT_SUPPORTED);
    }
    switch (buf[ISO7816.OFFSET_INS]) {
      case (byte) 0xB2: requirePlain(cla, (byte) 0x00); readRecord(apdu); break;
      case (byte) 0xCA: requirePlain(cla, (byte) 0x80); getData(apdu); break;
      case (byte) 0xB4: requirePlain(cla, (byte) 0x80); readCappData(apdu, receive(apdu)); break;
      case (byte) 0xDE: requirePlain(cla, (byte) 0x80); updateCappCache(apdu, receive(apdu)); break;
      case (byte) 0xA8: requirePlain(cla, (byte) 0x80); gpo(apdu, receive(apdu)); break;
      case (byte) 0xAE: requirePlain(cla, (byte) 0x80); generateAc(apdu, receive(apdu)); break;
      case (byte) 0x5A: requirePlain(cla, (byte) 0x80); getTransProve(apdu, receive(apdu)); break;
      case (byte) 0x88: requirePlain(cla, (byte) 0x00); internalAuthenticate(apdu, receive(apdu)); break;
      case (byte) 0xE0: requirePlain(cla, (byte) 0x80); generateOdaKey(apdu); break;
      case (byte) 0x50:
        requirePlain(cla, (byte) 0x80);
        channel.initializeUpdate(apdu, receive(apdu));
        break;
      case (byte) 0x82:
        requireMacClass(cla, (byte) 0x84);
        channel.externalAuthenticate(apdu, receive(apdu));
        break;
      case (byte) 0xE2: requireMacClass(cla, (byte) 0x84); storeData(apdu, receive(apdu)); break;
      case (byte) 0xDA: requireMacClass(cla, (byte) 0x04); pushPutData(apdu, receive(apdu)); break;
      case (byte) 0xA4: ISOException.throwIt(TransitSw.FILE_NOT_FOUND); break;
      default: ISOException.throwIt(TransitSw.INS_NOT_SUPPORTED);
    }
  }

  /** A command without an SM form: its plain class, the SM variant of it is 6882, others 6E00. */
  private static void requirePlain(byte cla, byte plain) {
    if (cla == plain) {
      return;
    }
    if (cla == (byte) (plain | 0x04) || cla == (byte) (plain | 0x0C)) {
      ISOException.throwIt(TransitSw.SM_NOT_SUPPORTED);
    }
    ISOException.throwIt(TransitSw.CLA_NOT_SUPPORTED);
  }

  /** A command that must carry a MAC: its SM class, the plain variant is 6987, others 6E00. */
  private static void requireMacClass(byte cla, byte secured) {
    if (cla == secured) {
      return;
    }
    if (cla == (byte) (secured & (byte) 0xF3)) {
      ISOException.throwIt(TransitSw.SM_MISSING);
    }
    if (cla == (byte) (secured | 0x08)) {
      ISOException.throwIt(TransitSw.SM_NOT_SUPPORTED);
    }
    ISOException.throwIt(TransitSw.CLA_NOT_SUPPORTED);
  }

  private static short receive(APDU apdu) {
    short lc = (short) (apdu.getBuffer()[ISO7816.OFFSET_LC] & 0xFF);
    short received = apdu.setIncomingAndReceive();
    if (received != lc) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    return lc;
  }

  private void requirePersonalised() {
    if (lifeCycle != LIFE_PERSONALISED) {
      ISOException.throwIt(TransitSw.COMMAND_NOT_ALLOWED);
    }
  }

  /** Stored amounts failing BCD validation mean the EEPROM no longer holds what was written. */
  private void requireAmountsIntact() {
    if (!Bcd.isValid(amounts, QUOTA) || !Bcd.isValid(amounts, LIMIT)
        || !Bcd.isValid(amounts, DEDUCTED)) {
      ISOException.throwIt(TransitSw.MEMORY_FAILURE);
    }
  }

  // ---- SELECT, READ RECORD, GET DATA ----------------------------------------------------------

  private void sendFci(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    short p = 2;
    buf[p++] = (byte) 0x84;
    short aidLength = JCSystem.getAID().getBytes(buf, (short) (p + 1));
    buf[p++] = (byte) aidLength;
    p = (short) (p + aidLength);
    buf[p++] = (byte) 0xA5;
    short a5Len = p++;
    buf[p++] = 0x50;
    buf[p++] = (byte) LABEL.length;
    p = Util.arrayCopyNonAtomic(LABEL, (short) 0, buf, p, (short) LABEL.length);
    buf[p++] = (byte) 0x87;
    buf[p++] = 0x01;
    buf[p++] = 0x01;
    if (lifeCycle == LIFE_PERSONALISED) {
      buf[p++] = (byte) 0x9F;
      buf[p++] = 0x38;
      buf[p++] = (byte) pdolLength;
      p = Util.arrayCopyNonAtomic(pdol, (short) 0, buf, p, pdolLength);
    }
    buf[p++] = (byte) 0xBF;
    buf[p++] = 0x0C;
    buf[p++] = 0x05;
    buf[p++] = (byte) 0x9F;
    buf[p++] = 0x4D;
    buf[p++] = 0x02;
    buf[p++] = (byte) LOG_SFI;
    buf[p++] = (byte) LOG_RECORDS;
    buf[a5Len] = (byte) (p - a5Len - 1);
    buf[0] = 0x6F;
    buf[1] = (byte) (p - 2);
    apdu.setOutgoingAndSend((short) 0, p);
  }

  /** READ RECORD {@code 00 B2 rec (SFI<<3|4) 00}: SFI 1 application data, SFI 0x1E the log. */
  private void readRecord(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    short record = (short) (buf[ISO7816.OFFSET_P1] & 0xFF);
    short p2 = (short) (buf[ISO7816.OFFSET_P2] & 0xFF);
    if ((short) (p2 & 0x07) != 0x04 || record == 0) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
    short sfi = (short) (p2 >> 3);
    if (sfi == LOG_SFI) {
      readLogRecord(apdu, record);
    } else if (sfi == 0x01) {
      if (record == 2 && lifeCycle == LIFE_PERSONALISED && oda.enabled()) {
        apdu.setOutgoingAndSend((short) 0, oda.readRecord(buf));
        return;
      }
      if (record != 1 || lifeCycle != LIFE_PERSONALISED) {
        ISOException.throwIt(TransitSw.RECORD_NOT_FOUND);
      }
      buf[0] = 0x70;
      buf[1] = (byte) appRecordLength;
      Util.arrayCopyNonAtomic(appRecord, (short) 0, buf, (short) 2, appRecordLength);
      apdu.setOutgoingAndSend((short) 0, (short) (appRecordLength + 2));
    } else {
      ISOException.throwIt(TransitSw.FILE_NOT_FOUND);
    }
  }

  /** Record 1 is the newest (cyclic file convention). */
  private void readLogRecord(APDU apdu, short record) {
    if (record > logCount) {
      ISOException.throwIt(TransitSw.RECORD_NOT_FOUND);
    }
    short slot = (short) ((short) (logNext - record + LOG_RECORDS) % LOG_RECORDS);
    short off = (short) (slot * LOG_SLOT);
    byte[] buf = apdu.getBuffer();
    Util.arrayCopyNonAtomic(log, off, buf, (short) 0, LOG_LENGTH);
    boolean intact = checkByte(log, off, LOG_LENGTH) == log[(short) (off + LOG_LENGTH)];
    sendWithStatus(apdu, LOG_LENGTH, intact);
  }

  /** Sends data with 9000, or with the warning 6281 when its check byte failed. */
  private static void sendWithStatus(APDU apdu, short length, boolean intact) {
    apdu.setOutgoingAndSend((short) 0, length);
    if (!intact) {
      ISOException.throwIt(TransitSw.DATA_MAY_BE_CORRUPTED);
    }
  }

  /** XOR of the bytes, stored after each log record and proof to detect a damaged copy. */
  static byte checkByte(byte[] data, short off, short len) {
    byte x = (byte) 0xA5;
    for (short i = 0; i < len; i++) {
      x = (byte) (x ^ data[(short) (off + i)]);
    }
    return x;
  }

  /** GET DATA {@code 80 CA P1 P2 00} for 9F79, DF62, DF63, 9F36 and 9F4F. */
  private void getData(APDU apdu) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    short tag = Util.getShort(buf, ISO7816.OFFSET_P1);
    short len;
    if (tag == (short) 0x9F36) {
      len = Util.setShort(buf, (short) 3, atc);
    } else if (tag == (short) 0x9F4F) {
      len = Util.arrayCopyNonAtomic(LOG_FORMAT, (short) 0, buf, (short) 3,
          (short) LOG_FORMAT.length);
    } else {
      short off = amountOffset(tag);
      if (off < 0) {
        ISOException.throwIt(TransitSw.REFERENCED_DATA_NOT_FOUND);
      }
      requireAmountsIntact();
      len = Util.arrayCopyNonAtomic(amounts, off, buf, (short) 3, Bcd.LENGTH);
    }
    Util.setShort(buf, (short) 0, tag);
    buf[2] = (byte) (len - 3);
    apdu.setOutgoingAndSend((short) 0, len);
  }

  private static short amountOffset(short tag) {
    if (tag == (short) 0x9F79) {
      return QUOTA;
    }
    if (tag == (short) 0xDF62) {
      return LIMIT;
    }
    if (tag == (short) 0xDF63) {
      return DEDUCTED;
    }
    return -1;
  }

  // ---- extended application: READ CAPP DATA, UPDATE CAPP DATA CACHE ---------------------------

  private static void requireCappReference(byte[] buf) {
    if (buf[ISO7816.OFFSET_P1] != 0x01
        || buf[ISO7816.OFFSET_P2] != (byte) ((CAPP_SFI << 3) | 0x04)) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
  }

  /** READ CAPP DATA {@code 80 B4 01 BC 02 capp-id 00}: the transit record; arms the GPO path. */
  private void readCappData(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    requireCappReference(buf);
    if (lc != 2) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    if (Util.getShort(buf, ISO7816.OFFSET_CDATA) != CAPP_ID) {
      ISOException.throwIt(TransitSw.FUNCTION_NOT_SUPPORTED);
    }
    if (tx[0] == STAGE_SELECTED) {
      tx[2] = 1;
    }
    Util.arrayCopyNonAtomic(cappRecord, (short) 0, buf, (short) 0, CAPP_LENGTH);
    apdu.setOutgoingAndSend((short) 0, CAPP_LENGTH);
  }

  /**
   * UPDATE CAPP DATA CACHE {@code 80 DE 01 BC Lc record}: after GPO on the extension path; the
   * record is written only if GENERATE AC approves offline, in the same transaction as the quota.
   */
  private void updateCappCache(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    requireCappReference(buf);
    if (tx[0] != STAGE_GPO_DONE || tx[1] != PATH_EXTENSION) {
      ISOException.throwIt(TransitSw.COMMAND_NOT_ALLOWED);
    }
    if (lc == 0) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    if (lc > CAPP_LENGTH) {
      ISOException.throwIt(TransitSw.FILE_FULL);
    }
    byte state = buf[ISO7816.OFFSET_CDATA];
    if (state != JOURNEY_ENTERED && state != JOURNEY_EXITED) {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    Util.arrayFillNonAtomic(cache, (short) 0, CAPP_LENGTH, (byte) 0);
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, cache, (short) 0, lc);
    tx[3] = 1;
  }

  // ---- GPO ----------------------------------------------------------------------------------

  /** GET PROCESSING OPTIONS {@code 80 A8 00 00 Lc 83 L pdol-data 00}. */
  private void gpo(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    if (tx[0] != STAGE_SELECTED) {
      ISOException.throwIt(TransitSw.COMMAND_NOT_ALLOWED);
    }
    if (buf[ISO7816.OFFSET_P1] != 0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
    if (lc < 2 || buf[ISO7816.OFFSET_CDATA] != (byte) 0x83) {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    short dataLength = (short) (buf[(short) (ISO7816.OFFSET_CDATA + 1)] & 0xFF);
    if (dataLength != (short) (lc - 2)) {
      ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
    }
    if (dataLength != pdolDataLength) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    short data = (short) (ISO7816.OFFSET_CDATA + 2);
    if (!Bcd.isValid(buf, (short) (data + pdolAmountOff))) {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    requireAmountsIntact();
    if (atc == (short) 0xFFFF) {
      ISOException.throwIt(TransitSw.EXECUTION_ERROR);
    }
    byte path = decidePath(buf, data);
    // A single persistent field update is atomic on Java Card: no transaction needed.
    atc++;
    tx[0] = STAGE_GPO_DONE;
    tx[1] = path;
    sendGpoResponse(apdu, path);
  }

  /**
   * The seed's decision table (paper section 2.2.1, figure 4): no DF60 in the PDOL or DF60 = 0 →
   * online only; DF60 = 1 without READ CAPP DATA before GPO → decline; DF60 = 1 after READ CAPP
   * DATA → the low-value extended offline purchase.
   */
  private byte decidePath(byte[] buf, short data) {
    if (pdolDf60Off < 0) {
      return PATH_ONLINE;
    }
    byte df60 = buf[(short) (data + pdolDf60Off)];
    if (df60 == 0) {
      return PATH_ONLINE;
    }
    if (df60 != 1) {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    return tx[2] == 1 ? PATH_EXTENSION : PATH_DECLINE;
  }

  private void sendGpoResponse(APDU apdu, byte path) {
    byte[] buf = apdu.getBuffer();
    short p = 3;
    p = putTlv(buf, p, (short) 0x82, aip(), (short) 0, (short) 2);
    p = putTlv(buf, p, (short) 0x94, AFL, (short) 0, (short) 4);
    buf[p++] = (byte) 0x9F;
    buf[p++] = 0x36;
    buf[p++] = 0x02;
    p = Util.setShort(buf, p, atc);
    p = putTlv(buf, p, (short) 0x5A, pan, (short) 0, panLength);
    if (path == PATH_EXTENSION) {
      p = putTlv(buf, p, (short) 0x9F79, amounts, QUOTA, Bcd.LENGTH);
      p = putTlv(buf, p, (short) 0xDF62, amounts, LIMIT, Bcd.LENGTH);
      p = putTlv(buf, p, (short) 0xDF63, amounts, DEDUCTED, Bcd.LENGTH);
      if (oda.enabled()) {
        p = oda.appendGpoData(buf, p);
      }
    }
    apdu.setOutgoingAndSend((short) 0, TransitOda.closeTemplate(buf, (byte) 0x77, p));
  }

  private byte[] aip() {
    return oda.enabled() ? AIP_ODA : AIP;
  }

  /** Writes tag (1 or 2 bytes), a one-byte length and the value; returns the next offset. */
  private static short putTlv(byte[] out, short p, short tag, byte[] src, short off, short len) {
    if ((short) (tag & (short) 0xFF00) != 0) {
      p = Util.setShort(out, p, tag);
    } else {
      out[p++] = (byte) tag;
    }
    out[p++] = (byte) len;
    return Util.arrayCopyNonAtomic(src, off, out, p, len);
  }

  // ---- GENERATE AC --------------------------------------------------------------------------

  // scratch layout for the cryptogram input and the response
  private static final short S_AIP = CDOL1_LENGTH;
  private static final short S_ATC = (short) (S_AIP + 2);
  private static final short S_CID = (short) (S_ATC + 2);
  private static final short S_IAD = (short) (S_CID + 1);
  private static final short S_QUOTA = (short) (S_IAD + 4);
  private static final short S_DEDUCTED = (short) (S_QUOTA + 6);
  private static final short S_CAPP = (short) (S_DEDUCTED + 6);
  private static final short S_TC_END = (short) (S_CAPP + CAPP_LENGTH);
  private static final short S_MAC = 120;
  private static final short S_RESPONSE = 136;

  /** GENERATE AC {@code 80 AE P1 00 3D cdol1-data 00}. */
  private void generateAc(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    if (tx[0] != STAGE_GPO_DONE) {
      ISOException.throwIt(TransitSw.COMMAND_NOT_ALLOWED);
    }
    byte p1 = buf[ISO7816.OFFSET_P1];
    if ((p1 & 0x10) != 0) {
      ISOException.throwIt(TransitSw.FUNCTION_NOT_SUPPORTED);
    }
    if ((p1 & 0x2F) != 0 || (p1 & 0xC0) == 0xC0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
    if (lc != CDOL1_LENGTH) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    if (!Bcd.isValid(buf, (short) (ISO7816.OFFSET_CDATA + CDOL_AMOUNT))) {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    requireAmountsIntact();
    tx[0] = STAGE_AC_DONE;
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, (short) 0, CDOL1_LENGTH);
    Util.arrayCopyNonAtomic(aip(), (short) 0, scratch, S_AIP, (short) 2);
    Util.setShort(scratch, S_ATC, atc);
    scratch[S_IAD] = 0x01;
    scratch[(short) (S_IAD + 1)] = suite == SUITE_3DES ? (byte) 0x01 : (byte) 0x04;
    scratch[(short) (S_IAD + 2)] = 0;
    scratch[(short) (S_IAD + 3)] = 0;
    byte cid = decideCryptogram((byte) (p1 & 0xC0));
    scratch[S_CID] = cid;
    short macInputLength = cid == CID_TC ? S_TC_END : S_QUOTA;
    mac.deriveCounterKey(appKeys, AC_KEY, scratch, S_ATC, sessionKey, (short) 0);
    mac.mac(sessionKey, (short) 0, null, (short) 0, scratch, (short) 0, macInputLength, true,
        scratch, S_MAC);
    short responseLength = buildAcResponse(cid);
    if (cid == CID_TC) {
      commitOfflinePurchase(responseLength);
    }
    if (cid == CID_TC && oda.enabled()) {
      apdu.setOutgoingAndSend((short) 0, appendFdda(buf, responseLength));
      return;
    }
    Util.arrayCopyNonAtomic(scratch, S_RESPONSE, buf, (short) 0, responseLength);
    apdu.setOutgoingAndSend((short) 0, responseLength);
  }

  /**
   * The TC response followed by 9F69 and 9F4B, the fDDA signature over the CDOL1's UN, amount and
   * currency (docs/card-apdus.md §11). The proof GET TRANS PROVE returns stays the TC without them.
   *
   * @return the response length in {@code buf}
   */
  private short appendFdda(byte[] buf, short responseLength) {
    oda.setTerminalData(scratch, CDOL_UN, scratch, CDOL_AMOUNT, scratch, CDOL_CURRENCY);
    short content = (short) (responseLength - 2);
    Util.arrayCopyNonAtomic(scratch, (short) (S_RESPONSE + 2), buf, (short) 3, content);
    short end = oda.appendSignature(scratch, buf, (short) (3 + content));
    return TransitOda.closeTemplate(buf, (byte) 0x77, end);
  }

  // ---- offline data authentication ------------------------------------------------------------

  /** INTERNAL AUTHENTICATE: an fDDA signature without a transaction (docs/card-apdus.md §11). */
  private void internalAuthenticate(APDU apdu, short lc) {
    requirePersonalised();
    apdu.setOutgoingAndSend((short) 0, oda.internalAuthenticate(apdu.getBuffer(), lc, scratch));
  }

  /** GENERATE ODA KEY {@code 80 E0 00 00 00} before personalisation closes: the card's ODA key pair. */
  private void generateOdaKey(APDU apdu) {
    if (lifeCycle == LIFE_PERSONALISED) {
      ISOException.throwIt(TransitSw.CONDITIONS_NOT_SATISFIED);
    }
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_P1] != 0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
    apdu.setOutgoingAndSend((short) 0, oda.generateKey(buf));
  }

  /** Chooses AAC, TC or ARQC; for a TC also computes the new quota and DF63 into scratch. */
  private byte decideCryptogram(byte requested) {
    if (requested == CID_AAC) {
      return CID_AAC;
    }
    if (tx[1] == PATH_DECLINE) {
      scratch[(short) (S_IAD + 2)] = CVR_NO_READ_CAPP;
      return CID_AAC;
    }
    if (tx[1] == PATH_ONLINE) {
      scratch[(short) (S_IAD + 2)] = CVR_ONLINE_ONLY;
      return CID_ARQC;
    }
    if (requested == CID_ARQC) {
      return CID_ARQC;
    }
    byte reason = offlinePurchase();
    scratch[(short) (S_IAD + 2)] = reason;
    return reason == 0 ? CID_TC : CID_AAC;
  }

  /**
   * Entry: lock the amount (at most DF62, at most the quota, no journey open): quota -= amount,
   * DF63 = amount. Exit: settle against what entry locked: quota = quota + DF63 - amount, DF63 = 0,
   * refused if that would go negative.
   *
   * @return 0 to approve, else the CVR bit saying why not
   */
  private byte offlinePurchase() {
    if (tx[3] != 1) {
      return CVR_NO_CAPP_UPDATE;
    }
    short amount = CDOL_AMOUNT;
    Util.arrayCopyNonAtomic(cache, (short) 0, scratch, S_CAPP, CAPP_LENGTH);
    if (cache[0] == JOURNEY_ENTERED) {
      if (cappRecord[0] == JOURNEY_ENTERED) {
        return CVR_JOURNEY_OPEN;
      }
      if (Bcd.compare(scratch, amount, amounts, LIMIT) > 0) {
        return CVR_LOCK_OVER_LIMIT;
      }
      if (Bcd.subtract(amounts, QUOTA, scratch, amount, scratch, S_QUOTA)) {
        return CVR_QUOTA_INSUFFICIENT;
      }
      Util.arrayCopyNonAtomic(scratch, amount, scratch, S_DEDUCTED, Bcd.LENGTH);
      return 0;
    }
    if (Bcd.add(amounts, QUOTA, amounts, DEDUCTED, scratch, S_QUOTA)) {
      ISOException.throwIt(TransitSw.MEMORY_FAILURE);
    }
    if (Bcd.subtract(scratch, S_QUOTA, scratch, amount, scratch, S_QUOTA)) {
      return CVR_QUOTA_INSUFFICIENT;
    }
    Util.arrayFillNonAtomic(scratch, S_DEDUCTED, Bcd.LENGTH, (byte) 0);
    return 0;
  }

  private short buildAcResponse(byte cid) {
    short p = (short) (S_RESPONSE + 2);
    scratch[p++] = (byte) 0x9F;
    scratch[p++] = 0x27;
    scratch[p++] = 0x01;
    scratch[p++] = cid;
    p = putTlv(scratch, p, (short) 0x9F36, scratch, S_ATC, (short) 2);
    p = putTlv(scratch, p, (short) 0x9F26, scratch, S_MAC, (short) 8);
    p = putTlv(scratch, p, (short) 0x9F10, scratch, S_IAD, (short) 4);
    if (cid == CID_TC) {
      p = putTlv(scratch, p, (short) 0x9F79, scratch, S_QUOTA, Bcd.LENGTH);
      p = putTlv(scratch, p, (short) 0xDF63, scratch, S_DEDUCTED, Bcd.LENGTH);
      // The acceptor the TAC covers, so a gate recovering this TC can rebuild the CDOL1.
      p = putTlv(scratch, p, (short) 0xDF65, scratch, CDOL_ACCEPTOR, ACCEPTOR_LENGTH);
    }
    scratch[S_RESPONSE] = 0x77;
    scratch[(short) (S_RESPONSE + 1)] = (byte) (p - S_RESPONSE - 2);
    return (short) (p - S_RESPONSE);
  }

  /**
   * One Java Card transaction: quota, DF63, CAPP record, log record and the proof for GET TRANS
   * PROVE change together or not at all.
   */
  private void commitOfflinePurchase(short responseLength) {
    short slot = (short) (logNext * LOG_SLOT);
    JCSystem.beginTransaction();
    Util.arrayCopy(scratch, S_QUOTA, amounts, QUOTA, Bcd.LENGTH);
    Util.arrayCopy(scratch, S_DEDUCTED, amounts, DEDUCTED, Bcd.LENGTH);
    Util.arrayCopy(cache, (short) 0, cappRecord, (short) 0, CAPP_LENGTH);
    writeLogRecord(slot);
    logNext = (short) ((short) (logNext + 1) % LOG_RECORDS);
    if (logCount < LOG_RECORDS) {
      logCount++;
    }
    Util.arrayCopy(scratch, S_RESPONSE, proof, (short) 0, responseLength);
    proof[PROOF_MAX] = checkByte(proof, (short) 0, responseLength);
    proofLength = responseLength;
    proofAtc = atc;
    JCSystem.commitTransaction();
    // Read back what was just written: a mismatch means the memory did not take the write.
    if (Util.arrayCompare(amounts, QUOTA, scratch, S_QUOTA, Bcd.LENGTH) != 0) {
      ISOException.throwIt(TransitSw.MEMORY_FAILURE);
    }
  }

  /** ATC || CID || 9F02 || 9F79 || DF63 || 9A || 9F37 || TAC || CAPP record (LOG_FORMAT). */
  private void writeLogRecord(short slot) {
    short p = Util.setShort(log, slot, atc);
    log[p++] = CID_TC;
    p = Util.arrayCopy(scratch, CDOL_AMOUNT, log, p, Bcd.LENGTH);
    p = Util.arrayCopy(scratch, S_QUOTA, log, p, Bcd.LENGTH);
    p = Util.arrayCopy(scratch, S_DEDUCTED, log, p, Bcd.LENGTH);
    p = Util.arrayCopy(scratch, CDOL_DATE, log, p, (short) 3);
    p = Util.arrayCopy(scratch, CDOL_UN, log, p, (short) 4);
    p = Util.arrayCopy(scratch, S_MAC, log, p, (short) 8);
    p = Util.arrayCopy(cache, (short) 0, log, p, CAPP_LENGTH);
    log[p] = checkByte(log, slot, LOG_LENGTH);
  }

  // ---- GET TRANS PROVE ----------------------------------------------------------------------

  /** GET TRANS PROVE {@code 80 5A 00 00 02 ATC 00}: the GENERATE AC response of that ATC. */
  private void getTransProve(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_P1] != 0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
    if (lc != 2) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    if (proofLength == 0 || Util.getShort(buf, ISO7816.OFFSET_CDATA) != proofAtc) {
      ISOException.throwIt(TransitSw.REFERENCED_DATA_NOT_FOUND);
    }
    Util.arrayCopyNonAtomic(proof, (short) 0, buf, (short) 0, proofLength);
    sendWithStatus(apdu, proofLength, checkByte(proof, (short) 0, proofLength) == proof[PROOF_MAX]);
  }

  // ---- personalisation: STORE DATA under SCP02 ----------------------------------------------

  /**
   * STORE DATA {@code 84 E2 P1 P2 Lc DGI(2) L(1) value C-MAC(8)}; P1 bit 8 marks the last block,
   * which closes personalisation once DGIs 8000, 0101 and 9200 are stored.
   */
  private void storeData(APDU apdu, short lc) {
    if (lifeCycle == LIFE_PERSONALISED) {
      ISOException.throwIt(TransitSw.COMMAND_NOT_ALLOWED);
    }
    short n = channel.unwrap(apdu, lc);
    byte[] buf = apdu.getBuffer();
    if (n < 3) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    short valueLength = (short) (buf[(short) (ISO7816.OFFSET_CDATA + 2)] & 0xFF);
    if (valueLength != (short) (n - 3)) {
      ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
    }
    short dgi = Util.getShort(buf, ISO7816.OFFSET_CDATA);
    short value = (short) (ISO7816.OFFSET_CDATA + 3);
    boolean changed;
    if (dgi == (short) 0x8000) {
      changed = storeKeys(buf, value, valueLength, appKeys, (short) 32, DGI_KEYS);
    } else if (dgi == (short) 0x8F01) {
      changed = storeKeys(buf, value, valueLength, channel.staticKeys,
          SecureChannel.KEY_SET_LENGTH, (byte) 0);
    } else if (dgi == (short) 0x0101) {
      changed = storeRecord(buf, value, valueLength);
    } else if (dgi == (short) 0x9200) {
      changed = storeApplicationData(buf, value, valueLength);
    } else if (dgi == (short) 0x0102 || dgi == (short) 0x0103) {
      changed = oda.storeRecord(buf, value, valueLength, dgi == (short) 0x0103);
    } else if (dgi == (short) 0x0104) {
      changed = oda.storeGpoData(buf, value, valueLength);
    } else if (dgi >= (short) 0x8201 && dgi <= (short) 0x8207) {
      changed = storeOdaKeyComponent(buf, (byte) dgi, value, valueLength);
    } else {
      ISOException.throwIt(TransitSw.REFERENCED_DATA_NOT_FOUND);
      return;
    }
    if ((buf[ISO7816.OFFSET_P1] & (byte) 0x80) != 0) {
      if (dgiFlags != DGI_ALL) {
        ISOException.throwIt(TransitSw.CONDITIONS_NOT_SATISFIED);
      }
      oda.close();
      lifeCycle = LIFE_PERSONALISED;
    }
    if (!changed) {
      ISOException.throwIt(TransitSw.NO_INFORMATION);
    }
  }

  /** Keys arrive encrypted under the session DEK (ECB); a resend of the same keys changes nothing. */
  private boolean storeKeys(byte[] buf, short value, short length, byte[] target, short expected,
      byte flag) {
    if (length != expected) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    mac.ecbDecrypt(channel.sessionKeys(), SecureChannel.dekOffset(), buf, value, length, buf, value);
    boolean same = (dgiFlags & flag) == flag
        && CardMac.equalsConstantTime(buf, value, target, (short) 0, length);
    if (!same) {
      JCSystem.beginTransaction();
      Util.arrayCopy(buf, value, target, (short) 0, length);
      dgiFlags = (byte) (dgiFlags | flag);
      JCSystem.commitTransaction();
    }
    Util.arrayFillNonAtomic(buf, value, length, (byte) 0);
    return !same;
  }

  /**
   * DGI 820c: RSA ODA key component c (DynamicSigner.RSA_*); the private ones (3..7) arrive
   * encrypted under the session DEK (ECB) and are wiped from the buffer once loaded.
   */
  private boolean storeOdaKeyComponent(byte[] buf, byte component, short value, short length) {
    if (component >= DynamicSigner.RSA_P) {
      if (length == 0 || (short) (length % 16) != 0) {
        ISOException.throwIt(TransitSw.WRONG_LENGTH);
      }
      mac.ecbDecrypt(channel.sessionKeys(), SecureChannel.dekOffset(), buf, value, length, buf, value);
    }
    boolean changed = oda.storeKeyComponent(component, buf, value, length);
    Util.arrayFillNonAtomic(buf, value, length, (byte) 0);
    return changed;
  }

  /** DGI 0101: the body of SFI 1 record 1 (tags 5A, 5F24, 5F34 ...); 5A is required. */
  private boolean storeRecord(byte[] buf, short value, short length) {
    if (length > RECORD_MAX) {
      ISOException.throwIt(TransitSw.FILE_FULL);
    }
    if ((dgiFlags & DGI_RECORD) != 0 && length == appRecordLength
        && Util.arrayCompare(buf, value, appRecord, (short) 0, length) == 0) {
      return false;
    }
    short panOff = -1;
    short panLen = 0;
    short end = (short) (value + length);
    for (short p = value; p < end; ) {
      p = parseTlv(buf, p, end);
      if (tlv[0] == (short) 0x5A) {
        panOff = tlv[1];
        panLen = tlv[2];
      }
    }
    if (panOff < 0 || panLen == 0 || panLen > 10) {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(buf, value, appRecord, (short) 0, length);
    appRecordLength = length;
    Util.arrayCopy(buf, panOff, pan, (short) 0, panLen);
    panLength = panLen;
    dgiFlags = (byte) (dgiFlags | DGI_RECORD);
    JCSystem.commitTransaction();
    return true;
  }

  /** DGI 9200: 9F38 PDOL, 9F79 initial quota and DF62 segmented-charging limit, all required. */
  private boolean storeApplicationData(byte[] buf, short value, short length) {
    short pdolOff = -1;
    short pdolLen = 0;
    short quotaOff = -1;
    short limitOff = -1;
    short end = (short) (value + length);
    for (short p = value; p < end; ) {
      p = parseTlv(buf, p, end);
      if (tlv[0] == (short) 0x9F38) {
        pdolOff = tlv[1];
        pdolLen = tlv[2];
      } else if (tlv[0] == (short) 0x9F79 && tlv[2] == Bcd.LENGTH) {
        quotaOff = tlv[1];
      } else if (tlv[0] == (short) 0xDF62 && tlv[2] == Bcd.LENGTH) {
        limitOff = tlv[1];
      }
    }
    if (pdolOff < 0 || quotaOff < 0 || limitOff < 0 || !Bcd.isValidBounded(buf, quotaOff)
        || !Bcd.isValidBounded(buf, limitOff)) {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    if (pdolLen > PDOL_MAX) {
      ISOException.throwIt(TransitSw.FILE_FULL);
    }
    if ((dgiFlags & DGI_DATA) != 0 && pdolLen == pdolLength
        && Util.arrayCompare(buf, pdolOff, pdol, (short) 0, pdolLen) == 0
        && Util.arrayCompare(buf, quotaOff, amounts, QUOTA, Bcd.LENGTH) == 0
        && Util.arrayCompare(buf, limitOff, amounts, LIMIT, Bcd.LENGTH) == 0) {
      return false;
    }
    parsePdol(buf, pdolOff, pdolLen);
    JCSystem.beginTransaction();
    Util.arrayCopy(buf, pdolOff, pdol, (short) 0, pdolLen);
    pdolLength = pdolLen;
    Util.arrayCopy(buf, quotaOff, amounts, QUOTA, Bcd.LENGTH);
    Util.arrayCopy(buf, limitOff, amounts, LIMIT, Bcd.LENGTH);
    Util.arrayFillNonAtomic(amounts, DEDUCTED, Bcd.LENGTH, (byte) 0);
    dgiFlags = (byte) (dgiFlags | DGI_DATA);
    JCSystem.commitTransaction();
    return true;
  }

  /** Locates 9F02 (required, 6 bytes) and DF60 (optional, 1 byte) in the PDOL data. */
  private void parsePdol(byte[] buf, short off, short len) {
    short end = (short) (off + len);
    short dataOff = 0;
    short amountOff = -1;
    short df60Off = -1;
    short p = off;
    while (p < end) {
      short tag = (short) (buf[p++] & 0xFF);
      if ((short) (tag & 0x1F) == 0x1F) {
        if (p >= end) {
          ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
        }
        tag = (short) ((short) (tag << 8) | (short) (buf[p++] & 0xFF));
      }
      if (p >= end) {
        ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
      }
      short l = (short) (buf[p++] & 0xFF);
      if (l > 0x7F) {
        ISOException.throwIt(TransitSw.WRONG_DATA);
      }
      if (tag == (short) 0x9F02) {
        amountOff = l == Bcd.LENGTH ? dataOff : (short) -2;
      } else if (tag == (short) 0xDF60) {
        df60Off = l == 1 ? dataOff : (short) -2;
      }
      dataOff = (short) (dataOff + l);
      if (dataOff > PDOL_DATA_MAX) {
        ISOException.throwIt(TransitSw.FILE_FULL);
      }
    }
    if (amountOff < 0 || df60Off == -2) {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    pdolAmountOff = amountOff;
    pdolDf60Off = df60Off;
    pdolDataLength = dataOff;
  }

  /**
   * Reads one BER-TLV with a 1- or 2-byte tag and a short-form or 81 length into {@link #tlv}.
   *
   * @return the offset after the value
   */
  private short parseTlv(byte[] buf, short p, short end) {
    short tag = (short) (buf[p++] & 0xFF);
    if ((short) (tag & 0x1F) == 0x1F) {
      if (p >= end) {
        ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
      }
      tag = (short) ((short) (tag << 8) | (short) (buf[p++] & 0xFF));
    }
    if (p >= end) {
      ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
    }
    short len = (short) (buf[p++] & 0xFF);
    if (len == 0x81) {
      if (p >= end) {
        ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
      }
      len = (short) (buf[p++] & 0xFF);
    } else if (len > 0x7F) {
      ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
    }
    if (len > (short) (end - p)) {
      ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
    }
    tlv[0] = tag;
    tlv[1] = p;
    tlv[2] = len;
    return (short) (p + len);
  }

  // ---- Push PUT DATA ------------------------------------------------------------------------

  /**
   * Push PUT DATA {@code 04 DA 00 00 Lc PushATC(2) TLV MAC(4..8) C-MAC(8)} inside an SCP02
   * session: replay (Push ATC not above Last Push ATC) 6982, wrong MAC 6988, tag off the whitelist
   * 6A81; else the value is set and Last Push ATC stored in one transaction.
   */
  private void pushPutData(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_P1] != 0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
    short n = channel.unwrap(apdu, lc);
    if (n < 4) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    short start = (short) (ISO7816.OFFSET_CDATA + 2);
    short end = (short) (ISO7816.OFFSET_CDATA + n);
    short tlvEnd = parseTlv(buf, start, end);
    short macLength = (short) (end - tlvEnd);
    if (macLength < 4) {
      ISOException.throwIt(TransitSw.SM_MISSING);
    }
    if (macLength > 8) {
      ISOException.throwIt(TransitSw.LC_TLV_INCONSISTENT);
    }
    short pushAtc = Util.getShort(buf, ISO7816.OFFSET_CDATA);
    // Unsigned comparison of two 16-bit counters in signed short arithmetic.
    if ((short) (pushAtc ^ (short) 0x8000) <= (short) (lastPushAtc ^ (short) 0x8000)) {
      ISOException.throwIt(TransitSw.SECURITY_NOT_SATISFIED);
    }
    verifyPushMac(buf, n, tlvEnd, macLength);
    short target = amountOffset(tlv[0]);
    if (target != QUOTA && target != LIMIT) {
      ISOException.throwIt(TransitSw.FUNCTION_NOT_SUPPORTED);
    }
    if (tlv[2] != Bcd.LENGTH || !Bcd.isValidBounded(buf, tlv[1])) {
      ISOException.throwIt(TransitSw.WRONG_DATA);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(buf, tlv[1], amounts, target, Bcd.LENGTH);
    lastPushAtc = pushAtc;
    JCSystem.commitTransaction();
  }

  /** MAC over CLA INS P1 P2 Lc(push data, without C-MAC) Push ATC TLV, key from MAC sub-key. */
  private void verifyPushMac(byte[] buf, short n, short tlvEnd, short macLength) {
    short inputLength = (short) (tlvEnd - ISO7816.OFFSET_CLA);
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CLA, scratch, (short) 0, inputLength);
    scratch[ISO7816.OFFSET_LC] = (byte) n;
    mac.deriveCounterKey(appKeys, MAC_SUB_KEY, buf, ISO7816.OFFSET_CDATA, sessionKey, (short) 0);
    mac.mac(sessionKey, (short) 0, null, (short) 0, scratch, (short) 0, inputLength, true, scratch,
        (short) 160);
    if (!CardMac.equalsConstantTime(scratch, (short) 160, buf, tlvEnd, macLength)) {
      ISOException.throwIt(TransitSw.SM_INCORRECT);
    }
  }
}
