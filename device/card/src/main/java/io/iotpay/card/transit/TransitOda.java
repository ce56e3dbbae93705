package io.iotpay.card.transit;

import io.iotpay.card.oda.DynamicSigner;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;

/**
 * The transit card's offline data authentication (docs/card-apdus.md §11, docs/oda.md): the same
 * {@link DynamicSigner} the EMV applet embeds, with the transit card's own places for the
 * certificates so a gate tap stays within 7 commands: the issuer certificate (90) is SFI 1
 * record 2, the rest (8F, 92, 9F32, 9F46, 9F47, 9F48) rides in the GPO response of the extension
 * path, and the fDDA signature rides in the GENERATE AC response (and in INTERNAL AUTHENTICATE for
 * a gate that opens without a new transaction).
 *
 * <p>Personalisation (STORE DATA under SCP02): DGI 0102 starts record 2, 0103 continues it (an
 * issuer certificate under a 1984-bit CA does not fit one MACed block), 0104 the GPO data, 8201..8207
 * the RSA key components (3..7, the private ones, encrypted under the session DEK); an SM2 key is
 * generated on the card by GENERATE ODA KEY. The card claims DDA in its AIP only when all are there.
 */
final class TransitOda {
  static final short RECORD_MAX = 252;
  static final short GPO_DATA_MAX = 200;
  /** ICC key size of INTERNATIONAL cards (docs/oda.md §1). */
  static final short RSA_BITS = 1024;
  private static final byte HAS_RECORD = 0x01;
  private static final byte HAS_GPO_DATA = 0x02;
  private static final byte HAS_KEY = 0x04;
  private static final byte HAS_ALL = 0x07;
  /** Card transaction qualifiers in 9F69: none set (the gate reads none). */
  private static final byte[] CTQ = {0x00, 0x00};

  private final DynamicSigner signer;
  private final byte[] record;
  private short recordLength;
  private final byte[] gpoData;
  private short gpoDataLength;
  private byte flags;
  private boolean enabled;
  private final byte[] terminal;

  TransitOda(boolean sm2) {
    signer = new DynamicSigner(sm2, RSA_BITS);
    record = new byte[RECORD_MAX];
    gpoData = new byte[GPO_DATA_MAX];
    terminal = JCSystem.makeTransientByteArray(DynamicSigner.TERMINAL_DATA_LENGTH, JCSystem.CLEAR_ON_DESELECT);
  }

  /** True once personalisation closed with the record, the GPO data and a key. */
  boolean enabled() {
    return enabled;
  }

  /** Called when personalisation closes. */
  void close() {
    enabled = flags == HAS_ALL && signer.hasKey();
  }

  /** DGI 0102 (start) or 0103 (continue) of record 2. */
  boolean storeRecord(byte[] buf, short value, short length, boolean append) {
    short at = append ? recordLength : 0;
    if ((short) (at + length) > RECORD_MAX) {
      ISOException.throwIt(TransitSw.FILE_FULL);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(buf, value, record, at, length);
    recordLength = (short) (at + length);
    flags = (byte) (flags | HAS_RECORD);
    JCSystem.commitTransaction();
    return true;
  }

  /** DGI 0104: the data objects the GPO response carries. */
  boolean storeGpoData(byte[] buf, short value, short length) {
    if (length > GPO_DATA_MAX) {
      ISOException.throwIt(TransitSw.FILE_FULL);
    }
    JCSystem.beginTransaction();
    gpoDataLength = Util.arrayCopy(buf, value, gpoData, (short) 0, length);
    flags = (byte) (flags | HAS_GPO_DATA);
    JCSystem.commitTransaction();
    return true;
  }

  /** DGI 820c: RSA key component c, already decrypted by the caller when private. */
  boolean storeKeyComponent(byte component, byte[] buf, short value, short length) {
    signer.setRsaComponent(component, buf, value, length);
    flags = (byte) (flags | HAS_KEY);
    return true;
  }

  /** GENERATE ODA KEY: a new key pair on the card, its public key written to {@code out}. */
  short generateKey(byte[] out) {
    short length = signer.generateKeyPair(out, (short) 0);
    flags = (byte) (flags | HAS_KEY);
    return length;
  }

  /** Appends the GPO data objects at {@code p}; returns the offset after them. */
  short appendGpoData(byte[] out, short p) {
    return Util.arrayCopyNonAtomic(gpoData, (short) 0, out, p, gpoDataLength);
  }

  /** SFI 1 record 2 as {@code 70 81 L record}; returns its length. */
  short readRecord(byte[] out) {
    out[0] = 0x70;
    out[1] = (byte) 0x81;
    out[2] = (byte) recordLength;
    Util.arrayCopyNonAtomic(record, (short) 0, out, (short) 3, recordLength);
    return (short) (3 + recordLength);
  }

  /** Keeps 9F37 ‖ 9F02 ‖ 5F2A for the next {@link #appendSignature}. */
  void setTerminalData(byte[] un, short unOff, byte[] amount, short amountOff, byte[] currency, short currencyOff) {
    Util.arrayCopyNonAtomic(un, unOff, terminal, (short) 0, (short) 4);
    Util.arrayCopyNonAtomic(amount, amountOff, terminal, (short) 4, (short) 6);
    Util.arrayCopyNonAtomic(currency, currencyOff, terminal, (short) 10, (short) 2);
  }

  /**
   * Signs the terminal data kept by {@link #setTerminalData} into {@code work} (from 0, which must
   * not be needed any more) and appends {@code 9F69} and {@code 9F4B} to {@code out} at {@code p}.
   *
   * @return the offset after 9F4B
   */
  short appendSignature(byte[] work, byte[] out, short p) {
    short length = signer.signFdda(terminal, (short) 0, CTQ, (short) 0, work, (short) 0);
    short cardData = DynamicSigner.CARD_AUTHENTICATION_DATA_LENGTH;
    out[p++] = (byte) 0x9F;
    out[p++] = 0x69;
    out[p++] = (byte) cardData;
    p = Util.arrayCopyNonAtomic(work, (short) 0, out, p, cardData);
    short signedLength = (short) (length - cardData);
    out[p++] = (byte) 0x9F;
    out[p++] = 0x4B;
    if (signedLength > 0x7F) {
      out[p++] = (byte) 0x81;
    }
    out[p++] = (byte) signedLength;
    return Util.arrayCopyNonAtomic(work, cardData, out, p, signedLength);
  }

  /**
   * INTERNAL AUTHENTICATE {@code 00 88 00 00 0C 9F37 ‖ 9F02 ‖ 5F2A 00}: {@code 77 {9F69, 9F4B}}
   * written to {@code buf}; 6985 without ODA, 6700 for another length, 6A86 for P1 P2 not 00 00.
   *
   * @return the response length
   */
  short internalAuthenticate(byte[] buf, short lc, byte[] work) {
    if (!enabled) {
      ISOException.throwIt(TransitSw.CONDITIONS_NOT_SATISFIED);
    }
    if (buf[ISO7816.OFFSET_P1] != 0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(TransitSw.WRONG_P1P2);
    }
    if (lc != DynamicSigner.TERMINAL_DATA_LENGTH) {
      ISOException.throwIt(TransitSw.WRONG_LENGTH);
    }
    short data = ISO7816.OFFSET_CDATA;
    setTerminalData(buf, data, buf, (short) (data + 4), buf, (short) (data + 10));
    short end = appendSignature(work, buf, (short) 3);
    return closeTemplate(buf, (byte) 0x77, end);
  }

  /**
   * Writes the template tag and length before content that starts at offset 3 and ends at {@code end}:
   * {@code T 81 L} when the content is above 127 bytes, else {@code T L} with the content moved down one.
   *
   * @return the template's total length, from offset 0
   */
  static short closeTemplate(byte[] buf, byte tag, short end) {
    short content = (short) (end - 3);
    buf[0] = tag;
    if (content > 0x7F) {
      buf[1] = (byte) 0x81;
      buf[2] = (byte) content;
      return end;
    }
    Util.arrayCopyNonAtomic(buf, (short) 3, buf, (short) 2, content);
    buf[1] = (byte) content;
    return (short) (end - 1);
  }
}
