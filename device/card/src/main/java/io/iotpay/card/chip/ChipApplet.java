package io.iotpay.card.chip;

import io.iotpay.card.crypto.BlockCipher16;
import io.iotpay.card.crypto.CardMac;
import io.iotpay.card.crypto.Sm4BlockCipher;
import javacard.framework.APDU;
import javacard.framework.Applet;
import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.CryptoException;
import javacard.security.ECPrivateKey;
import javacard.security.ECPublicKey;
import javacard.security.KeyAgreement;
import javacard.security.KeyBuilder;
import javacard.security.MessageDigest;
import javacard.security.RandomData;

/**
 * The IoT device's secure chip: a device id written at install, an EC key pair generated on the
 * chip at install (P-256 for INTERNATIONAL, sm2p256v1 for NATIONAL; no command outputs the private
 * key), write-once storage for the device certificate and the platform trust anchor (append while
 * personalising, read-only after END PERSONALISATION), a persistent message counter that SIGN
 * MESSAGE advances before it signs (ECDSA-SHA-256 or SM2-SM3 over counter || message), and a
 * session opened by ECDH with a platform ephemeral key whose derived AES or SM4 keys encrypt and
 * authenticate payloads. Every APDU and formula is in {@code docs/chip-apdus.md}.
 *
 * <p>Converter-compatible: byte and short arithmetic, no String, int fields, long or java.util,
 * all memory allocated at install.
 */
public class ChipApplet extends Applet {

  static final byte SUITE_INTERNATIONAL = 0x01;
  static final byte SUITE_NATIONAL = 0x02;
  static final byte LIFE_PERSONALISING = 0x07;
  static final byte LIFE_LOCKED = 0x0F;

  static final byte OBJECT_CERTIFICATE = 0x01;
  static final byte OBJECT_TRUST_ANCHOR = 0x02;
  static final short OBJECT_CAPACITY = 1024;
  static final short READ_CHUNK_MAX = 240;
  static final short DEVICE_ID_MAX = 32;
  static final short MESSAGE_MAX = 200;
  static final short PLAINTEXT_MAX = 200;
  static final short CIPHERTEXT_MAX = 208;
  static final short TAG_LENGTH = 8;
  static final short COUNTER_LENGTH = 4;
  /** Largest envelope signed by SIGN ENVELOPE, bytes (SM3 here hashes at most 4095 with Z_A). */
  static final short ENVELOPE_MAX = 4000;
  /** Largest piece of an envelope in one SIGN ENVELOPE command. */
  static final short ENVELOPE_CHUNK_MAX = 240;
  static final byte ENVELOPE_BEGIN = 0x00;
  static final byte ENVELOPE_UPDATE = 0x01;
  static final byte ENVELOPE_FINAL = 0x02;

  static final byte TAG_DEVICE_ID = 0x01;
  static final byte TAG_COUNTER = 0x02;
  static final byte TAG_STATE = 0x03;

  static final byte DIRECTION_CARD_TO_PLATFORM = 0x01;
  static final byte DIRECTION_PLATFORM_TO_CARD = 0x02;

  static final short SEQUENCE_MAX = 0x7FFF;

  private static final byte[] KDF_COUNTER = {0x00, 0x00, 0x00, 0x01};

  // ---- persistent (package-private so a test subclass can inspect or age the card) ---------
  final byte suite;
  private final boolean national;
  private final byte[] deviceId;
  private final short deviceIdLength;
  private final ECPublicKey publicKey;
  final ECPrivateKey privateKey;
  private final Sm3Digest sm3;
  private final MessageDigest sha256;
  private final EcSigner signer;
  private final KeyAgreement ecdh;
  private final SessionCipher sessionCipher;
  private final ModN fieldP;
  final byte[] counter;
  private byte lifeCycle;
  private final byte[] certificate;
  private short certificateLength;
  private final byte[] trustAnchor;
  private short trustAnchorLength;

  // ---- transient -----------------------------------------------------------------------------
  /** K_enc (16) || K_mac (16) of the open session. */
  final byte[] sessionKeys;
  /** [0] session open (0/1); [1] last card sequence number; [2] last platform sequence number. */
  private final short[] session;
  private final byte[] scratch;
  /** SIGN ENVELOPE: [0] 1 while an envelope is open (after BEGIN); [1] its bytes so far. */
  private final short[] envelope;

  /**
   * Installs the applet: install data (GP format: AID, control info, applet data) carries
   * suite (1: 01 INTERNATIONAL, 02 NATIONAL) || device id length (1, 1..32) || device id.
   */
  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new ChipApplet(bArray, bOffset, bLength).register(bArray, (short) (bOffset + 1),
        bArray[bOffset]);
  }

  // RandomData.setSeed and ALG_SECURE_RANDOM are what classic 2.2.x cards offer.
  @SuppressWarnings("deprecation")
  protected ChipApplet(byte[] bArray, short bOffset, byte bLength) {
    short aidLength = (short) (bArray[bOffset] & 0xFF);
    short controlOff = (short) (bOffset + 1 + aidLength);
    short dataLengthOff = (short) (controlOff + 1 + (short) (bArray[controlOff] & 0xFF));
    short dataOff = (short) (dataLengthOff + 1);
    short dataLength = (short) (bArray[dataLengthOff] & 0xFF);
    suite = bArray[dataOff];
    if (suite != SUITE_INTERNATIONAL && suite != SUITE_NATIONAL) {
      ISOException.throwIt(ChipSw.WRONG_DATA);
    }
    national = suite == SUITE_NATIONAL;
    deviceIdLength = (short) (bArray[(short) (dataOff + 1)] & 0xFF);
    if (deviceIdLength < 1 || deviceIdLength > DEVICE_ID_MAX
        || dataLength != (short) (2 + deviceIdLength)) {
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    deviceId = new byte[DEVICE_ID_MAX];
    Util.arrayCopy(bArray, (short) (dataOff + 2), deviceId, (short) 0, deviceIdLength);

    publicKey = (ECPublicKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PUBLIC,
        KeyBuilder.LENGTH_EC_FP_256, false);
    privateKey = (ECPrivateKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE,
        KeyBuilder.LENGTH_EC_FP_256, false);
    Curves.setDomain(publicKey, national);
    Curves.setDomain(privateKey, national);
    RandomData random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
    // Extra seed material only: a real chip's generator is a TRNG; a simulator's is not, and the
    // device id at least keeps two simulated chips from sharing a key.
    random.setSeed(deviceId, (short) 0, deviceIdLength);
    sm3 = new Sm3Digest();
    sha256 = national ? null : MessageDigest.getInstance(MessageDigest.ALG_SHA_256, false);
    signer = new EcSigner(national, random, sm3, sha256, privateKey);
    // The identity key is born here and never leaves: no command imports or exports it.
    signer.generateKeyPair(publicKey);
    BlockCipher16 blockCipher;
    if (national) {
      blockCipher = new Sm4BlockCipher();
    } else {
      blockCipher = new AesBlockCipher();
    }
    ecdh = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN, false);
    sessionCipher = new SessionCipher(blockCipher);
    fieldP = new ModN(national ? Curves.SM2_P : Curves.P256_P, (short) 0);
    counter = new byte[COUNTER_LENGTH];
    lifeCycle = LIFE_PERSONALISING;
    certificate = new byte[OBJECT_CAPACITY];
    trustAnchor = new byte[OBJECT_CAPACITY];
    sessionKeys = JCSystem.makeTransientByteArray((short) 32, JCSystem.CLEAR_ON_DESELECT);
    session = JCSystem.makeTransientShortArray((short) 3, JCSystem.CLEAR_ON_DESELECT);
    scratch = JCSystem.makeTransientByteArray((short) 256, JCSystem.CLEAR_ON_DESELECT);
    envelope = JCSystem.makeTransientShortArray((short) 2, JCSystem.CLEAR_ON_DESELECT);
  }

  public boolean select() {
    closeSession();
    return true;
  }

  public void deselect() {
    closeSession();
  }

  private void closeSession() {
    Util.arrayFillNonAtomic(sessionKeys, (short) 0, (short) 32, (byte) 0);
    session[0] = 0;
    session[1] = 0;
    session[2] = 0;
  }

  public void process(APDU apdu) {
    if (selectingApplet()) {
      return;
    }
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_CLA] != (byte) 0x80) {
      ISOException.throwIt(ChipSw.CLA_NOT_SUPPORTED);
    }
    switch (buf[ISO7816.OFFSET_INS]) {
      case (byte) 0xCA: getData(apdu); break;
      case (byte) 0x4A: getPublicKey(apdu); break;
      case (byte) 0xB0: readObject(apdu, receive(apdu)); break;
      case (byte) 0xD6: writeObject(apdu, receive(apdu)); break;
      case (byte) 0xF0: endPersonalisation(apdu); break;
      case (byte) 0x2C: signPersonalisation(apdu, receive(apdu)); break;
      case (byte) 0x2A: signMessage(apdu, receive(apdu)); break;
      case (byte) 0x2E: signEnvelope(apdu); break;
      case (byte) 0x86: openSession(apdu, receive(apdu)); break;
      case (byte) 0x42: encrypt(apdu, receive(apdu)); break;
      case (byte) 0x44: decrypt(apdu, receive(apdu)); break;
      default: ISOException.throwIt(ChipSw.INS_NOT_SUPPORTED);
    }
  }

  private static short receive(APDU apdu) {
    short lc = (short) (apdu.getBuffer()[ISO7816.OFFSET_LC] & 0xFF);
    short received = apdu.setIncomingAndReceive();
    if (received != lc) {
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    return lc;
  }

  private static void requireP1P2Zero(byte[] buf) {
    if (buf[ISO7816.OFFSET_P1] != 0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(ChipSw.WRONG_P1P2);
    }
  }

  private void requireLifeCycle(byte expected) {
    if (lifeCycle != expected) {
      ISOException.throwIt(ChipSw.COMMAND_NOT_ALLOWED);
    }
  }

  // ---- identity and state --------------------------------------------------------------------

  /** GET DATA {@code 80 CA 00 tag}: 01 device id, 02 counter, 03 suite || life cycle. */
  private void getData(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_P1] != 0) {
      ISOException.throwIt(ChipSw.WRONG_P1P2);
    }
    byte tag = buf[ISO7816.OFFSET_P2];
    short length = 0;
    if (tag == TAG_DEVICE_ID) {
      length = Util.arrayCopyNonAtomic(deviceId, (short) 0, buf, (short) 0, deviceIdLength);
    } else if (tag == TAG_COUNTER) {
      length = Util.arrayCopyNonAtomic(counter, (short) 0, buf, (short) 0, COUNTER_LENGTH);
    } else if (tag == TAG_STATE) {
      buf[0] = suite;
      buf[1] = lifeCycle;
      length = 2;
    } else {
      ISOException.throwIt(ChipSw.REFERENCED_DATA_NOT_FOUND);
    }
    apdu.setOutgoingAndSend((short) 0, length);
  }

  /** GET PUBLIC KEY {@code 80 4A 00 00}: 04 || X || Y of the device key. */
  private void getPublicKey(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    short length = publicKey.getW(buf, (short) 0);
    apdu.setOutgoingAndSend((short) 0, length);
  }

  // ---- certificate and trust anchor ----------------------------------------------------------

  private byte[] object(byte which) {
    if (which == OBJECT_CERTIFICATE) {
      return certificate;
    }
    if (which != OBJECT_TRUST_ANCHOR) {
      ISOException.throwIt(ChipSw.WRONG_P1P2);
    }
    return trustAnchor;
  }

  private short objectLength(byte which) {
    return which == OBJECT_CERTIFICATE ? certificateLength : trustAnchorLength;
  }

  /** READ OBJECT {@code 80 B0 obj 00 02 offset}: total length (2) || up to 240 bytes from offset. */
  private void readObject(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    byte which = buf[ISO7816.OFFSET_P1];
    byte[] data = object(which);
    if (buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(ChipSw.WRONG_P1P2);
    }
    if (lc != 2) {
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    short length = objectLength(which);
    if (length == 0) {
      ISOException.throwIt(ChipSw.REFERENCED_DATA_NOT_FOUND);
    }
    short offset = Util.getShort(buf, ISO7816.OFFSET_CDATA);
    if (offset < 0 || offset > length) {
      ISOException.throwIt(ChipSw.OFFSET_OUTSIDE);
    }
    short chunk = (short) (length - offset);
    if (chunk > READ_CHUNK_MAX) {
      chunk = READ_CHUNK_MAX;
    }
    Util.setShort(buf, (short) 0, length);
    Util.arrayCopyNonAtomic(data, offset, buf, (short) 2, chunk);
    apdu.setOutgoingAndSend((short) 0, (short) (chunk + 2));
  }

  /**
   * WRITE OBJECT {@code 80 D6 obj 00 Lc offset(2) bytes}: appends at the object's current end,
   * only while personalising. Data and length change in one transaction.
   */
  private void writeObject(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireLifeCycle(LIFE_PERSONALISING);
    byte which = buf[ISO7816.OFFSET_P1];
    byte[] data = object(which);
    if (buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(ChipSw.WRONG_P1P2);
    }
    if (lc < 3) {
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    short length = objectLength(which);
    if (Util.getShort(buf, ISO7816.OFFSET_CDATA) != length) {
      ISOException.throwIt(ChipSw.WRONG_DATA);
    }
    short add = (short) (lc - 2);
    if (add > (short) (OBJECT_CAPACITY - length)) {
      ISOException.throwIt(ChipSw.FILE_FULL);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(buf, (short) (ISO7816.OFFSET_CDATA + 2), data, length, add);
    if (which == OBJECT_CERTIFICATE) {
      certificateLength = (short) (length + add);
    } else {
      trustAnchorLength = (short) (length + add);
    }
    JCSystem.commitTransaction();
  }

  /** END PERSONALISATION {@code 80 F0 00 00}: both objects present, then locked for good. */
  private void endPersonalisation(APDU apdu) {
    requireP1P2Zero(apdu.getBuffer());
    requireLifeCycle(LIFE_PERSONALISING);
    if (certificateLength == 0 || trustAnchorLength == 0) {
      ISOException.throwIt(ChipSw.CONDITIONS_NOT_SATISFIED);
    }
    lifeCycle = LIFE_LOCKED;
  }

  // ---- signatures ----------------------------------------------------------------------------

  /**
   * SIGN FOR PERSONALISATION {@code 80 2C 00 00 Lc data}: signs host data as it is (a CSR's
   * CertificationRequestInfo), only before END PERSONALISATION, so a locked chip signs nothing
   * that does not start with its own counter.
   */
  private void signPersonalisation(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_PERSONALISING);
    if (lc < 1) {
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, (short) 0, lc);
    short length = sign(scratch, (short) 0, lc, buf, (short) 0);
    apdu.setOutgoingAndSend((short) 0, length);
  }

  /**
   * SIGN MESSAGE {@code 80 2A 00 00 Lc message}: advances the counter, then signs
   * counter (4) || message; responds counter || DER signature.
   */
  private void signMessage(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    if (lc < 1 || lc > MESSAGE_MAX) {
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    advanceCounter();
    Util.arrayCopyNonAtomic(counter, (short) 0, scratch, (short) 0, COUNTER_LENGTH);
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, COUNTER_LENGTH, lc);
    short length = sign(scratch, (short) 0, (short) (COUNTER_LENGTH + lc), buf, COUNTER_LENGTH);
    Util.arrayCopyNonAtomic(counter, (short) 0, buf, (short) 0, COUNTER_LENGTH);
    apdu.setOutgoingAndSend((short) 0, (short) (COUNTER_LENGTH + length));
  }

  /**
   * SIGN ENVELOPE {@code 80 2E P1 00}, an envelope of up to {@link #ENVELOPE_MAX} bytes signed in
   * pieces. P1 {@code 00} BEGIN (no data): advances the counter and responds it (4); P1 {@code 01}
   * UPDATE (1..240 bytes): hashes them; P1 {@code 02} FINAL (0..240 bytes): hashes them, signs
   * everything since BEGIN and responds the DER signature. Every signature thus takes a fresh
   * counter value. UPDATE or FINAL without BEGIN → 6985; reselect abandons the envelope.
   */
  private void signEnvelope(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    byte step = buf[ISO7816.OFFSET_P1];
    if (buf[ISO7816.OFFSET_P2] != 0 || step < ENVELOPE_BEGIN || step > ENVELOPE_FINAL) {
      ISOException.throwIt(ChipSw.WRONG_P1P2);
    }
    requireLifeCycle(LIFE_LOCKED);
    if (step == ENVELOPE_BEGIN) {
      envelope[0] = 0;
      advanceCounter();
      signer.beginMessage();
      envelope[0] = 1;
      envelope[1] = 0;
      Util.arrayCopyNonAtomic(counter, (short) 0, buf, (short) 0, COUNTER_LENGTH);
      apdu.setOutgoingAndSend((short) 0, COUNTER_LENGTH);
      return;
    }
    short lc = receive(apdu);
    if (envelope[0] != 1) {
      ISOException.throwIt(ChipSw.CONDITIONS_NOT_SATISFIED);
    }
    if ((step == ENVELOPE_UPDATE && lc < 1) || lc > ENVELOPE_CHUNK_MAX
        || lc > (short) (ENVELOPE_MAX - envelope[1])) {
      envelope[0] = 0;
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    envelope[1] = (short) (envelope[1] + lc);
    if (step == ENVELOPE_UPDATE) {
      signer.updateMessage(buf, ISO7816.OFFSET_CDATA, lc);
      return;
    }
    envelope[0] = 0;
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, (short) 0, lc);
    short length = signer.signRest(scratch, (short) 0, lc, buf, (short) 0);
    apdu.setOutgoingAndSend((short) 0, length);
  }

  /**
   * Makes the next counter value durable before any signature uses it: a tear before the copy
   * leaves the old value (never output), a tear after it burns one value. Never repeats.
   */
  private void advanceCounter() {
    Util.arrayCopyNonAtomic(counter, (short) 0, scratch, (short) 0, COUNTER_LENGTH);
    short carry = 1;
    for (short i = (short) (COUNTER_LENGTH - 1); i >= 0; i--) {
      short sum = (short) ((short) (scratch[i] & 0xFF) + carry);
      scratch[i] = (byte) sum;
      carry = (short) (sum >> 8);
    }
    if (carry != 0) {
      ISOException.throwIt(ChipSw.COUNTER_EXHAUSTED);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(scratch, (short) 0, counter, (short) 0, COUNTER_LENGTH);
    JCSystem.commitTransaction();
  }

  /** Signs {@code in[off, off + len)} with the suite's scheme; returns the DER length. */
  private short sign(byte[] in, short off, short len, byte[] out, short outOff) {
    return signer.sign(in, off, len, out, outOff);
  }

  // ---- session -------------------------------------------------------------------------------

  /**
   * OPEN SESSION {@code 80 86 00 00 41 04||X||Y}: Z = x(d · Q_platform); K_enc || K_mac =
   * H(Z || 00000001 || device id); responds CMAC(K_mac, Q_platform) truncated to 8 bytes.
   */
  private void openSession(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    closeSession();
    if (lc != Curves.POINT_LENGTH) {
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    if (buf[ISO7816.OFFSET_CDATA] != 0x04) {
      ISOException.throwIt(ChipSw.WRONG_DATA);
    }
    if (!onCurve(buf, (short) (ISO7816.OFFSET_CDATA + 1))) {
      ISOException.throwIt(ChipSw.WRONG_DATA);
    }
    short zLength = 0;
    try {
      ecdh.init(privateKey);
      zLength = ecdh.generateSecret(buf, ISO7816.OFFSET_CDATA, lc, scratch, (short) 0);
    } catch (CryptoException e) {
      // The platform refused the point after all (e.g. the point at infinity): no session.
      Util.arrayFillNonAtomic(scratch, (short) 0, (short) 64, (byte) 0);
      ISOException.throwIt(ChipSw.WRONG_DATA);
    }
    Util.arrayCopyNonAtomic(KDF_COUNTER, (short) 0, scratch, zLength, (short) 4);
    Util.arrayCopyNonAtomic(deviceId, (short) 0, scratch, (short) (zLength + 4), deviceIdLength);
    short kdfLength = (short) (zLength + 4 + deviceIdLength);
    if (national) {
      sm3.reset();
      sm3.doFinal(scratch, (short) 0, kdfLength, sessionKeys, (short) 0);
    } else {
      sha256.reset();
      sha256.doFinal(scratch, (short) 0, kdfLength, sessionKeys, (short) 0);
    }
    Util.arrayFillNonAtomic(scratch, (short) 0, kdfLength, (byte) 0);
    session[0] = 1;
    sessionCipher.cmac(sessionKeys, (short) 16, buf, ISO7816.OFFSET_CDATA, lc, buf, (short) 0,
        TAG_LENGTH);
    apdu.setOutgoingAndSend((short) 0, TAG_LENGTH);
  }

  /**
   * Checks x, y &lt; p and y^2 = x^3 + a x + b (mod p) for the point X || Y at {@code off}, so a
   * point on another curve (an invalid-curve attack on the static key) never reaches ECDH.
   */
  private boolean onCurve(byte[] in, short off) {
    short y = (short) (off + Curves.LENGTH);
    if (fieldP.notReduced(in, off) || fieldP.notReduced(in, y)) {
      return false;
    }
    byte[] a = national ? Curves.SM2_A : Curves.P256_A;
    byte[] b = national ? Curves.SM2_B : Curves.P256_B;
    fieldP.multiply(in, y, in, y, scratch, (short) 0);
    fieldP.multiply(in, off, in, off, scratch, (short) 32);
    fieldP.add(scratch, (short) 32, a, (short) 0, scratch, (short) 32);
    fieldP.multiply(scratch, (short) 32, in, off, scratch, (short) 32);
    fieldP.add(scratch, (short) 32, b, (short) 0, scratch, (short) 32);
    return ModN.compare(scratch, (short) 0, scratch, (short) 32) == 0;
  }

  private void requireSession() {
    if (session[0] == 0) {
      ISOException.throwIt(ChipSw.CONDITIONS_NOT_SATISFIED);
    }
  }

  /** IV = E(K_enc, direction || 00 x 13 || sequence number), written to scratch at {@code at}. */
  private void deriveIv(byte direction, short sequence, short at) {
    Util.arrayFillNonAtomic(scratch, at, SessionCipher.BLOCK, (byte) 0);
    scratch[at] = direction;
    Util.setShort(scratch, (short) (at + 14), sequence);
    sessionCipher.encryptBlock(sessionKeys, (short) 0, scratch, at, scratch, at);
  }

  /**
   * ENCRYPT {@code 80 42 00 00 Lc plaintext}: responds seq (2) || CBC ciphertext || tag (8), tag =
   * CMAC(K_mac, 01 || seq || ciphertext).
   */
  private void encrypt(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireSession();
    if (lc > PLAINTEXT_MAX) {
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    if (session[1] == SEQUENCE_MAX) {
      ISOException.throwIt(ChipSw.CONDITIONS_NOT_SATISFIED);
    }
    session[1]++;
    short sequence = session[1];
    deriveIv(DIRECTION_CARD_TO_PLATFORM, sequence, (short) 224);
    scratch[0] = DIRECTION_CARD_TO_PLATFORM;
    Util.setShort(scratch, (short) 1, sequence);
    short ctLength = sessionCipher.encryptCbc(sessionKeys, (short) 0, scratch, (short) 224, buf,
        ISO7816.OFFSET_CDATA, lc, scratch, (short) 3);
    short macLength = (short) (3 + ctLength);
    sessionCipher.cmac(sessionKeys, (short) 16, scratch, (short) 0, macLength, scratch, macLength,
        TAG_LENGTH);
    short out = (short) (macLength - 1 + TAG_LENGTH);
    Util.arrayCopyNonAtomic(scratch, (short) 1, buf, (short) 0, out);
    apdu.setOutgoingAndSend((short) 0, out);
  }

  /**
   * DECRYPT {@code 80 44 00 00 Lc seq(2) || ciphertext || tag(8)}: the sequence number must be
   * above the last accepted one in this session, the tag CMAC(K_mac, 02 || seq || ciphertext)
   * must match; responds the plaintext.
   */
  private void decrypt(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireSession();
    short ctLength = (short) (lc - 2 - TAG_LENGTH);
    if (ctLength < SessionCipher.BLOCK || ctLength > CIPHERTEXT_MAX
        || (short) (ctLength % SessionCipher.BLOCK) != 0) {
      ISOException.throwIt(ChipSw.WRONG_LENGTH);
    }
    short sequence = Util.getShort(buf, ISO7816.OFFSET_CDATA);
    if (sequence <= session[2]) {
      ISOException.throwIt(ChipSw.SECURITY_NOT_SATISFIED);
    }
    scratch[0] = DIRECTION_PLATFORM_TO_CARD;
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, scratch, (short) 1, (short) (2 + ctLength));
    short macLength = (short) (3 + ctLength);
    sessionCipher.cmac(sessionKeys, (short) 16, scratch, (short) 0, macLength, scratch, macLength,
        TAG_LENGTH);
    if (!CardMac.equalsConstantTime(scratch, macLength, buf,
        (short) (ISO7816.OFFSET_CDATA + 2 + ctLength), TAG_LENGTH)) {
      ISOException.throwIt(ChipSw.SM_INCORRECT);
    }
    deriveIv(DIRECTION_PLATFORM_TO_CARD, sequence, (short) 224);
    short ptLength = sessionCipher.decryptCbc(sessionKeys, (short) 0, scratch, (short) 224, scratch,
        (short) 3, ctLength, buf, (short) 0);
    if (ptLength < 0) {
      ISOException.throwIt(ChipSw.SM_INCORRECT);
    }
    session[2] = sequence;
    apdu.setOutgoingAndSend((short) 0, ptLength);
  }
}
