package io.iotpay.card.se;

import io.iotpay.card.chip.Curves;
import io.iotpay.card.chip.EcSigner;
import io.iotpay.card.chip.Sm3Digest;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.ECPrivateKey;
import javacard.security.ECPublicKey;
import javacard.security.KeyBuilder;
import javacard.security.MessageDigest;
import javacard.security.RandomData;

/**
 * The phone's secure element as the acquiring SDK uses it: GENERATE KEY PAIR makes the terminal
 * key inside the applet (P-256 for INTERNATIONAL, sm2p256v1 for NATIONAL; no command outputs the
 * private key), SIGN ENROLMENT signs the host's CSR body while enrolling, END ENROLMENT binds the
 * terminal id the acquirer issued and locks, and ATTEST signs an attestation token: a persistent
 * counter advanced under a Java Card transaction before it is used, the bound terminal id, and the
 * host's fields (token version, app integrity digest, device state flags, SDK version, acquirer
 * nonce, location). Every APDU and the token layout: {@code docs/se-apdus.md}.
 *
 * <p>Converter-compatible: byte and short arithmetic, no String, int fields, long or java.util,
 * all memory allocated at install. The signer is the secure chip's ({@link EcSigner}).
 */
public class SeApplet extends Applet {

  static final byte SUITE_INTERNATIONAL = 0x01;
  static final byte SUITE_NATIONAL = 0x02;
  static final byte LIFE_EMPTY = 0x01;
  static final byte LIFE_ENROLLING = 0x07;
  static final byte LIFE_LOCKED = 0x0F;

  static final byte TAG_COUNTER = 0x02;
  static final byte TAG_STATE = 0x03;
  static final byte TAG_TERMINAL_ID = 0x04;

  public static final short COUNTER_LENGTH = 4;
  public static final short TERMINAL_ID_LENGTH = 8;
  /** Host part of a token: version (1) digest (32) flags (1) SDK version (2) nonce (16) latitude (4) longitude (4). */
  public static final short HOST_FIELDS_LENGTH = 60;
  public static final byte TOKEN_VERSION = 0x01;
  static final short ENROLMENT_DATA_MAX = 240;

  private final EcSigner signer;
  private final ECPublicKey publicKey;
  final ECPrivateKey privateKey;
  final byte suite;
  final byte[] counter;
  private final byte[] terminalId;
  private byte lifeCycle;
  private final byte[] scratch;

  /** Install data (GP format: AID, control info, applet data): applet data is the suite (1: 01 or 02). */
  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new SeApplet(bArray, bOffset, bLength).register(bArray, (short) (bOffset + 1), bArray[bOffset]);
  }

  protected SeApplet(byte[] bArray, short bOffset, byte bLength) {
    short aidLength = (short) (bArray[bOffset] & 0xFF);
    short controlOff = (short) (bOffset + 1 + aidLength);
    short dataLengthOff = (short) (controlOff + 1 + (short) (bArray[controlOff] & 0xFF));
    if ((bArray[dataLengthOff] & 0xFF) != 1) {
      ISOException.throwIt(SeSw.WRONG_LENGTH);
    }
    suite = bArray[(short) (dataLengthOff + 1)];
    if (suite != SUITE_INTERNATIONAL && suite != SUITE_NATIONAL) {
      ISOException.throwIt(SeSw.WRONG_DATA);
    }
    boolean national = suite == SUITE_NATIONAL;
    publicKey = (ECPublicKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PUBLIC, KeyBuilder.LENGTH_EC_FP_256, false);
    privateKey = (ECPrivateKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE, KeyBuilder.LENGTH_EC_FP_256, false);
    Curves.setDomain(publicKey, national);
    Curves.setDomain(privateKey, national);
    RandomData random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
    signer = new EcSigner(national, random, new Sm3Digest(),
        national ? null : MessageDigest.getInstance(MessageDigest.ALG_SHA_256, false), privateKey);
    counter = new byte[COUNTER_LENGTH];
    terminalId = new byte[TERMINAL_ID_LENGTH];
    lifeCycle = LIFE_EMPTY;
    scratch = JCSystem.makeTransientByteArray((short) 256, JCSystem.CLEAR_ON_DESELECT);
  }

  public void process(APDU apdu) {
    if (selectingApplet()) {
      return;
    }
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_CLA] != (byte) 0x80) {
      ISOException.throwIt(SeSw.CLA_NOT_SUPPORTED);
    }
    switch (buf[ISO7816.OFFSET_INS]) {
      case (byte) 0x46: generateKeyPair(apdu); break;
      case (byte) 0x4A: getPublicKey(apdu); break;
      case (byte) 0x2C: signEnrolment(apdu, receive(apdu)); break;
      case (byte) 0xF0: endEnrolment(apdu, receive(apdu)); break;
      case (byte) 0x2A: attest(apdu, receive(apdu)); break;
      case (byte) 0xCA: getData(apdu); break;
      default: ISOException.throwIt(SeSw.INS_NOT_SUPPORTED);
    }
  }

  private static short receive(APDU apdu) {
    short lc = (short) (apdu.getBuffer()[ISO7816.OFFSET_LC] & 0xFF);
    short received = apdu.setIncomingAndReceive();
    if (received != lc) {
      ISOException.throwIt(SeSw.WRONG_LENGTH);
    }
    return lc;
  }

  private static void requireP1P2Zero(byte[] buf) {
    if (buf[ISO7816.OFFSET_P1] != 0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(SeSw.WRONG_P1P2);
    }
  }

  private void requireLifeCycle(byte expected) {
    if (lifeCycle != expected) {
      ISOException.throwIt(expected == LIFE_ENROLLING && lifeCycle == LIFE_EMPTY
          ? SeSw.CONDITIONS_NOT_SATISFIED : SeSw.COMMAND_NOT_ALLOWED);
    }
  }

  /** GENERATE KEY PAIR {@code 80 46 00 00}: once, on an empty SE; responds 04 || X || Y. */
  private void generateKeyPair(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    if (lifeCycle != LIFE_EMPTY) {
      ISOException.throwIt(SeSw.CONDITIONS_NOT_SATISFIED);
    }
    signer.generateKeyPair(publicKey);
    lifeCycle = LIFE_ENROLLING;
    apdu.setOutgoingAndSend((short) 0, publicKey.getW(buf, (short) 0));
  }

  /** GET PUBLIC KEY {@code 80 4A 00 00}: 04 || X || Y, once a key pair exists. */
  private void getPublicKey(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    if (lifeCycle == LIFE_EMPTY) {
      ISOException.throwIt(SeSw.CONDITIONS_NOT_SATISFIED);
    }
    apdu.setOutgoingAndSend((short) 0, publicKey.getW(buf, (short) 0));
  }

  /** SIGN ENROLMENT {@code 80 2C 00 00 Lc data}: signs a CSR's CertificationRequestInfo as it is, only while enrolling. */
  private void signEnrolment(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_ENROLLING);
    if (lc < 1 || lc > ENROLMENT_DATA_MAX) {
      ISOException.throwIt(SeSw.WRONG_LENGTH);
    }
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, (short) 0, lc);
    apdu.setOutgoingAndSend((short) 0, signer.sign(scratch, (short) 0, lc, buf, (short) 0));
  }

  /** END ENROLMENT {@code 80 F0 00 00 08 terminal-id}: binds the acquirer's terminal id and locks for good. */
  private void endEnrolment(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_ENROLLING);
    if (lc != TERMINAL_ID_LENGTH) {
      ISOException.throwIt(SeSw.WRONG_LENGTH);
    }
    for (short i = 0; i < TERMINAL_ID_LENGTH; i++) {
      byte b = buf[(short) (ISO7816.OFFSET_CDATA + i)];
      if (b < 0x21 || b > 0x7E) {
        ISOException.throwIt(SeSw.WRONG_DATA);
      }
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(buf, ISO7816.OFFSET_CDATA, terminalId, (short) 0, TERMINAL_ID_LENGTH);
    lifeCycle = LIFE_LOCKED;
    JCSystem.commitTransaction();
  }

  /**
   * ATTEST {@code 80 2A 00 00 3C host-fields}: advances the counter, then signs
   * counter (4) || terminal id (8) || host fields (60); responds counter || terminal id || DER signature.
   */
  private void attest(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    if (lc != HOST_FIELDS_LENGTH) {
      ISOException.throwIt(SeSw.WRONG_LENGTH);
    }
    if (buf[ISO7816.OFFSET_CDATA] != TOKEN_VERSION) {
      ISOException.throwIt(SeSw.WRONG_DATA);
    }
    advanceCounter();
    Util.arrayCopyNonAtomic(counter, (short) 0, scratch, (short) 0, COUNTER_LENGTH);
    Util.arrayCopyNonAtomic(terminalId, (short) 0, scratch, COUNTER_LENGTH, TERMINAL_ID_LENGTH);
    short head = (short) (COUNTER_LENGTH + TERMINAL_ID_LENGTH);
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, head, lc);
    short length = signer.sign(scratch, (short) 0, (short) (head + lc), buf, head);
    Util.arrayCopyNonAtomic(scratch, (short) 0, buf, (short) 0, head);
    apdu.setOutgoingAndSend((short) 0, (short) (head + length));
  }

  /** The next counter value is durable before any signature uses it; a tear burns at most one value, never repeats. */
  private void advanceCounter() {
    Util.arrayCopyNonAtomic(counter, (short) 0, scratch, (short) 0, COUNTER_LENGTH);
    short carry = 1;
    for (short i = (short) (COUNTER_LENGTH - 1); i >= 0; i--) {
      short sum = (short) ((short) (scratch[i] & 0xFF) + carry);
      scratch[i] = (byte) sum;
      carry = (short) (sum >> 8);
    }
    if (carry != 0) {
      ISOException.throwIt(SeSw.COUNTER_EXHAUSTED);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(scratch, (short) 0, counter, (short) 0, COUNTER_LENGTH);
    JCSystem.commitTransaction();
  }

  /** GET DATA {@code 80 CA 00 tag}: 02 counter, 03 suite || life cycle, 04 terminal id (after the lock). */
  private void getData(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_P1] != 0) {
      ISOException.throwIt(SeSw.WRONG_P1P2);
    }
    byte tag = buf[ISO7816.OFFSET_P2];
    short length = 0;
    if (tag == TAG_COUNTER) {
      length = Util.arrayCopyNonAtomic(counter, (short) 0, buf, (short) 0, COUNTER_LENGTH);
    } else if (tag == TAG_STATE) {
      buf[0] = suite;
      buf[1] = lifeCycle;
      length = 2;
    } else if (tag == TAG_TERMINAL_ID && lifeCycle == LIFE_LOCKED) {
      length = Util.arrayCopyNonAtomic(terminalId, (short) 0, buf, (short) 0, TERMINAL_ID_LENGTH);
    } else {
      ISOException.throwIt(SeSw.REFERENCED_DATA_NOT_FOUND);
    }
    apdu.setOutgoingAndSend((short) 0, length);
  }
}
