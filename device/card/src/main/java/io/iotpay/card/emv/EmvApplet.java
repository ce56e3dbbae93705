package io.iotpay.card.emv;

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
 * A contactless EMV/PBOC debit/credit payment application (issue 15): SELECT with a PDOL, GET
 * PROCESSING OPTIONS (format 2: AIP, AFL), READ RECORD, offline PIN VERIFY with a try counter,
 * GENERATE AC (ARQC, TC or AAC by card risk management; the second one carries the issuer
 * authentication data 91 in CDOL2 and checks its ARPC, method 1), and issuer scripts under secure
 * messaging (APPLICATION BLOCK, APPLICATION UNBLOCK, PIN UNBLOCK, PUT DATA of a risk limit). Both
 * suites: 3DES (EMV common session key derivation, ISO 9797-1 MAC algorithm 3) and SM4 (PBOC SM4
 * session key, MAC algorithm 1). Every APDU, formula and status word is in
 * {@code docs/emv-card-apdus.md}.
 *
 * <p>Offline data authentication is fDDA, and optional: a card personalised with the ODA records
 * (DGI 0103, 0104) and an ODA key (DGI 8201..8207, or GENERATE ODA KEY) claims DDA in its AIP
 * ({@link #AIP_ODA}), lists records 1, 3 and 4 in its AFL with record 1 signed ({@link #AFL_ODA}), and
 * appends 9F69 and the signed dynamic application data 9F4B ({@link DynamicSigner}) to the first
 * GENERATE AC's answer ({@link #appendSignedDynamicData}). A card without them behaves as before
 * ({@link #AIP}, {@link #AFL}). A CDA request is refused (6A81).
 *
 * <p>Converter-compatible like the transit applet: byte and short arithmetic, no String, int,
 * long or java.util, all memory allocated in the constructor. Every persistent change of a command
 * happens inside one Java Card transaction, so a tear leaves either the old or the new state; the
 * ATC is incremented and committed before a cryptogram is computed or released.
 */
public class EmvApplet extends Applet {

  // ---- install data, life cycle, sizes --------------------------------------------------------
  static final byte SUITE_3DES = 0x01;
  static final byte SUITE_SM4 = 0x02;
  /**
   * Install data: suite (1) || MK_AC || MK_SMI || MK_SMC (16 each) || PIN try limit (1) || PIN
   * block (8).
   */
  static final short INSTALL_DATA_LENGTH = 58;
  static final short KEY_LENGTH = 16;
  private static final short MK_AC = 0;
  private static final short MK_SMI = 16;
  private static final short MK_SMC = 32;
  /** Enciphered data of PIN CHANGE: PIN block || 80 00.. under SK_SMC, CBC, zero ICV. */
  static final short PIN_CHANGE_DATA_LENGTH = 16;
  private static final short PIN_BLOCK_LENGTH = 8;
  private static final byte PIN_TRY_LIMIT_MAX = 15;

  private static final byte LIFE_INSTALLED = 0x01;
  private static final byte LIFE_PERSONALISED = 0x0F;
  private static final byte DGI_RECORD_1 = 0x01;
  private static final byte DGI_RECORD_2 = 0x02;
  private static final byte DGI_PARAMETERS = 0x04;
  private static final byte DGI_ALL = 0x07;
  private static final byte DGI_RECORD_3 = 0x08;
  private static final byte DGI_RECORD_4 = 0x10;
  private static final byte DGI_ODA_KEY = 0x20;
  /** ODA records 3 and 4: one STORE DATA block each (Lc 255 less DGI and length). */
  static final short ODA_RECORD_MAX = 252;
  /** The ICC key size of INTERNATIONAL cards (docs/oda.md §1). */
  static final short ODA_RSA_BITS = 1024;
  /** Card transaction qualifiers signed in 9F69 (ours: none set). */
  private static final byte[] CTQ = {0x00, 0x00};

  static final short RECORD_MAX = 128;
  /**
   * READ RECORD 1 answers DGI 0101 and 0102 together in one template {@code 70 81 L}: at most 251
   * content bytes, so the answer with its status word stays within 256 bytes.
   */
  static final short MERGED_RECORD_MAX = 251;
  static final short PDOL_MAX = 32;
  static final short PDOL_DATA_MAX = 64;
  /**
   * Most scripts applied per ATC (per online transaction). The card remembers the MAC of each, so
   * none can be replayed before the ATC moves on (after which its MAC no longer verifies).
   */
  static final short SCRIPTS_PER_ATC_MAX = 4;
  static final short SCRIPT_MAC_LENGTH = 8;
  static final short CRYPTOGRAM_LENGTH = 8;

  /** CDOL1: 9F02 06, 9F03 06, 9F1A 02, 95 05, 5F2A 02, 9A 03, 9C 01, 9F37 04 (29 data bytes). */
  static final byte[] CDOL1 = {(byte) 0x9F, 0x02, 0x06, (byte) 0x9F, 0x03, 0x06, (byte) 0x9F, 0x1A,
      0x02, (byte) 0x95, 0x05, 0x5F, 0x2A, 0x02, (byte) 0x9A, 0x03, (byte) 0x9C, 0x01, (byte) 0x9F,
      0x37, 0x04};
  /**
   * CDOL2: 8A 02 (ARC), 91 0A (issuer authentication data: ARPC ‖ ARC) followed by CDOL1's
   * objects (41 data bytes).
   */
  static final byte[] CDOL2 = {(byte) 0x8A, 0x02, (byte) 0x91, 0x0A, (byte) 0x9F, 0x02, 0x06, (byte) 0x9F, 0x03, 0x06,
      (byte) 0x9F, 0x1A, 0x02, (byte) 0x95, 0x05, 0x5F, 0x2A, 0x02, (byte) 0x9A, 0x03, (byte) 0x9C,
      0x01, (byte) 0x9F, 0x37, 0x04};
  static final short CDOL1_DATA_LENGTH = 29;
  static final short CDOL2_DATA_LENGTH = 41;
  /** Offset of 91 (ARPC ‖ ARC) in the CDOL2 data, after the ARC. */
  private static final short CDOL2_ISSUER_AUTH = 2;
  private static final short ISSUER_AUTH_LENGTH = 10;
  /** Offset of the amount (9F02) in the CDOL2 data. */
  private static final short CDOL2_AMOUNT = 12;

  /**
   * AIP 18 00: cardholder verification (10) and terminal risk management (08) supported. The
   * "issuer authentication supported" bit (04) is clear: the terminal sends no EXTERNAL
   * AUTHENTICATE and puts the issuer authentication data 91 in CDOL2 instead (EMV 4.3 Book 3
   * §10.9), which the second GENERATE AC checks. No SDA, DDA/fDDA or CDA bit.
   */
  static final byte[] AIP = {0x18, 0x00};
  /** AFL: SFI 1, record 1 (DGI 0101 and 0102 in one answer), none for offline data authentication. */
  static final byte[] AFL = {0x08, 0x01, 0x01, 0x00};
  /** AIP of a card personalised for ODA: as {@link #AIP} plus DDA supported (20), here fDDA. */
  static final byte[] AIP_ODA = {0x38, 0x00};
  /**
   * AFL of a card personalised for ODA: SFI 1 record 1 signed (the static data: both DGIs 0101
   * and 0102), then SFI 1 records 3 and 4 (certificates), none signed.
   */
  static final byte[] AFL_ODA = {0x08, 0x01, 0x01, 0x01, 0x08, 0x03, 0x04, 0x00};
  private static final byte[] LABEL = {'I', 'O', 'T', 'P', 'A', 'Y', ' ', 'D', 'E', 'B', 'I', 'T'};

  // ---- cryptogram information data, CVR --------------------------------------------------------
  static final byte CID_AAC = 0x00;
  static final byte CID_TC = 0x40;
  static final byte CID_ARQC = (byte) 0x80;
  private static final byte CVN_3DES = 0x01;
  private static final byte CVN_SM4 = 0x04;
  private static final byte DKI = 0x01;

  /** CVR byte 1: second GENERATE AC not requested (bits 8-7 = 10). */
  static final byte CVR1_SECOND_AC_NOT_REQUESTED = (byte) 0x80;
  static final byte CVR1_SECOND_AC_TC = 0x40;
  static final byte CVR1_FIRST_AC_ARQC = 0x20;
  static final byte CVR1_FIRST_AC_TC = 0x10;
  static final byte CVR1_ISSUER_AUTH_FAILED = 0x08;
  static final byte CVR1_OFFLINE_PIN_PERFORMED = 0x04;
  static final byte CVR1_OFFLINE_PIN_FAILED = 0x02;
  static final byte CVR1_UNABLE_TO_GO_ONLINE = 0x01;
  static final byte CVR2_LAST_ONLINE_NOT_COMPLETED = (byte) 0x80;
  static final byte CVR2_PIN_TRY_LIMIT_EXCEEDED = 0x40;
  static final byte CVR2_VELOCITY_EXCEEDED = 0x20;
  static final byte CVR2_ISSUER_AUTH_FAILED_LAST = 0x08;
  static final byte CVR2_ISSUER_AUTH_NOT_PERFORMED = 0x04;
  static final byte CVR3_UPPER_LIMIT_EXCEEDED = 0x01;

  // persistent status flags
  static final byte FLAG_BLOCKED = 0x01;
  static final byte FLAG_ONLINE_PENDING = 0x02;
  static final byte FLAG_ISSUER_AUTH_FAILED = 0x04;
  static final byte FLAG_HAS_ARQC = 0x08;

  // session stages (transient)
  private static final byte STAGE_SELECTED = 0;
  private static final byte STAGE_GPO_DONE = 1;
  private static final byte STAGE_ARQC_SENT = 2;
  private static final byte STAGE_DONE = 3;
  private static final byte AUTH_NONE = 0;
  private static final byte AUTH_PASSED = 1;
  private static final byte AUTH_FAILED = 2;
  private static final short TX_STAGE = 0;
  private static final short TX_AUTH = 1;
  private static final short TX_PIN = 2;
  private static final byte PIN_NONE = 0;
  private static final byte PIN_OK = 1;
  private static final byte PIN_FAILED = 2;

  // ---- persistent state (package-private so tests can read it back) ----------------------------
  final byte suite;
  private final BlockCipher16 cipher;
  private final CardMac mac;
  private final byte[] keys;
  private final byte[] pinBlock;
  private final byte pinTryLimit;
  byte pinTryCounter;
  byte lifeCycle;
  byte dgiFlags;
  final byte[] record1;
  short record1Length;
  final byte[] record2;
  short record2Length;
  final byte[] record3;
  short record3Length;
  final byte[] record4;
  short record4Length;
  /** True once personalised with both ODA records and a complete ODA key. */
  boolean oda;
  private final DynamicSigner signer;
  private final byte[] odaTerminal;
  final byte[] pdol;
  short pdolLength;
  short pdolDataLength;
  private short pdolAmountOff;
  /** Lower (9F14) and upper (9F23) consecutive offline limits. */
  byte lowerConsecutiveLimit;
  byte upperConsecutiveLimit;
  /** Cumulative offline amount || its lower limit (9F54) || its upper limit (9F5C), n12 each. */
  final byte[] amounts;
  static final short CUMULATIVE = 0;
  static final short CUMULATIVE_LOWER = 6;
  static final short CUMULATIVE_UPPER = 12;
  short consecutiveOffline;
  short atc;
  byte flags;
  final byte[] lastArqc;
  /** MACs of the scripts applied at {@link #scriptAtc}, {@link #scriptCount} of them. */
  final byte[] scriptMacs;
  short scriptAtc;
  short scriptCount;

  // ---- transient state (package-private for the same reason) --------------------------------
  final byte[] tx;
  final byte[] cvr;
  private final byte[] scratch;
  private final byte[] sessionKey;
  private final short[] tlv;

  /** Installs the applet; install data (GP format: AID, control info, applet data) as above. */
  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new EmvApplet(bArray, bOffset).register(bArray, (short) (bOffset + 1), bArray[bOffset]);
  }

  protected EmvApplet(byte[] bArray, short bOffset) {
    short aidLength = (short) (bArray[bOffset] & 0xFF);
    short controlOff = (short) (bOffset + 1 + aidLength);
    short dataLengthOff = (short) (controlOff + 1 + (short) (bArray[controlOff] & 0xFF));
    short dataOff = (short) (dataLengthOff + 1);
    if ((short) (bArray[dataLengthOff] & 0xFF) != INSTALL_DATA_LENGTH) {
      ISOException.throwIt(EmvSw.WRONG_LENGTH);
    }
    suite = bArray[dataOff];
    BlockCipher16 chosen = null;
    if (suite == SUITE_3DES) {
      chosen = new DesBlockCipher();
    } else if (suite == SUITE_SM4) {
      chosen = new Sm4BlockCipher();
    } else {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
    cipher = chosen;
    mac = new CardMac(chosen);
    byte limit = bArray[(short) (dataOff + 49)];
    if (limit < 1 || limit > PIN_TRY_LIMIT_MAX) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
    keys = new byte[(short) (3 * KEY_LENGTH)];
    Util.arrayCopy(bArray, (short) (dataOff + 1), keys, (short) 0, (short) (3 * KEY_LENGTH));
    pinTryLimit = limit;
    pinTryCounter = limit;
    pinBlock = new byte[PIN_BLOCK_LENGTH];
    Util.arrayCopy(bArray, (short) (dataOff + 50), pinBlock, (short) 0, PIN_BLOCK_LENGTH);
    lifeCycle = LIFE_INSTALLED;
    record1 = new byte[RECORD_MAX];
    record2 = new byte[RECORD_MAX];
    record3 = new byte[ODA_RECORD_MAX];
    record4 = new byte[ODA_RECORD_MAX];
    signer = new DynamicSigner(suite == SUITE_SM4, ODA_RSA_BITS);
    odaTerminal = JCSystem.makeTransientByteArray(DynamicSigner.TERMINAL_DATA_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    pdol = new byte[PDOL_MAX];
    pdolAmountOff = -1;
    amounts = new byte[18];
    lastArqc = new byte[CRYPTOGRAM_LENGTH];
    scriptMacs = new byte[(short) (SCRIPTS_PER_ATC_MAX * SCRIPT_MAC_LENGTH)];
    tx = JCSystem.makeTransientByteArray((short) 3, JCSystem.CLEAR_ON_DESELECT);
    cvr = JCSystem.makeTransientByteArray((short) 4, JCSystem.CLEAR_ON_DESELECT);
    scratch = JCSystem.makeTransientByteArray((short) 256, JCSystem.CLEAR_ON_DESELECT);
    sessionKey = JCSystem.makeTransientByteArray(KEY_LENGTH, JCSystem.CLEAR_ON_DESELECT);
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
    Util.arrayFillNonAtomic(cvr, (short) 0, (short) cvr.length, (byte) 0);
  }

  public void process(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    if (selectingApplet()) {
      resetSession();
      sendFci(apdu);
      return;
    }
    byte cla = buf[ISO7816.OFFSET_CLA];
    switch (buf[ISO7816.OFFSET_INS]) {
      case (byte) 0xA8: requireClass(cla, (byte) 0x80); gpo(apdu, receive(apdu)); break;
      case (byte) 0xB2: requireClass(cla, (byte) 0x00); readRecord(apdu); break;
      case (byte) 0xCA: requireClass(cla, (byte) 0x80); getData(apdu); break;
      case (byte) 0x20: requireClass(cla, (byte) 0x00); verify(apdu, receive(apdu)); break;
      case (byte) 0xAE: requireClass(cla, (byte) 0x80); generateAc(apdu, receive(apdu)); break;
      case (byte) 0x1E:
      case (byte) 0x18:
      case (byte) 0x24:
        requireClass(cla, (byte) 0x84);
        script(apdu, receive(apdu));
        break;
      case (byte) 0xDA: requireClass(cla, (byte) 0x04); script(apdu, receive(apdu)); break;
      case (byte) 0xE2: requireClass(cla, (byte) 0x80); storeData(apdu, receive(apdu)); break;
      case (byte) 0xE0: requireClass(cla, (byte) 0x80); generateOdaKey(apdu); break;
      case (byte) 0xA4: ISOException.throwIt(EmvSw.FILE_NOT_FOUND); break;
      default: ISOException.throwIt(EmvSw.INS_NOT_SUPPORTED);
    }
  }

  private static void requireClass(byte cla, byte expected) {
    if (cla != expected) {
      ISOException.throwIt(EmvSw.CLA_NOT_SUPPORTED);
    }
  }

  /** Receives the command data; Lc must equal the bytes that arrived. */
  private static short receive(APDU apdu) {
    short lc = (short) (apdu.getBuffer()[ISO7816.OFFSET_LC] & 0xFF);
    short received = apdu.setIncomingAndReceive();
    if (received != lc) {
      ISOException.throwIt(EmvSw.WRONG_LENGTH);
    }
    return lc;
  }

  private void requirePersonalised() {
    if (lifeCycle != LIFE_PERSONALISED) {
      ISOException.throwIt(EmvSw.CONDITIONS_NOT_SATISFIED);
    }
  }

  private static void requireP1P2(byte[] buf, byte p1, byte p2) {
    if (buf[ISO7816.OFFSET_P1] != p1 || buf[ISO7816.OFFSET_P2] != p2) {
      ISOException.throwIt(EmvSw.WRONG_P1P2);
    }
  }

  /** Stored amounts failing BCD validation mean the memory no longer holds what was written. */
  private void requireAmountsIntact() {
    if (!EmvBcd.isValid(amounts, CUMULATIVE) || !EmvBcd.isValid(amounts, CUMULATIVE_LOWER)
        || !EmvBcd.isValid(amounts, CUMULATIVE_UPPER)) {
      ISOException.throwIt(EmvSw.MEMORY_FAILURE);
    }
  }

  // ---- SELECT, READ RECORD, GET DATA ----------------------------------------------------------

  /** 6F [84 AID] [A5 [50 label] [87 01] [9F38 PDOL]]; a blocked application adds SW 6283. */
  private void sendFci(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    short p = 2;
    buf[p++] = (byte) 0x84;
    short aidLength = JCSystem.getAID().getBytes(buf, (short) (p + 1));
    buf[p++] = (byte) aidLength;
    p = (short) (p + aidLength);
    buf[p++] = (byte) 0xA5;
    short a5Length = p++;
    p = putTlv(buf, p, (short) 0x50, LABEL, (short) 0, (short) LABEL.length);
    buf[p++] = (byte) 0x87;
    buf[p++] = 0x01;
    buf[p++] = 0x01;
    if (lifeCycle == LIFE_PERSONALISED) {
      p = putTlv(buf, p, (short) 0x9F38, pdol, (short) 0, pdolLength);
    }
    buf[a5Length] = (byte) (p - a5Length - 1);
    buf[0] = 0x6F;
    buf[1] = (byte) (p - 2);
    apdu.setOutgoingAndSend((short) 0, p);
    if ((flags & FLAG_BLOCKED) != 0) {
      ISOException.throwIt(EmvSw.SELECTED_FILE_INVALIDATED);
    }
  }

  /**
   * READ RECORD {@code 00 B2 rec (SFI<<3|4) 00}: SFI 1 record 1 = DGI 0101 followed by DGI 0102 in
   * one template; with ODA also records 3 and 4. Record 2 is not a record of its own (6A83).
   */
  private void readRecord(APDU apdu) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    short record = (short) (buf[ISO7816.OFFSET_P1] & 0xFF);
    short p2 = (short) (buf[ISO7816.OFFSET_P2] & 0xFF);
    if ((short) (p2 & 0x07) != 0x04 || record == 0) {
      ISOException.throwIt(EmvSw.WRONG_P1P2);
    }
    if ((short) (p2 >> 3) != 0x01) {
      ISOException.throwIt(EmvSw.FILE_NOT_FOUND);
    }
    if (record == 2 || record > (oda ? 4 : 1)) {
      ISOException.throwIt(EmvSw.RECORD_NOT_FOUND);
    }
    byte[] source = record1;
    short length = record1Length;
    if (record == 3) {
      source = record3;
      length = record3Length;
    } else if (record == 4) {
      source = record4;
      length = record4Length;
    }
    short total = record == 1 ? (short) (length + record2Length) : length;
    short p = 0;
    buf[p++] = 0x70;
    if (total > 0x7F) {
      buf[p++] = (byte) 0x81;
    }
    buf[p++] = (byte) total;
    p = Util.arrayCopyNonAtomic(source, (short) 0, buf, p, length);
    if (record == 1) {
      p = Util.arrayCopyNonAtomic(record2, (short) 0, buf, p, record2Length);
    }
    apdu.setOutgoingAndSend((short) 0, p);
  }

  /**
   * GET DATA {@code 80 CA P1 P2 00}: 9F36 ATC, 9F17 PIN try counter, 9F14 / 9F23 consecutive
   * offline limits, 9F54 / 9F5C cumulative amount limits, DF11 consecutive offline transactions,
   * DF12 cumulative offline amount, DF13 status flags.
   */
  private void getData(APDU apdu) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    short tag = Util.getShort(buf, ISO7816.OFFSET_P1);
    short p = 3;
    if (tag == (short) 0x9F36) {
      p = Util.setShort(buf, p, atc);
    } else if (tag == (short) 0x9F17) {
      buf[p++] = pinTryCounter;
    } else if (tag == (short) 0x9F14) {
      buf[p++] = lowerConsecutiveLimit;
    } else if (tag == (short) 0x9F23) {
      buf[p++] = upperConsecutiveLimit;
    } else if (tag == (short) 0xDF11) {
      p = Util.setShort(buf, p, consecutiveOffline);
    } else if (tag == (short) 0xDF13) {
      buf[p++] = flags;
    } else {
      short off = amountOffset(tag);
      if (off < 0) {
        ISOException.throwIt(EmvSw.REFERENCED_DATA_NOT_FOUND);
      }
      p = Util.arrayCopyNonAtomic(amounts, off, buf, p, EmvBcd.LENGTH);
    }
    Util.setShort(buf, (short) 0, tag);
    buf[2] = (byte) (p - 3);
    apdu.setOutgoingAndSend((short) 0, p);
  }

  private static short amountOffset(short tag) {
    if (tag == (short) 0xDF12) {
      return CUMULATIVE;
    }
    if (tag == (short) 0x9F54) {
      return CUMULATIVE_LOWER;
    }
    if (tag == (short) 0x9F5C) {
      return CUMULATIVE_UPPER;
    }
    return -1;
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

  // ---- GPO ----------------------------------------------------------------------------------

  /** GET PROCESSING OPTIONS {@code 80 A8 00 00 Lc 83 L pdol-data 00}: format 2, AIP and AFL. */
  private void gpo(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    requireP1P2(buf, (byte) 0, (byte) 0);
    if (tx[TX_STAGE] != STAGE_SELECTED || (flags & FLAG_BLOCKED) != 0 || atc == (short) 0xFFFF) {
      ISOException.throwIt(EmvSw.CONDITIONS_NOT_SATISFIED);
    }
    if (lc < 2 || buf[ISO7816.OFFSET_CDATA] != (byte) 0x83) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
    short dataLength = (short) (buf[(short) (ISO7816.OFFSET_CDATA + 1)] & 0xFF);
    if (dataLength != (short) (lc - 2)) {
      ISOException.throwIt(EmvSw.LC_TLV_INCONSISTENT);
    }
    if (dataLength != pdolDataLength) {
      ISOException.throwIt(EmvSw.WRONG_LENGTH);
    }
    if (pdolAmountOff >= 0
        && !EmvBcd.isValid(buf, (short) (ISO7816.OFFSET_CDATA + 2 + pdolAmountOff))) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
    tx[TX_STAGE] = STAGE_GPO_DONE;
    short p = 2;
    p = putTlv(buf, p, (short) 0x82, oda ? AIP_ODA : AIP, (short) 0, (short) 2);
    p = putTlv(buf, p, (short) 0x94, oda ? AFL_ODA : AFL, (short) 0, (short) (oda ? AFL_ODA.length : AFL.length));
    buf[0] = 0x77;
    buf[1] = (byte) (p - 2);
    apdu.setOutgoingAndSend((short) 0, p);
  }

  // ---- VERIFY ---------------------------------------------------------------------------------

  /**
   * VERIFY {@code 00 20 00 80 08 PIN-block}: plaintext offline PIN (ISO 9564 format 2 block). The
   * try counter is decremented and committed before the comparison, so tearing the card during the
   * comparison costs a try rather than granting a free guess; a match restores it to the limit.
   */
  private void verify(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    requireP1P2(buf, (byte) 0x00, (byte) 0x80);
    if (lc != PIN_BLOCK_LENGTH) {
      ISOException.throwIt(EmvSw.WRONG_LENGTH);
    }
    if (pinTryCounter == 0) {
      ISOException.throwIt(EmvSw.PIN_BLOCKED);
    }
    JCSystem.beginTransaction();
    pinTryCounter--;
    JCSystem.commitTransaction();
    if (CardMac.equalsConstantTime(buf, ISO7816.OFFSET_CDATA, pinBlock, (short) 0,
        PIN_BLOCK_LENGTH)) {
      JCSystem.beginTransaction();
      pinTryCounter = pinTryLimit;
      JCSystem.commitTransaction();
      tx[TX_PIN] = PIN_OK;
      return;
    }
    tx[TX_PIN] = PIN_FAILED;
    ISOException.throwIt((short) (EmvSw.PIN_WRONG_BASE | pinTryCounter));
  }

  // ---- GENERATE AC ----------------------------------------------------------------------------

  // scratch layout: cryptogram input from 0 (CDOL data || AIP || ATC || IAD), MAC at S_MAC,
  // the sum of the cumulative amount and this amount at S_SUM, script / ARPC work at S_WORK.
  private static final short S_MAC = 64;
  private static final short S_SUM = 80;
  private static final short S_WORK = 96;
  private static final short IAD_LENGTH = 7;

  /** GENERATE AC {@code 80 AE P1 00 Lc cdol-data 00}; P1 80 ARQC, 40 TC, 00 AAC; bit 5 CDA. */
  private void generateAc(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    byte p1 = buf[ISO7816.OFFSET_P1];
    if ((p1 & 0x2F) != 0 || (byte) (p1 & 0xC0) == (byte) 0xC0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(EmvSw.WRONG_P1P2);
    }
    if ((p1 & 0x10) != 0) {
      // CDA needs the ODA seam filled (appendSignedDynamicData); until then refuse it openly.
      ISOException.throwIt(EmvSw.FUNCTION_NOT_SUPPORTED);
    }
    byte stage = tx[TX_STAGE];
    boolean first = stage == STAGE_GPO_DONE;
    if (!first && stage != STAGE_ARQC_SENT) {
      ISOException.throwIt(EmvSw.CONDITIONS_NOT_SATISFIED);
    }
    if (first && atc == (short) 0xFFFF) {
      ISOException.throwIt(EmvSw.CONDITIONS_NOT_SATISFIED);
    }
    short cdolLength = first ? CDOL1_DATA_LENGTH : CDOL2_DATA_LENGTH;
    if (lc != cdolLength) {
      ISOException.throwIt(EmvSw.WRONG_LENGTH);
    }
    short amountOff = (short) (ISO7816.OFFSET_CDATA + (first ? 0 : CDOL2_AMOUNT));
    if (!EmvBcd.isValid(buf, amountOff)) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
    requireAmountsIntact();
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, (short) 0, cdolLength);
    if (EmvBcd.add(amounts, CUMULATIVE, scratch, (short) (first ? 0 : CDOL2_AMOUNT), scratch, S_SUM)) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
    byte requested = (byte) (p1 & 0xC0);
    byte cid = first ? firstAcDecision(requested) : secondAcDecision(requested);
    if (first) {
      commitFirstAc(cid);
    } else {
      commitSecondAc(cid);
    }
    short responseLength = computeAndBuildResponse(buf, cdolLength, cid);
    tx[TX_STAGE] = first && cid == CID_ARQC ? STAGE_ARQC_SENT : STAGE_DONE;
    apdu.setOutgoingAndSend((short) 0, responseLength);
  }

  /**
   * Card risk management of the first GENERATE AC: AAC when asked; online (ARQC) when asked or
   * when a lower limit is reached, the last online transaction did not complete, issuer
   * authentication failed last time or the PIN try limit is exceeded; otherwise the TC asked for.
   */
  private byte firstAcDecision(byte requested) {
    cvr[0] = 0x03;
    cvr[1] = CVR1_SECOND_AC_NOT_REQUESTED;
    if (tx[TX_PIN] != PIN_NONE) {
      cvr[1] |= CVR1_OFFLINE_PIN_PERFORMED;
    }
    if (tx[TX_PIN] == PIN_FAILED) {
      cvr[1] |= CVR1_OFFLINE_PIN_FAILED;
    }
    boolean online = false;
    if ((flags & FLAG_ONLINE_PENDING) != 0) {
      cvr[2] |= CVR2_LAST_ONLINE_NOT_COMPLETED;
      online = true;
    }
    if ((flags & FLAG_ISSUER_AUTH_FAILED) != 0) {
      cvr[2] |= CVR2_ISSUER_AUTH_FAILED_LAST;
      online = true;
    }
    if (pinTryCounter == 0) {
      cvr[2] |= CVR2_PIN_TRY_LIMIT_EXCEEDED;
      online = true;
    }
    if (consecutiveOffline >= (short) (lowerConsecutiveLimit & 0xFF)
        || EmvBcd.compare(scratch, S_SUM, amounts, CUMULATIVE_LOWER) > 0) {
      cvr[2] |= CVR2_VELOCITY_EXCEEDED;
      online = true;
    }
    if (requested == CID_AAC) {
      return CID_AAC;
    }
    if (requested == CID_ARQC || online) {
      cvr[1] |= CVR1_FIRST_AC_ARQC;
      return CID_ARQC;
    }
    cvr[1] |= CVR1_FIRST_AC_TC;
    return CID_TC;
  }

  /**
   * The second GENERATE AC: TC only for an approving ARC (00, 10, 11) whose issuer authentication
   * data (91 in CDOL2) passed, or for "unable to go online" (Z3) within the upper limits; else AAC.
   */
  private byte secondAcDecision(byte requested) {
    cvr[1] = (byte) (cvr[1] & ~CVR1_SECOND_AC_NOT_REQUESTED);
    short arc = Util.getShort(scratch, (short) 0);
    issuerAuthentication(arc);
    byte cid = CID_AAC;
    if (arc == (short) 0x5A33) {
      cvr[1] |= CVR1_UNABLE_TO_GO_ONLINE;
      boolean upperExceeded =
          (short) (consecutiveOffline + 1) > (short) (upperConsecutiveLimit & 0xFF)
          || EmvBcd.compare(scratch, S_SUM, amounts, CUMULATIVE_UPPER) > 0;
      if (upperExceeded) {
        cvr[3] |= CVR3_UPPER_LIMIT_EXCEEDED;
      } else {
        cid = CID_TC;
      }
    } else if (arc == (short) 0x3030 || arc == (short) 0x3130 || arc == (short) 0x3131) {
      if (tx[TX_AUTH] == AUTH_PASSED) {
        cid = CID_TC;
      } else if (tx[TX_AUTH] == AUTH_NONE) {
        cvr[2] |= CVR2_ISSUER_AUTH_NOT_PERFORMED;
      }
    }
    if (requested == CID_AAC) {
      cid = CID_AAC;
    }
    if (cid == CID_TC) {
      cvr[1] |= CVR1_SECOND_AC_TC;
    }
    return cid;
  }

  /** One transaction: ATC + 1, and the offline counters (TC) or the online-pending flag (ARQC). */
  private void commitFirstAc(byte cid) {
    JCSystem.beginTransaction();
    atc++;
    if (cid == CID_TC) {
      consecutiveOffline++;
      Util.arrayCopy(scratch, S_SUM, amounts, CUMULATIVE, EmvBcd.LENGTH);
    } else if (cid == CID_ARQC) {
      flags = (byte) (flags | FLAG_ONLINE_PENDING | FLAG_HAS_ARQC);
    }
    JCSystem.commitTransaction();
  }

  /**
   * One transaction: the online transaction is complete; an issuer-approved TC resets the offline
   * counters, an offline TC after "unable to go online" adds to them.
   */
  private void commitSecondAc(byte cid) {
    boolean approvedOnline = cid == CID_TC && tx[TX_AUTH] == AUTH_PASSED;
    JCSystem.beginTransaction();
    flags = (byte) (flags & ~FLAG_ONLINE_PENDING);
    if (tx[TX_AUTH] == AUTH_PASSED) {
      flags = (byte) (flags & ~FLAG_ISSUER_AUTH_FAILED);
    } else if (tx[TX_AUTH] == AUTH_FAILED) {
      flags = (byte) (flags | FLAG_ISSUER_AUTH_FAILED);
    }
    if (approvedOnline) {
      consecutiveOffline = 0;
      Util.arrayFillNonAtomic(amounts, CUMULATIVE, EmvBcd.LENGTH, (byte) 0);
    } else if (cid == CID_TC) {
      consecutiveOffline++;
      Util.arrayCopy(scratch, S_SUM, amounts, CUMULATIVE, EmvBcd.LENGTH);
    }
    JCSystem.commitTransaction();
  }

  /**
   * Cryptogram = leftmost 8 bytes of MAC(SK_AC(ATC), CDOL data || AIP || ATC || IAD); response
   * 77 [9F27 CID] [9F36 ATC] [9F26 AC] [9F10 IAD]. An ARQC is kept for the issuer authentication
   * of the second GENERATE AC and the scripts of this ATC.
   */
  private short computeAndBuildResponse(byte[] buf, short cdolLength, byte cid) {
    boolean first = cdolLength == CDOL1_DATA_LENGTH;
    if (oda && first) {
      // fDDA terminal data 9F37 ‖ 9F02 ‖ 5F2A from CDOL1 (UN at 25, amount at 0, currency at 19).
      Util.arrayCopyNonAtomic(scratch, (short) 25, odaTerminal, (short) 0, (short) 4);
      Util.arrayCopyNonAtomic(scratch, (short) 0, odaTerminal, (short) 4, EmvBcd.LENGTH);
      Util.arrayCopyNonAtomic(scratch, (short) 19, odaTerminal, (short) 10, (short) 2);
    }
    short p = Util.arrayCopyNonAtomic(oda ? AIP_ODA : AIP, (short) 0, scratch, cdolLength, (short) 2);
    p = Util.setShort(scratch, p, atc);
    short iad = p;
    scratch[p++] = (byte) (IAD_LENGTH - 1);
    scratch[p++] = DKI;
    scratch[p++] = suite == SUITE_3DES ? CVN_3DES : CVN_SM4;
    p = Util.arrayCopyNonAtomic(cvr, (short) 0, scratch, p, (short) 4);
    deriveSessionKey(MK_AC);
    mac.mac(sessionKey, (short) 0, null, (short) 0, scratch, (short) 0, p, true, scratch, S_MAC);
    if (cid == CID_ARQC) {
      Util.arrayCopy(scratch, S_MAC, lastArqc, (short) 0, CRYPTOGRAM_LENGTH);
    }
    short r = 2;
    buf[r++] = (byte) 0x9F;
    buf[r++] = 0x27;
    buf[r++] = 0x01;
    buf[r++] = cid;
    buf[r++] = (byte) 0x9F;
    buf[r++] = 0x36;
    buf[r++] = 0x02;
    r = Util.setShort(buf, r, atc);
    r = putTlv(buf, r, (short) 0x9F26, scratch, S_MAC, CRYPTOGRAM_LENGTH);
    r = putTlv(buf, r, (short) 0x9F10, scratch, iad, IAD_LENGTH);
    if (oda && first) {
      r = appendSignedDynamicData(buf, r);
    }
    if ((short) (r - 2) > 0x7F) {
      // Long form: shift the content one byte to make room for 81.
      Util.arrayCopyNonAtomic(buf, (short) 2, buf, (short) 3, (short) (r - 2));
      buf[0] = 0x77;
      buf[1] = (byte) 0x81;
      buf[2] = (byte) (r - 2);
      return (short) (r + 1);
    }
    buf[0] = 0x77;
    buf[1] = (byte) (r - 2);
    return r;
  }

  /**
   * fDDA (first GENERATE AC of a card personalised for ODA): 9F69 card authentication related data
   * and 9F4B signed dynamic application data over 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69 (docs/oda.md §2, §3),
   * after the cryptogram. The signature is made in {@link #scratch} from {@code S_WORK} and copied.
   *
   * @return the offset after what was appended
   */
  short appendSignedDynamicData(byte[] buf, short p) {
    short length = signer.signFdda(odaTerminal, (short) 0, CTQ, (short) 0, scratch, S_WORK);
    p = putTlv(buf, p, (short) 0x9F69, scratch, S_WORK, DynamicSigner.CARD_AUTHENTICATION_DATA_LENGTH);
    short signedLength = (short) (length - DynamicSigner.CARD_AUTHENTICATION_DATA_LENGTH);
    p = Util.setShort(buf, p, (short) 0x9F4B);
    if (signedLength > 0x7F) {
      buf[p++] = (byte) 0x81;
    }
    buf[p++] = (byte) signedLength;
    return Util.arrayCopyNonAtomic(scratch, (short) (S_WORK + DynamicSigner.CARD_AUTHENTICATION_DATA_LENGTH), buf, p,
        signedLength);
  }

  /**
   * The session key of the current ATC into {@link #sessionKey}. 3DES: EMV Book 2 A1.3.1 common
   * session key, E(MK)[ATC || F0 || 00..] || E(MK)[ATC || 0F || 00..]. SM4: the PBOC ATC method,
   * SM4(MK)[00x6 || ATC || 00x6 || (ATC xor FFFF)].
   */
  private void deriveSessionKey(short masterOff) {
    cipher.setKey(keys, masterOff);
    byte hi = (byte) (atc >> 8);
    byte lo = (byte) atc;
    short w = S_WORK;
    Util.arrayFillNonAtomic(scratch, w, KEY_LENGTH, (byte) 0);
    if (suite == SUITE_3DES) {
      scratch[w] = hi;
      scratch[(short) (w + 1)] = lo;
      scratch[(short) (w + 2)] = (byte) 0xF0;
      cipher.encryptBlock(scratch, w, sessionKey, (short) 0);
      scratch[(short) (w + 2)] = (byte) 0x0F;
      cipher.encryptBlock(scratch, w, sessionKey, (short) 8);
    } else {
      scratch[(short) (w + 6)] = hi;
      scratch[(short) (w + 7)] = lo;
      scratch[(short) (w + 14)] = (byte) ~hi;
      scratch[(short) (w + 15)] = (byte) ~lo;
      cipher.encryptBlock(scratch, w, sessionKey, (short) 0);
    }
  }

  // ---- issuer authentication (in the second GENERATE AC) ------------------------------------

  /**
   * Issuer authentication with the 91 of the CDOL2 data in {@link #scratch} (ARPC(8) ‖ ARC(2)),
   * ARPC method 1: ARPC = E(SK_AC)[ARQC xor (ARC || 00..)] (SM4: the block padded with zeros,
   * leftmost 8 bytes), compared in constant time. Not performed for "unable to go online" (Z3) or
   * when 91 is all zeros (the issuer sent none); it fails when the ARC inside 91 is not the ARC of
   * 8A. The outcome goes to {@code tx[TX_AUTH]} and, failed, to the CVR; {@link #commitSecondAc}
   * remembers it for the next transaction.
   */
  private void issuerAuthentication(short arc) {
    if (arc == (short) 0x5A33) {
      return;
    }
    short data = CDOL2_ISSUER_AUTH;
    byte any = 0;
    for (short i = 0; i < ISSUER_AUTH_LENGTH; i++) {
      any |= scratch[(short) (data + i)];
    }
    if (any == 0) {
      return;
    }
    short w = S_WORK;
    // The session key must be derived before the block is built: it clears S_WORK.
    deriveSessionKey(MK_AC);
    short block = (short) (w + 32);
    Util.arrayFillNonAtomic(scratch, block, (short) 16, (byte) 0);
    Util.arrayCopyNonAtomic(lastArqc, (short) 0, scratch, block, CRYPTOGRAM_LENGTH);
    scratch[block] = (byte) (scratch[block] ^ scratch[(short) (data + 8)]);
    scratch[(short) (block + 1)] = (byte) (scratch[(short) (block + 1)] ^ scratch[(short) (data + 9)]);
    cipher.setKey(sessionKey, (short) 0);
    cipher.encryptBlock(scratch, block, scratch, block);
    boolean passed = CardMac.equalsConstantTime(scratch, block, scratch, data, CRYPTOGRAM_LENGTH)
        & Util.getShort(scratch, (short) (data + 8)) == arc;
    tx[TX_AUTH] = passed ? AUTH_PASSED : AUTH_FAILED;
    if (!passed) {
      cvr[1] |= CVR1_ISSUER_AUTH_FAILED;
    }
  }

  // ---- issuer scripts -------------------------------------------------------------------------

  /**
   * An issuer script command under secure messaging: {@code 84 1E 00 00 08 MAC} APPLICATION
   * BLOCK, {@code 84 18 00 00 08 MAC} APPLICATION UNBLOCK, {@code 84 24 00 00 08 MAC} PIN UNBLOCK
   * (try counter back to the limit), {@code 84 24 00 02 18 enciphered-PIN MAC} PIN CHANGE (new PIN
   * and counter at the limit), {@code 04 DA tag Lc value MAC} PUT DATA of 9F14, 9F23 (1 byte)
   * or 9F54, 9F5C (n12). MAC = leftmost 8 bytes of MAC(SK_SMI(ATC), CLA INS P1 P2 Lc || ATC ||
   * ARQC || value) with the card's current ATC and last ARQC. A wrong MAC answers 6988 and changes
   * nothing; the same command again (its MAC already applied) answers 6985; a fifth script at the
   * same ATC 6A84.
   */
  private void script(APDU apdu, short lc) {
    requirePersonalised();
    byte[] buf = apdu.getBuffer();
    byte ins = buf[ISO7816.OFFSET_INS];
    short tag = Util.getShort(buf, ISO7816.OFFSET_P1);
    short valueLength = 0;
    if (ins == (byte) 0xDA) {
      valueLength = putDataLength(tag);
    } else if (ins == (byte) 0x24 && tag == (short) 0x0002) {
      valueLength = PIN_CHANGE_DATA_LENGTH;
    } else if (tag != 0) {
      ISOException.throwIt(EmvSw.WRONG_P1P2);
    }
    if (lc != (short) (valueLength + SCRIPT_MAC_LENGTH)) {
      ISOException.throwIt(EmvSw.WRONG_LENGTH);
    }
    if ((flags & FLAG_HAS_ARQC) == 0) {
      ISOException.throwIt(EmvSw.CONDITIONS_NOT_SATISFIED);
    }
    short value = ISO7816.OFFSET_CDATA;
    short macOff = (short) (value + valueLength);
    verifyScriptMac(buf, valueLength, macOff);
    short applied = scriptAtc == atc ? scriptCount : 0;
    if (scriptAlreadyApplied(buf, macOff, applied)) {
      ISOException.throwIt(EmvSw.CONDITIONS_NOT_SATISFIED);
    }
    if (applied >= SCRIPTS_PER_ATC_MAX) {
      ISOException.throwIt(EmvSw.FILE_FULL);
    }
    if (valueLength == EmvBcd.LENGTH && !EmvBcd.isValid(buf, value)) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
    if (valueLength == PIN_CHANGE_DATA_LENGTH) {
      decipherNewPin(buf, value);
    }
    JCSystem.beginTransaction();
    applyScript(ins, tag, buf, value);
    Util.arrayCopy(buf, macOff, scriptMacs, (short) (applied * SCRIPT_MAC_LENGTH), SCRIPT_MAC_LENGTH);
    scriptAtc = atc;
    scriptCount = (short) (applied + 1);
    JCSystem.commitTransaction();
    Util.arrayFillNonAtomic(scratch, S_PIN, PIN_CHANGE_DATA_LENGTH, (byte) 0);
  }

  /** Where PIN CHANGE deciphers the new PIN block (past the script MAC input). */
  private static final short S_PIN = 160;

  /**
   * Deciphers PIN CHANGE data into scratch at {@link #S_PIN} (CBC, zero ICV, under SK_SMC of the
   * current ATC) and checks it is a format 2 PIN block of 4 to 12 digits followed by 80 00..;
   * 6A80 otherwise.
   */
  private void decipherNewPin(byte[] buf, short value) {
    deriveSessionKey(MK_SMC);
    mac.ecbDecrypt(sessionKey, (short) 0, buf, value, PIN_CHANGE_DATA_LENGTH, scratch, S_PIN);
    short n = cipher.blockLength();
    for (short i = n; i < PIN_CHANGE_DATA_LENGTH; i++) {
      short at = (short) (S_PIN + i);
      scratch[at] = (byte) (scratch[at] ^ buf[(short) (value + i - n)]);
    }
    boolean valid = scratch[(short) (S_PIN + PIN_BLOCK_LENGTH)] == (byte) 0x80;
    for (short i = (short) (PIN_BLOCK_LENGTH + 1); i < PIN_CHANGE_DATA_LENGTH; i++) {
      valid = valid && scratch[(short) (S_PIN + i)] == 0;
    }
    short digits = (short) (scratch[S_PIN] & 0x0F);
    valid = valid && (short) (scratch[S_PIN] & 0xF0) == 0x20 && digits >= 4 && digits <= 12;
    for (short nibble = 2; nibble < 16; nibble++) {
      short b = (short) (scratch[(short) (S_PIN + (nibble >> 1))] & 0xFF);
      short v = (short) ((nibble & 1) == 0 ? (b >> 4) : (b & 0x0F));
      valid = valid && ((short) (nibble - 2) < digits ? v <= 9 : v == 0x0F);
    }
    if (!valid) {
      Util.arrayFillNonAtomic(scratch, S_PIN, PIN_CHANGE_DATA_LENGTH, (byte) 0);
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
  }

  /** @return the value length PUT DATA takes for {@code tag}; 6A88 for a tag it does not take */
  private static short putDataLength(short tag) {
    if (tag == (short) 0x9F14 || tag == (short) 0x9F23) {
      return 1;
    }
    if (tag == (short) 0x9F54 || tag == (short) 0x9F5C) {
      return EmvBcd.LENGTH;
    }
    ISOException.throwIt(EmvSw.REFERENCED_DATA_NOT_FOUND);
    return 0;
  }

  private void verifyScriptMac(byte[] buf, short valueLength, short macOff) {
    short w = S_WORK;
    deriveSessionKey(MK_SMI);
    short p = Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CLA, scratch, w, (short) 5);
    p = Util.setShort(scratch, p, atc);
    p = Util.arrayCopyNonAtomic(lastArqc, (short) 0, scratch, p, CRYPTOGRAM_LENGTH);
    p = Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, p, valueLength);
    mac.mac(sessionKey, (short) 0, null, (short) 0, scratch, w, (short) (p - w), true, scratch,
        S_MAC);
    if (!CardMac.equalsConstantTime(scratch, S_MAC, buf, macOff, SCRIPT_MAC_LENGTH)) {
      ISOException.throwIt(EmvSw.SM_INCORRECT);
    }
  }

  private boolean scriptAlreadyApplied(byte[] buf, short macOff, short applied) {
    for (short s = 0; s < applied; s++) {
      if (Util.arrayCompare(scriptMacs, (short) (s * SCRIPT_MAC_LENGTH), buf, macOff,
          SCRIPT_MAC_LENGTH) == 0) {
        return true;
      }
    }
    return false;
  }

  /** Called inside the script's Java Card transaction. */
  private void applyScript(byte ins, short tag, byte[] buf, short value) {
    if (ins == (byte) 0x1E) {
      flags = (byte) (flags | FLAG_BLOCKED);
    } else if (ins == (byte) 0x18) {
      flags = (byte) (flags & ~FLAG_BLOCKED);
    } else if (ins == (byte) 0x24) {
      if (tag == (short) 0x0002) {
        Util.arrayCopy(scratch, S_PIN, pinBlock, (short) 0, PIN_BLOCK_LENGTH);
      }
      pinTryCounter = pinTryLimit;
    } else if (tag == (short) 0x9F14) {
      lowerConsecutiveLimit = buf[value];
    } else if (tag == (short) 0x9F23) {
      upperConsecutiveLimit = buf[value];
    } else {
      Util.arrayCopy(buf, value, amounts, amountOffset(tag), EmvBcd.LENGTH);
    }
  }

  // ---- personalisation: STORE DATA ------------------------------------------------------------

  /**
   * STORE DATA {@code 80 E2 P1 P2 Lc DGI(2) L(1) value} while the card is not yet personalised:
   * DGI 0101 and 0102 are SFI 1 records 1 and 2, DGI 9200 the application parameters; P1 bit 8
   * marks the last block, which closes personalisation once all three are stored.
   */
  private void storeData(APDU apdu, short lc) {
    if (lifeCycle == LIFE_PERSONALISED) {
      ISOException.throwIt(EmvSw.CONDITIONS_NOT_SATISFIED);
    }
    byte[] buf = apdu.getBuffer();
    if ((buf[ISO7816.OFFSET_P1] & 0x7F) != 0) {
      ISOException.throwIt(EmvSw.WRONG_P1P2);
    }
    if (lc < 3) {
      ISOException.throwIt(EmvSw.WRONG_LENGTH);
    }
    short valueLength = (short) (buf[(short) (ISO7816.OFFSET_CDATA + 2)] & 0xFF);
    if (valueLength != (short) (lc - 3)) {
      ISOException.throwIt(EmvSw.LC_TLV_INCONSISTENT);
    }
    short dgi = Util.getShort(buf, ISO7816.OFFSET_CDATA);
    short value = (short) (ISO7816.OFFSET_CDATA + 3);
    byte flag = dgiFlag(dgi);
    // Checked before anything is written, so a refused last block leaves the card as it was.
    boolean last = (buf[ISO7816.OFFSET_P1] & (byte) 0x80) != 0;
    if (last && (byte) ((dgiFlags | flag) & DGI_ALL) != DGI_ALL) {
      ISOException.throwIt(EmvSw.CONDITIONS_NOT_SATISFIED);
    }
    if (flag == DGI_RECORD_1) {
      checkRecord1(buf, value, valueLength);
      JCSystem.beginTransaction();
      record1Length = Util.arrayCopy(buf, value, record1, (short) 0, valueLength);
      dgiFlags = (byte) (dgiFlags | DGI_RECORD_1);
      JCSystem.commitTransaction();
    } else if (flag == DGI_RECORD_2) {
      checkRecord2(buf, value, valueLength);
      JCSystem.beginTransaction();
      record2Length = Util.arrayCopy(buf, value, record2, (short) 0, valueLength);
      dgiFlags = (byte) (dgiFlags | DGI_RECORD_2);
      JCSystem.commitTransaction();
    } else if (flag == DGI_RECORD_3 || flag == DGI_RECORD_4) {
      storeOdaRecord(buf, value, valueLength, flag);
    } else if (flag == DGI_ODA_KEY) {
      if (suite != SUITE_3DES) {
        ISOException.throwIt(EmvSw.REFERENCED_DATA_NOT_FOUND); // SM2 keys are born on the card
      }
      signer.setRsaComponent(buf[(short) (ISO7816.OFFSET_CDATA + 1)], buf, value, valueLength);
      dgiFlags = (byte) (dgiFlags | DGI_ODA_KEY);
    } else {
      storeParameters(buf, value, valueLength);
    }
    if (last) {
      JCSystem.beginTransaction();
      oda = (byte) (dgiFlags & (DGI_RECORD_3 | DGI_RECORD_4)) == (byte) (DGI_RECORD_3 | DGI_RECORD_4) && signer.hasKey();
      lifeCycle = LIFE_PERSONALISED;
      JCSystem.commitTransaction();
    }
  }

  /** @return the flag of a DGI this applet takes; 6A88 for any other */
  private static byte dgiFlag(short dgi) {
    if (dgi == (short) 0x0101) {
      return DGI_RECORD_1;
    }
    if (dgi == (short) 0x0102) {
      return DGI_RECORD_2;
    }
    if (dgi == (short) 0x0103) {
      return DGI_RECORD_3;
    }
    if (dgi == (short) 0x0104) {
      return DGI_RECORD_4;
    }
    if (dgi >= (short) 0x8201 && dgi <= (short) 0x8207) {
      return DGI_ODA_KEY; // RSA key component 1 modulus .. 7 Q^-1 (DynamicSigner.RSA_*)
    }
    if (dgi != (short) 0x9200) {
      ISOException.throwIt(EmvSw.REFERENCED_DATA_NOT_FOUND);
    }
    return DGI_PARAMETERS;
  }

  /** DGI 0103 / 0104: an ODA record (certificates, CA index), flat BER-TLV of at most 252 bytes. */
  private void storeOdaRecord(byte[] buf, short value, short length, byte flag) {
    short end = (short) (value + length);
    for (short p = value; p < end; ) {
      p = parseTlv(buf, p, end);
    }
    JCSystem.beginTransaction();
    if (flag == DGI_RECORD_3) {
      record3Length = Util.arrayCopy(buf, value, record3, (short) 0, length);
    } else {
      record4Length = Util.arrayCopy(buf, value, record4, (short) 0, length);
    }
    dgiFlags = (byte) (dgiFlags | flag);
    JCSystem.commitTransaction();
  }

  /**
   * GENERATE ODA KEY {@code 80 E0 00 00 00} while not personalised: a new ODA key pair on the card;
   * answers its public key for the issuer to certify (RSA: N length ‖ N ‖ e length ‖ e; SM2: X ‖ Y).
   */
  private void generateOdaKey(APDU apdu) {
    if (lifeCycle == LIFE_PERSONALISED) {
      ISOException.throwIt(EmvSw.CONDITIONS_NOT_SATISFIED);
    }
    byte[] buf = apdu.getBuffer();
    requireP1P2(buf, (byte) 0, (byte) 0);
    short length = signer.generateKeyPair(buf, (short) 0);
    dgiFlags = (byte) (dgiFlags | DGI_ODA_KEY);
    apdu.setOutgoingAndSend((short) 0, length);
  }

  /** Record 1 must carry the PAN (5A) and the track 2 equivalent (57). */
  private void checkRecord1(byte[] buf, short value, short length) {
    if (length > RECORD_MAX || (short) (length + record2Length) > MERGED_RECORD_MAX) {
      ISOException.throwIt(EmvSw.FILE_FULL);
    }
    short found = 0;
    short end = (short) (value + length);
    for (short p = value; p < end; ) {
      p = parseTlv(buf, p, end);
      if (tlv[0] == (short) 0x5A && tlv[2] > 0 && tlv[2] <= 10) {
        found |= 1;
      } else if (tlv[0] == (short) 0x57) {
        found |= 2;
      }
    }
    if (found != 3) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
  }

  /** Record 2's CDOL1 (8C) and CDOL2 (8D) must be exactly the layouts this applet reads. */
  private void checkRecord2(byte[] buf, short value, short length) {
    if (length > RECORD_MAX || (short) (length + record1Length) > MERGED_RECORD_MAX) {
      ISOException.throwIt(EmvSw.FILE_FULL);
    }
    short found = 0;
    short end = (short) (value + length);
    for (short p = value; p < end; ) {
      p = parseTlv(buf, p, end);
      if (tlv[0] == (short) 0x8C && tlv[2] == (short) CDOL1.length
          && Util.arrayCompare(buf, tlv[1], CDOL1, (short) 0, tlv[2]) == 0) {
        found |= 1;
      } else if (tlv[0] == (short) 0x8D && tlv[2] == (short) CDOL2.length
          && Util.arrayCompare(buf, tlv[1], CDOL2, (short) 0, tlv[2]) == 0) {
        found |= 2;
      }
    }
    if (found != 3) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
  }

  /** DGI 9200: 9F38 PDOL, 9F14, 9F23 (1 byte), 9F54, 9F5C (n12), all required. */
  private void storeParameters(byte[] buf, short value, short length) {
    short pdolOff = -1;
    short pdolLen = 0;
    short lowerOff = -1;
    short upperOff = -1;
    short cumulativeLowerOff = -1;
    short cumulativeUpperOff = -1;
    short end = (short) (value + length);
    for (short p = value; p < end; ) {
      p = parseTlv(buf, p, end);
      short tag = tlv[0];
      if (tag == (short) 0x9F38) {
        pdolOff = tlv[1];
        pdolLen = tlv[2];
      } else if (tag == (short) 0x9F14 && tlv[2] == 1) {
        lowerOff = tlv[1];
      } else if (tag == (short) 0x9F23 && tlv[2] == 1) {
        upperOff = tlv[1];
      } else if (tag == (short) 0x9F54 && tlv[2] == EmvBcd.LENGTH && EmvBcd.isValid(buf, tlv[1])) {
        cumulativeLowerOff = tlv[1];
      } else if (tag == (short) 0x9F5C && tlv[2] == EmvBcd.LENGTH && EmvBcd.isValid(buf, tlv[1])) {
        cumulativeUpperOff = tlv[1];
      }
    }
    if (pdolOff < 0 || lowerOff < 0 || upperOff < 0 || cumulativeLowerOff < 0
        || cumulativeUpperOff < 0) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
    if (pdolLen > PDOL_MAX) {
      ISOException.throwIt(EmvSw.FILE_FULL);
    }
    parsePdol(buf, pdolOff, pdolLen);
    JCSystem.beginTransaction();
    pdolLength = Util.arrayCopy(buf, pdolOff, pdol, (short) 0, pdolLen);
    lowerConsecutiveLimit = buf[lowerOff];
    upperConsecutiveLimit = buf[upperOff];
    Util.arrayCopy(buf, cumulativeLowerOff, amounts, CUMULATIVE_LOWER, EmvBcd.LENGTH);
    Util.arrayCopy(buf, cumulativeUpperOff, amounts, CUMULATIVE_UPPER, EmvBcd.LENGTH);
    dgiFlags = (byte) (dgiFlags | DGI_PARAMETERS);
    JCSystem.commitTransaction();
  }

  /** The PDOL data length (at most {@link #PDOL_DATA_MAX}) and where 9F02 sits in it, if at all. */
  private void parsePdol(byte[] buf, short off, short len) {
    short end = (short) (off + len);
    short dataOff = 0;
    short amountOff = -1;
    short p = off;
    while (p < end) {
      short tag = (short) (buf[p++] & 0xFF);
      if ((short) (tag & 0x1F) == 0x1F) {
        if (p >= end) {
          ISOException.throwIt(EmvSw.LC_TLV_INCONSISTENT);
        }
        tag = (short) ((short) (tag << 8) | (short) (buf[p++] & 0xFF));
      }
      if (p >= end) {
        ISOException.throwIt(EmvSw.LC_TLV_INCONSISTENT);
      }
      short l = (short) (buf[p++] & 0xFF);
      if (l > 0x7F) {
        ISOException.throwIt(EmvSw.WRONG_DATA);
      }
      if (tag == (short) 0x9F02) {
        if (l != EmvBcd.LENGTH) {
          ISOException.throwIt(EmvSw.WRONG_DATA);
        }
        amountOff = dataOff;
      }
      dataOff = (short) (dataOff + l);
      if (dataOff > PDOL_DATA_MAX) {
        ISOException.throwIt(EmvSw.FILE_FULL);
      }
    }
    pdolAmountOff = amountOff;
    pdolDataLength = dataOff;
  }

  /**
   * Reads one primitive BER-TLV with a 1- or 2-byte tag and a short-form or 81 length into {@link
   * #tlv}. Records and parameters are flat: a constructed object is refused (6A80), so what READ
   * RECORD returns is well-formed at every level.
   *
   * @return the offset after the value
   */
  private short parseTlv(byte[] buf, short p, short end) {
    short tag = (short) (buf[p++] & 0xFF);
    if ((short) (tag & 0x20) != 0) {
      ISOException.throwIt(EmvSw.WRONG_DATA);
    }
    if ((short) (tag & 0x1F) == 0x1F) {
      if (p >= end) {
        ISOException.throwIt(EmvSw.LC_TLV_INCONSISTENT);
      }
      tag = (short) ((short) (tag << 8) | (short) (buf[p++] & 0xFF));
    }
    if (p >= end) {
      ISOException.throwIt(EmvSw.LC_TLV_INCONSISTENT);
    }
    short len = (short) (buf[p++] & 0xFF);
    if (len == 0x81) {
      if (p >= end) {
        ISOException.throwIt(EmvSw.LC_TLV_INCONSISTENT);
      }
      len = (short) (buf[p++] & 0xFF);
    } else if (len > 0x7F) {
      ISOException.throwIt(EmvSw.LC_TLV_INCONSISTENT);
    }
    if (len > (short) (end - p)) {
      ISOException.throwIt(EmvSw.LC_TLV_INCONSISTENT);
    }
    tlv[0] = tag;
    tlv[1] = p;
    tlv[2] = len;
    return (short) (p + len);
  }
}
