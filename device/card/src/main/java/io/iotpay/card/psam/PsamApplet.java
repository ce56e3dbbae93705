package io.iotpay.card.psam;

import io.iotpay.card.chip.Curves;
import io.iotpay.card.chip.EcSigner;
import io.iotpay.card.chip.Sm3Digest;
import io.iotpay.card.wallet.Amount4;
import io.iotpay.card.wallet.EcVerifier;
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
 * The POS's secure access module: holds the POS key pair (generated here, never exported), the
 * POS certificate the scheme signed, and the issuer public key. It issues POS challenges, checks the
 * wallet's certificate, signs the wallet's challenge (so the wallet knows the POS is certified),
 * verifies the wallet's debit signature and countersigns each purchase record with its own
 * sequence number. It countersigns only a debit that answers a challenge it issued and has not yet
 * used, so a POS can neither make up a purchase nor count one twice. docs/wallet-apdus.md §4.
 */
public class PsamApplet extends Applet {

  static final byte SUITE_INTERNATIONAL = 0x01;
  static final byte SUITE_NATIONAL = 0x02;
  static final byte LIFE_PERSONALISING = 0x07;
  static final byte LIFE_LOCKED = 0x0F;
  static final short ID_LENGTH = 8;
  static final short CHALLENGE_LENGTH = 16;
  static final short CERT_BODY_LENGTH = 75;
  static final short CERT_MAX = (short) (CERT_BODY_LENGTH + EcVerifier.SIGNATURE_MAX);
  static final byte FORMAT_CARD_CERT = 0x02;
  static final byte INPUT_AUTH = 0x11;
  static final byte INPUT_DEBIT = 0x21;
  static final byte INPUT_COUNTERSIGN = 0x31;
  /** Issued, unused challenges kept: a torn purchase can still be countersigned this many taps later. */
  static final short CHALLENGE_SLOTS = 8;
  /** DEBIT signature input length (docs/wallet-apdus.md §3.4). */
  static final short DEBIT_INPUT_LENGTH = 51;

  private static final short T_VERIFIED = 0;
  private static final short T_CARD_ID = 1;
  private static final short T_CARD_KEY = 9;
  private static final short TRANSIENT_LENGTH = 74;
  private static final short X_INPUT = 0;
  private static final short X_SIG = 64;
  private static final short X_OUT = 140;
  private static final short SCRATCH_LENGTH = 224;

  final byte suite;
  private final boolean national;
  private final byte[] posId;
  private final byte[] certificate;
  private short certificateLength;
  private final byte[] issuerKey;
  private boolean issuerKeyPresent;
  private byte lifeCycle;
  final byte[] sequence;
  private final byte[] challenges;
  private short challengeNext;
  /** The last countersigned DEBIT input and its answer, so a lost answer can be asked for again. */
  private final byte[] lastInput;
  private final byte[] lastAnswer;
  private short lastAnswerLength;
  private final ECPublicKey publicKey;
  private final EcSigner signer;
  private final EcVerifier verifier;
  private final RandomData random;
  private final byte[] card;
  private final byte[] scratch;

  /** Installs the PSAM. Applet data: suite (1) || POS id (8). */
  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new PsamApplet(bArray, bOffset, bLength).register(bArray, (short) (bOffset + 1), bArray[bOffset]);
  }

  // RandomData.setSeed and ALG_SECURE_RANDOM are what classic 2.2.x cards offer.
  @SuppressWarnings("deprecation")
  protected PsamApplet(byte[] bArray, short bOffset, byte bLength) {
    short aidLength = (short) (bArray[bOffset] & 0xFF);
    short controlOff = (short) (bOffset + 1 + aidLength);
    short dataLengthOff = (short) (controlOff + 1 + (short) (bArray[controlOff] & 0xFF));
    short p = (short) (dataLengthOff + 1);
    if ((short) (bArray[dataLengthOff] & 0xFF) != (short) (1 + ID_LENGTH)) {
      ISOException.throwIt(PsamSw.WRONG_LENGTH);
    }
    suite = bArray[p];
    if (suite != SUITE_INTERNATIONAL && suite != SUITE_NATIONAL) {
      ISOException.throwIt(PsamSw.WRONG_DATA);
    }
    national = suite == SUITE_NATIONAL;
    posId = new byte[ID_LENGTH];
    Util.arrayCopy(bArray, (short) (p + 1), posId, (short) 0, ID_LENGTH);
    certificate = new byte[CERT_MAX];
    issuerKey = new byte[Curves.POINT_LENGTH];
    sequence = new byte[Amount4.LENGTH];
    challenges = new byte[(short) (CHALLENGE_SLOTS * CHALLENGE_LENGTH)];
    lastInput = new byte[DEBIT_INPUT_LENGTH];
    lastAnswer = new byte[(short) (Amount4.LENGTH + EcVerifier.SIGNATURE_MAX)];
    lifeCycle = LIFE_PERSONALISING;
    publicKey = (ECPublicKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PUBLIC, KeyBuilder.LENGTH_EC_FP_256, false);
    ECPrivateKey privateKey = (ECPrivateKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE,
        KeyBuilder.LENGTH_EC_FP_256, false);
    Curves.setDomain(publicKey, national);
    Curves.setDomain(privateKey, national);
    random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
    random.setSeed(posId, (short) 0, ID_LENGTH);
    Sm3Digest sm3 = new Sm3Digest();
    MessageDigest sha256 = national ? null : MessageDigest.getInstance(MessageDigest.ALG_SHA_256, false);
    signer = new EcSigner(national, random, sm3, sha256, privateKey);
    signer.generateKeyPair(publicKey);
    verifier = new EcVerifier(national, sm3, sha256);
    card = JCSystem.makeTransientByteArray(TRANSIENT_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    scratch = JCSystem.makeTransientByteArray(SCRATCH_LENGTH, JCSystem.CLEAR_ON_DESELECT);
  }

  public void process(APDU apdu) {
    if (selectingApplet()) {
      return;
    }
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_CLA] != (byte) 0x80) {
      ISOException.throwIt(PsamSw.CLA_NOT_SUPPORTED);
    }
    switch (buf[ISO7816.OFFSET_INS]) {
      case (byte) 0x4A: getPublicKey(apdu); break;
      case (byte) 0xE2: storeData(apdu, receive(apdu)); break;
      case (byte) 0xF0: endPersonalisation(apdu); break;
      case (byte) 0xCA: getData(apdu); break;
      case (byte) 0x84: getChallenge(apdu); break;
      case (byte) 0x86: verifyCardCertificate(apdu, receive(apdu)); break;
      case (byte) 0x88: authenticate(apdu, receive(apdu)); break;
      case (byte) 0x8A: countersign(apdu, receive(apdu)); break;
      default: ISOException.throwIt(PsamSw.INS_NOT_SUPPORTED);
    }
  }

  private static short receive(APDU apdu) {
    short lc = (short) (apdu.getBuffer()[ISO7816.OFFSET_LC] & 0xFF);
    short received = apdu.setIncomingAndReceive();
    if (received != lc) {
      ISOException.throwIt(PsamSw.WRONG_LENGTH);
    }
    return lc;
  }

  private static void requireP1P2Zero(byte[] buf) {
    if (buf[ISO7816.OFFSET_P1] != 0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(PsamSw.WRONG_P1P2);
    }
  }

  private void requireLifeCycle(byte expected) {
    if (lifeCycle != expected) {
      ISOException.throwIt(PsamSw.COMMAND_NOT_ALLOWED);
    }
  }

  /** GET PUBLIC KEY {@code 80 4A 00 00}: the POS public key, for the scheme to certify. */
  private void getPublicKey(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    apdu.setOutgoingAndSend((short) 0, publicKey.getW(buf, (short) 0));
  }

  /** STORE DATA {@code 80 E2 00 tag}: 01 the POS certificate, 03 the issuer public key. */
  private void storeData(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireLifeCycle(LIFE_PERSONALISING);
    byte tag = buf[ISO7816.OFFSET_P2];
    if (buf[ISO7816.OFFSET_P1] != 0 || (tag != 0x01 && tag != 0x03)) {
      ISOException.throwIt(PsamSw.WRONG_P1P2);
    }
    if (tag == 0x01) {
      if (lc <= CERT_BODY_LENGTH || lc > CERT_MAX) {
        ISOException.throwIt(PsamSw.WRONG_LENGTH);
      }
      JCSystem.beginTransaction();
      Util.arrayCopy(buf, ISO7816.OFFSET_CDATA, certificate, (short) 0, lc);
      certificateLength = lc;
      JCSystem.commitTransaction();
      return;
    }
    if (lc != Curves.POINT_LENGTH) {
      ISOException.throwIt(PsamSw.WRONG_LENGTH);
    }
    if (buf[ISO7816.OFFSET_CDATA] != 0x04) {
      ISOException.throwIt(PsamSw.WRONG_DATA);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(buf, ISO7816.OFFSET_CDATA, issuerKey, (short) 0, lc);
    issuerKeyPresent = true;
    JCSystem.commitTransaction();
  }

  /** END PERSONALISATION {@code 80 F0 00 00}: certificate and issuer key present, then locked. */
  private void endPersonalisation(APDU apdu) {
    requireP1P2Zero(apdu.getBuffer());
    requireLifeCycle(LIFE_PERSONALISING);
    if (certificateLength == 0 || !issuerKeyPresent) {
      ISOException.throwIt(PsamSw.CONDITIONS_NOT_SATISFIED);
    }
    lifeCycle = LIFE_LOCKED;
  }

  /** GET DATA {@code 80 CA 00 tag}: 01 POS id, 02 POS certificate, 03 sequence number. */
  private void getData(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    byte tag = buf[ISO7816.OFFSET_P2];
    if (buf[ISO7816.OFFSET_P1] != 0) {
      ISOException.throwIt(PsamSw.WRONG_P1P2);
    }
    short length = 0;
    if (tag == 0x01) {
      length = Util.arrayCopyNonAtomic(posId, (short) 0, buf, (short) 0, ID_LENGTH);
    } else if (tag == 0x02) {
      length = Util.arrayCopyNonAtomic(certificate, (short) 0, buf, (short) 0, certificateLength);
    } else if (tag == 0x03) {
      length = Util.arrayCopyNonAtomic(sequence, (short) 0, buf, (short) 0, Amount4.LENGTH);
    } else {
      ISOException.throwIt(PsamSw.WRONG_P1P2);
    }
    apdu.setOutgoingAndSend((short) 0, length);
  }

  /**
   * GET CHALLENGE {@code 80 84 00 00}: a fresh 16-byte POS challenge, kept in the next of
   * {@link #CHALLENGE_SLOTS} persistent slots (overwriting the oldest unused one).
   */
  // generateData is deprecated in Java Card 3.0.5 but is what classic 2.2.x cards offer.
  @SuppressWarnings("deprecation")
  private void getChallenge(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    random.generateData(buf, (short) 0, CHALLENGE_LENGTH);
    JCSystem.beginTransaction();
    Util.arrayCopy(buf, (short) 0, challenges, (short) (challengeNext * CHALLENGE_LENGTH), CHALLENGE_LENGTH);
    challengeNext = (short) ((short) (challengeNext + 1) % CHALLENGE_SLOTS);
    JCSystem.commitTransaction();
    apdu.setOutgoingAndSend((short) 0, CHALLENGE_LENGTH);
  }

  /**
   * VERIFY CARD CERTIFICATE {@code 80 86 00 00 Lc certificate}: 02 || suite || card id || key ||
   * issuer signature over the first 75 bytes. On success the card id and key serve this session.
   */
  private void verifyCardCertificate(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    card[T_VERIFIED] = 0;
    if (lc <= CERT_BODY_LENGTH || lc > CERT_MAX) {
      ISOException.throwIt(PsamSw.WRONG_LENGTH);
    }
    short c = ISO7816.OFFSET_CDATA;
    if (buf[c] != FORMAT_CARD_CERT || buf[(short) (c + 1)] != suite
        || buf[(short) (c + 2 + ID_LENGTH)] != 0x04) {
      ISOException.throwIt(PsamSw.CERTIFICATE_INVALID);
    }
    if (!verifier.verify(buf, c, CERT_BODY_LENGTH, buf, (short) (c + CERT_BODY_LENGTH),
        (short) (lc - CERT_BODY_LENGTH), issuerKey, (short) 0)) {
      ISOException.throwIt(PsamSw.CERTIFICATE_INVALID);
    }
    Util.arrayCopyNonAtomic(buf, (short) (c + 2), card, T_CARD_ID, (short) (ID_LENGTH + Curves.POINT_LENGTH));
    card[T_VERIFIED] = 1;
  }

  private void requireCard() {
    if (card[T_VERIFIED] != 1) {
      ISOException.throwIt(PsamSw.CONDITIONS_NOT_SATISFIED);
    }
  }

  /**
   * AUTHENTICATE {@code 80 88 00 00 30 card id(8) || card challenge(16) || POS challenge(16) ||
   * amount(4) || online(4)}: signs AUTH = 11 || card id || card challenge || POS challenge ||
   * amount || online || POS id, for an issued unused POS challenge only. The card's certificate is
   * checked later, at COUNTERSIGN, so that its verification does not keep the card in the field.
   */
  private void authenticate(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    if (lc != 48) {
      ISOException.throwIt(PsamSw.WRONG_LENGTH);
    }
    if (findChallenge(buf, (short) (ISO7816.OFFSET_CDATA + ID_LENGTH + CHALLENGE_LENGTH)) < 0) {
      ISOException.throwIt(PsamSw.CHALLENGE_UNKNOWN);
    }
    short p = X_INPUT;
    scratch[p++] = INPUT_AUTH;
    p = Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, p, (short) 48);
    p = Util.arrayCopyNonAtomic(posId, (short) 0, scratch, p, ID_LENGTH);
    short length = signer.sign(scratch, X_INPUT, (short) (p - X_INPUT), buf, (short) 0);
    apdu.setOutgoingAndSend((short) 0, length);
  }

  /**
   * COUNTERSIGN {@code 80 8A 00 00 Lc counter || amount || online || balance after (16) ||
   * currency(2) || POS challenge(16) || card signature}: rebuilds the card's DEBIT input with the
   * verified card id and this POS id, verifies the card's signature, consumes the challenge,
   * advances the sequence and signs 31 || sequence || DEBIT input. Answers sequence || signature.
   * The same DEBIT input as the last countersigned one gets the same answer again (a lost answer).
   */
  private void countersign(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    requireCard();
    short sigLength = (short) (lc - 34);
    if (sigLength < 8 || sigLength > EcVerifier.SIGNATURE_MAX) {
      ISOException.throwIt(PsamSw.WRONG_LENGTH);
    }
    short c = ISO7816.OFFSET_CDATA;
    short input = (short) (X_INPUT + 5);
    short p = input;
    scratch[p++] = INPUT_DEBIT;
    p = Util.arrayCopyNonAtomic(card, T_CARD_ID, scratch, p, ID_LENGTH);
    p = Util.arrayCopyNonAtomic(buf, c, scratch, p, (short) 18);
    p = Util.arrayCopyNonAtomic(posId, (short) 0, scratch, p, ID_LENGTH);
    Util.arrayCopyNonAtomic(buf, (short) (c + 18), scratch, p, CHALLENGE_LENGTH);
    if (lastAnswerLength != 0 && Util.arrayCompare(scratch, input, lastInput, (short) 0, DEBIT_INPUT_LENGTH) == 0) {
      // The same debit again: the POS lost the answer. Same sequence, same signature, nothing new.
      Util.arrayCopyNonAtomic(lastAnswer, (short) 0, buf, (short) 0, lastAnswerLength);
      apdu.setOutgoingAndSend((short) 0, lastAnswerLength);
      return;
    }
    if (!verifier.verify(scratch, input, DEBIT_INPUT_LENGTH, buf, (short) (c + 34), sigLength, card, T_CARD_KEY)) {
      ISOException.throwIt(PsamSw.SIGNATURE_INVALID);
    }
    short slot = findChallenge(buf, (short) (c + 18));
    if (slot < 0) {
      ISOException.throwIt(PsamSw.CHALLENGE_UNKNOWN);
    }
    Util.arrayCopyNonAtomic(sequence, (short) 0, scratch, (short) (X_INPUT + 1), Amount4.LENGTH);
    if (!Amount4.increment(scratch, (short) (X_INPUT + 1))) {
      ISOException.throwIt(PsamSw.COUNTER_EXHAUSTED);
    }
    scratch[X_INPUT] = INPUT_COUNTERSIGN;
    short length = signer.sign(scratch, X_INPUT, (short) (5 + DEBIT_INPUT_LENGTH), scratch, (short) (X_OUT + 4));
    Util.arrayCopyNonAtomic(scratch, (short) (X_INPUT + 1), scratch, X_OUT, Amount4.LENGTH);
    short answerLength = (short) (Amount4.LENGTH + length);
    JCSystem.beginTransaction();
    Util.arrayCopy(scratch, (short) (X_INPUT + 1), sequence, (short) 0, Amount4.LENGTH);
    Util.arrayFillNonAtomic(challenges, (short) (slot * CHALLENGE_LENGTH), CHALLENGE_LENGTH, (byte) 0);
    Util.arrayCopy(scratch, input, lastInput, (short) 0, DEBIT_INPUT_LENGTH);
    Util.arrayCopy(scratch, X_OUT, lastAnswer, (short) 0, answerLength);
    lastAnswerLength = answerLength;
    JCSystem.commitTransaction();
    Util.arrayCopyNonAtomic(scratch, X_OUT, buf, (short) 0, answerLength);
    apdu.setOutgoingAndSend((short) 0, answerLength);
  }

  /** The slot holding this issued, unused challenge, or -1. An all-zero challenge never matches. */
  private short findChallenge(byte[] in, short off) {
    boolean zero = true;
    for (short i = 0; i < CHALLENGE_LENGTH; i++) {
      if (in[(short) (off + i)] != 0) {
        zero = false;
      }
    }
    if (zero) {
      return -1;
    }
    for (short slot = 0; slot < CHALLENGE_SLOTS; slot++) {
      if (Util.arrayCompare(in, off, challenges, (short) (slot * CHALLENGE_LENGTH), CHALLENGE_LENGTH) == 0) {
        return slot;
      }
    }
    return -1;
  }
}
