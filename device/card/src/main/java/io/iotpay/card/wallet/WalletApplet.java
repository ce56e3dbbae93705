package io.iotpay.card.wallet;

import io.iotpay.card.chip.Curves;
import io.iotpay.card.chip.EcSigner;
import io.iotpay.card.chip.Sm3Digest;
import io.iotpay.card.crypto.CardMac;
import io.iotpay.card.crypto.DesBlockCipher;
import io.iotpay.card.crypto.Sm4BlockCipher;
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
 * The offline wallet: a balance in minor units of one currency, limits, an offline purchase with
 * mutual authentication (the POS's PSAM proves a scheme certificate and signs the card's challenge;
 * the card signs the debit and MACs it with the TAC, the issuer's symmetric proof), a pending online part for split purchases, the issuer-signed outcome
 * write-back, an issuer-signed load, the issuer-MACed credit rating (band, overdraw allowance,
 * purchase kinds; only a newer version, confirmed by the card's MAC, both under the TAC key's
 * rating session keys), and a cyclic purchase log. INTERNATIONAL: ECDSA P-256 /
 * SHA-256; NATIONAL: SM2 / SM3. Every APDU, signature input and status word is in
 * {@code docs/wallet-apdus.md}.
 *
 * <p>Tearing: each command computes its new state in transient memory, signs it, and only then
 * writes purse, log and counters inside one {@code JCSystem} transaction, so a tear leaves either
 * the old state or the whole new one. Converter-compatible (no int, long, String or java.util).
 */
public class WalletApplet extends Applet {

  static final byte SUITE_INTERNATIONAL = 0x01;
  static final byte SUITE_NATIONAL = 0x02;
  static final byte LIFE_PERSONALISING = 0x07;
  static final byte LIFE_LOCKED = 0x0F;

  static final short ID_LENGTH = 8;
  static final short CHALLENGE_LENGTH = 16;
  static final short CURRENCY_LENGTH = 2;
  /** Certificate body: format (1) || suite (1) || id (8) || public key 04||X||Y (65). */
  static final short CERT_BODY_LENGTH = 75;
  static final short CERT_MAX = (short) (CERT_BODY_LENGTH + EcVerifier.SIGNATURE_MAX);
  static final byte FORMAT_POS_CERT = 0x01;
  static final byte FORMAT_CARD_CERT = 0x02;

  /** Domain-separation bytes, first byte of every signature and MAC input (and the rating MACs' key domains). */
  static final byte INPUT_AUTH = 0x11;
  static final byte INPUT_DEBIT = 0x21;
  static final byte INPUT_WRITE_BACK = 0x41;
  static final byte INPUT_LOAD = 0x51;
  static final byte INPUT_RATING = 0x61;
  static final byte INPUT_RATING_CONFIRMATION = 0x71;

  static final byte OUTCOME_COMPLETED = 0x01;
  static final byte OUTCOME_FAILED_DEBT = 0x02;
  static final byte OUTCOME_FAILED_BLOCK = 0x03;

  static final byte FLAG_PENDING = 0x01;
  static final byte FLAG_BLOCKED = 0x02;

  // Purse: every value that changes, in one array so one transaction covers it.
  static final short P_BALANCE = 0;
  static final short P_COUNTER = 4;
  static final short P_LOAD_NUMBER = 8;
  static final short P_DEBT = 12;
  static final short P_PENDING_AMOUNT = 16;
  static final short P_PENDING_COUNTER = 20;
  static final short P_OFFLINE_COUNT = 24;
  static final short P_FLAGS = 25;
  static final short PURSE_LENGTH = 26;

  // Limits (personalised, read-only after install).
  static final short L_PURCHASE_MAX = 0;
  static final short L_BALANCE_CAP = 4;
  static final short LIMITS_LENGTH = 8;

  // The issuer's credit rating: version 0 and the allowance and band of the install data until the
  // issuer writes one (WRITE RATING). One array, so one transaction replaces it whole.
  static final short RT_VERSION = 0;
  static final short RT_BAND = 4;
  static final short RT_ALLOWANCE = 5;
  static final short RT_KINDS = 9;
  static final short RATING_LENGTH = 10;
  /** Purchase kinds of the personalised rating: the issuer has not restricted them yet. */
  static final byte KINDS_ANY = (byte) 0xFF;
  /** WRITE RATING data before the MAC: card id, then the rating as stored. */
  static final short RATING_COMMAND_LENGTH = (short) (ID_LENGTH + RATING_LENGTH);
  /** Bytes of the issuer's rating MAC and of the card's confirmation MAC. */
  static final short RATING_MAC_LENGTH = 8;

  // Log record: counter, amount, online, balance after, POS id, POS challenge, sig length, sig.
  static final short R_COUNTER = 0;
  static final short R_AMOUNT = 4;
  static final short R_ONLINE = 8;
  static final short R_BALANCE_AFTER = 12;
  static final short R_POS_ID = 16;
  static final short R_POS_CHALLENGE = 24;
  static final short R_TAC = 40;
  static final short R_SIG_LENGTH = 48;
  static final short R_SIG = 49;
  static final short RECORD_LENGTH = (short) (R_SIG + EcVerifier.SIGNATURE_MAX);
  /** Purchase log capacity: the newest records overwrite the oldest. */
  static final short LOG_MAX = 10;
  /** Bytes of the TAC over DEBIT (docs/wallet-apdus.md §3.3). */
  static final short TAC_LENGTH = 8;
  /** Bytes of the card's TAC key (two-key 3DES or SM4), derived by the issuer from its master key. */
  static final short TAC_KEY_LENGTH = 16;
  /** keysPresent bits: scheme key, issuer key, TAC key. */
  private static final byte KEYS_ALL = 0x07;

  // Transient session and scratch layout.
  private static final short S_OPEN = 0;
  private static final short S_CARD_CHALLENGE = 1;
  private static final short S_POS_CHALLENGE = 17;
  private static final short SESSION_LENGTH = 33;
  private static final short X_PURSE = 0;
  private static final short X_INPUT = 32;
  private static final short X_SIG = 96;
  /** The TAC's counter session key and its MAC block, before the signature takes X_SIG. */
  private static final short X_TAC = X_SIG;
  private static final short X_TAC_KEY = (short) (X_SIG + 32);
  private static final short X_RECORD = 168;
  private static final short X_RATING = 168;
  private static final short SCRATCH_LENGTH = 296;
  /** Install data length: suite, card id, currency, limits, offline count max, rating. */
  private static final short INSTALL_DATA_LENGTH = (short) (1 + ID_LENGTH + CURRENCY_LENGTH + LIMITS_LENGTH
      + Amount4.LENGTH + 2);

  final byte suite;
  private final boolean national;
  private final byte[] cardId;
  private final byte[] currency;
  private final byte[] limits;
  private final byte offlineCountMax;
  final byte[] rating;
  final byte[] purse;
  final byte[] log;
  private short logNext;
  private short logCount;
  private byte lifeCycle;
  private final byte[] certificate;
  private short certificateLength;
  private final byte[] schemeKey;
  private final byte[] issuerKey;
  private final byte[] tacKey;
  private final CardMac mac;
  private final byte[] keysPresent;
  private final ECPublicKey publicKey;
  private final EcSigner signer;
  private final EcVerifier verifier;
  private final RandomData random;
  private final byte[] session;
  private final byte[] scratch;

  /**
   * Installs the wallet. Applet data: suite (1) || card id (8) || currency (2, ISO 4217 numeric) ||
   * per-purchase max (4) || balance cap (4) || overdraw allowance (4) || offline count max (1) ||
   * rating band (1). The key pair is generated here and never leaves the card.
   */
  public static void install(byte[] bArray, short bOffset, byte bLength) {
    new WalletApplet(bArray, bOffset, bLength).register(bArray, (short) (bOffset + 1), bArray[bOffset]);
  }

  // RandomData.setSeed and ALG_SECURE_RANDOM are what classic 2.2.x cards offer.
  @SuppressWarnings("deprecation")
  protected WalletApplet(byte[] bArray, short bOffset, byte bLength) {
    short aidLength = (short) (bArray[bOffset] & 0xFF);
    short controlOff = (short) (bOffset + 1 + aidLength);
    short dataLengthOff = (short) (controlOff + 1 + (short) (bArray[controlOff] & 0xFF));
    short p = (short) (dataLengthOff + 1);
    if ((short) (bArray[dataLengthOff] & 0xFF) != INSTALL_DATA_LENGTH) {
      ISOException.throwIt(WalletSw.WRONG_LENGTH);
    }
    suite = bArray[p];
    if (suite != SUITE_INTERNATIONAL && suite != SUITE_NATIONAL) {
      ISOException.throwIt(WalletSw.WRONG_DATA);
    }
    national = suite == SUITE_NATIONAL;
    cardId = new byte[ID_LENGTH];
    currency = new byte[CURRENCY_LENGTH];
    limits = new byte[LIMITS_LENGTH];
    p = (short) (p + 1);
    Util.arrayCopy(bArray, p, cardId, (short) 0, ID_LENGTH);
    p = (short) (p + ID_LENGTH);
    Util.arrayCopy(bArray, p, currency, (short) 0, CURRENCY_LENGTH);
    p = (short) (p + CURRENCY_LENGTH);
    Util.arrayCopy(bArray, p, limits, (short) 0, LIMITS_LENGTH);
    p = (short) (p + LIMITS_LENGTH);
    rating = new byte[RATING_LENGTH];
    Util.arrayCopy(bArray, p, rating, RT_ALLOWANCE, Amount4.LENGTH);
    p = (short) (p + Amount4.LENGTH);
    offlineCountMax = bArray[p];
    rating[RT_BAND] = bArray[(short) (p + 1)];
    rating[RT_KINDS] = KINDS_ANY;
    if (!Amount4.valid(limits, L_PURCHASE_MAX) || !Amount4.valid(limits, L_BALANCE_CAP)
        || !Amount4.valid(rating, RT_ALLOWANCE) || offlineCountMax < 1) {
      ISOException.throwIt(WalletSw.WRONG_DATA);
    }
    purse = new byte[PURSE_LENGTH];
    log = new byte[(short) (LOG_MAX * RECORD_LENGTH)];
    certificate = new byte[CERT_MAX];
    schemeKey = new byte[Curves.POINT_LENGTH];
    issuerKey = new byte[Curves.POINT_LENGTH];
    tacKey = new byte[TAC_KEY_LENGTH];
    if (national) {
      mac = new CardMac(new Sm4BlockCipher());
    } else {
      mac = new CardMac(new DesBlockCipher());
    }
    keysPresent = new byte[1];
    lifeCycle = LIFE_PERSONALISING;

    publicKey = (ECPublicKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PUBLIC, KeyBuilder.LENGTH_EC_FP_256, false);
    ECPrivateKey privateKey = (ECPrivateKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE,
        KeyBuilder.LENGTH_EC_FP_256, false);
    Curves.setDomain(publicKey, national);
    Curves.setDomain(privateKey, national);
    random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM);
    // Extra seed only: a real chip's generator is a TRNG; the simulator's is not.
    random.setSeed(cardId, (short) 0, ID_LENGTH);
    Sm3Digest sm3 = new Sm3Digest();
    MessageDigest sha256 = national ? null : MessageDigest.getInstance(MessageDigest.ALG_SHA_256, false);
    signer = new EcSigner(national, random, sm3, sha256, privateKey);
    signer.generateKeyPair(publicKey);
    verifier = new EcVerifier(national, sm3, sha256);
    session = JCSystem.makeTransientByteArray(SESSION_LENGTH, JCSystem.CLEAR_ON_DESELECT);
    scratch = JCSystem.makeTransientByteArray(SCRATCH_LENGTH, JCSystem.CLEAR_ON_DESELECT);
  }

  public void process(APDU apdu) {
    if (selectingApplet()) {
      return;
    }
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_CLA] != (byte) 0x80) {
      ISOException.throwIt(WalletSw.CLA_NOT_SUPPORTED);
    }
    switch (buf[ISO7816.OFFSET_INS]) {
      case (byte) 0x4A: getPublicKey(apdu); break;
      case (byte) 0xE2: storeData(apdu, receive(apdu)); break;
      case (byte) 0xF0: endPersonalisation(apdu); break;
      case (byte) 0x50: initialize(apdu, receive(apdu)); break;
      case (byte) 0x54: debit(apdu, receive(apdu)); break;
      case (byte) 0x52: load(apdu, receive(apdu)); break;
      case (byte) 0x5A: writeBack(apdu, receive(apdu)); break;
      case (byte) 0x5C: writeRating(apdu, receive(apdu)); break;
      case (byte) 0xB2: readLog(apdu); break;
      default: ISOException.throwIt(WalletSw.INS_NOT_SUPPORTED);
    }
  }

  private static short receive(APDU apdu) {
    short lc = (short) (apdu.getBuffer()[ISO7816.OFFSET_LC] & 0xFF);
    short received = apdu.setIncomingAndReceive();
    if (received != lc) {
      ISOException.throwIt(WalletSw.WRONG_LENGTH);
    }
    return lc;
  }

  private static void requireP1P2Zero(byte[] buf) {
    if (buf[ISO7816.OFFSET_P1] != 0 || buf[ISO7816.OFFSET_P2] != 0) {
      ISOException.throwIt(WalletSw.WRONG_P1P2);
    }
  }

  private void requireLifeCycle(byte expected) {
    if (lifeCycle != expected) {
      ISOException.throwIt(WalletSw.COMMAND_NOT_ALLOWED);
    }
  }

  // ---- personalisation -----------------------------------------------------------------------

  /** GET PUBLIC KEY {@code 80 4A 00 00}: 04 || X || Y of the card key (for the issuer to certify). */
  private void getPublicKey(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    apdu.setOutgoingAndSend((short) 0, publicKey.getW(buf, (short) 0));
  }

  /**
   * STORE DATA {@code 80 E2 00 tag Lc data}, personalising only: tag 01 the card certificate
   * (issuer-signed), 02 the scheme public key (certifies PSAMs), 03 the issuer public key (signs
   * loads and write-backs), 04 the card's TAC key (16 bytes, derived by the issuer; it also keys the
   * rating MACs, under session keys of their own).
   */
  private void storeData(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    if (buf[ISO7816.OFFSET_P1] != 0) {
      ISOException.throwIt(WalletSw.WRONG_P1P2);
    }
    storeData(buf[ISO7816.OFFSET_P2], buf, ISO7816.OFFSET_CDATA, lc);
  }

  /**
   * One personalisation value: tag 01 certificate, 02 scheme key, 03 issuer key, 04 TAC key. Used by plain
   * STORE DATA here and by {@code gp.GpWalletApplet} after its security domain checked the channel.
   */
  protected final void storeData(byte tag, byte[] data, short off, short lc) {
    requireLifeCycle(LIFE_PERSONALISING);
    if (tag == 0x01) {
      if (lc <= CERT_BODY_LENGTH || lc > CERT_MAX) {
        ISOException.throwIt(WalletSw.WRONG_LENGTH);
      }
      JCSystem.beginTransaction();
      Util.arrayCopy(data, off, certificate, (short) 0, lc);
      certificateLength = lc;
      JCSystem.commitTransaction();
      return;
    }
    if (tag == 0x04) {
      if (lc != TAC_KEY_LENGTH) {
        ISOException.throwIt(WalletSw.WRONG_LENGTH);
      }
      JCSystem.beginTransaction();
      Util.arrayCopy(data, off, tacKey, (short) 0, lc);
      keysPresent[0] = (byte) (keysPresent[0] | 0x04);
      JCSystem.commitTransaction();
      return;
    }
    if (tag != 0x02 && tag != 0x03) {
      ISOException.throwIt(WalletSw.WRONG_P1P2);
    }
    if (lc != Curves.POINT_LENGTH) {
      ISOException.throwIt(WalletSw.WRONG_LENGTH);
    }
    if (data[off] != 0x04) {
      ISOException.throwIt(WalletSw.WRONG_DATA);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(data, off, tag == 0x02 ? schemeKey : issuerKey, (short) 0, lc);
    keysPresent[0] = (byte) (keysPresent[0] | tag);
    JCSystem.commitTransaction();
  }

  /** END PERSONALISATION {@code 80 F0 00 00}: certificate and the three keys present, then locked. */
  private void endPersonalisation(APDU apdu) {
    requireP1P2Zero(apdu.getBuffer());
    lock();
  }

  /** Certificate and the three keys present, then locked; used by END PERSONALISATION and gp. */
  protected final void lock() {
    requireLifeCycle(LIFE_PERSONALISING);
    if (certificateLength == 0 || keysPresent[0] != KEYS_ALL) {
      ISOException.throwIt(WalletSw.CONDITIONS_NOT_SATISFIED);
    }
    lifeCycle = LIFE_LOCKED;
  }

  // ---- purchase ------------------------------------------------------------------------------

  /**
   * INITIALIZE PURCHASE {@code 80 50 00 00 10 posChallenge}: opens a purchase session with a fresh
   * card challenge; answers the card's state, limits and certificate (docs/wallet-apdus.md §3.2).
   * Changes no persistent state, so a POS may repeat it freely.
   */
  // generateData is deprecated in Java Card 3.0.5 but is what classic 2.2.x cards offer.
  @SuppressWarnings("deprecation")
  private void initialize(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    if (lc != CHALLENGE_LENGTH) {
      ISOException.throwIt(WalletSw.WRONG_LENGTH);
    }
    Util.arrayCopyNonAtomic(buf, ISO7816.OFFSET_CDATA, session, S_POS_CHALLENGE, CHALLENGE_LENGTH);
    random.generateData(session, S_CARD_CHALLENGE, CHALLENGE_LENGTH);
    session[S_OPEN] = 1;
    short p = Util.arrayCopyNonAtomic(cardId, (short) 0, buf, (short) 0, ID_LENGTH);
    buf[p++] = suite;
    p = Util.arrayCopyNonAtomic(currency, (short) 0, buf, p, CURRENCY_LENGTH);
    p = Util.arrayCopyNonAtomic(purse, P_BALANCE, buf, p, (short) 16);
    short left = (short) (offlineCountMax - purse[P_OFFLINE_COUNT]);
    buf[p++] = (byte) (left < 0 ? 0 : left);
    buf[p++] = purse[P_FLAGS];
    p = Util.arrayCopyNonAtomic(purse, P_PENDING_AMOUNT, buf, p, (short) 8);
    buf[p++] = rating[RT_BAND];
    p = Util.arrayCopyNonAtomic(rating, RT_ALLOWANCE, buf, p, Amount4.LENGTH);
    p = Util.arrayCopyNonAtomic(limits, L_PURCHASE_MAX, buf, p, Amount4.LENGTH);
    p = Util.arrayCopyNonAtomic(limits, L_BALANCE_CAP, buf, p, Amount4.LENGTH);
    p = Util.arrayCopyNonAtomic(session, S_CARD_CHALLENGE, buf, p, CHALLENGE_LENGTH);
    // The newest log record's POS id and challenge: a POS sees at once whether the card holds a
    // purchase of its own that it never recorded (a lost DEBIT response), without another APDU.
    if (logCount == 0) {
      Util.arrayFillNonAtomic(buf, p, (short) 24, (byte) 0);
      p = (short) (p + 24);
    } else {
      short newest = (short) ((short) ((short) (logNext - 1 + LOG_MAX) % LOG_MAX) * RECORD_LENGTH);
      p = Util.arrayCopyNonAtomic(log, (short) (newest + R_POS_ID), buf, p, (short) 24);
    }
    // The rating's version and purchase kinds: a POS writes a newer listed rating only when this is older.
    p = Util.arrayCopyNonAtomic(rating, RT_VERSION, buf, p, Amount4.LENGTH);
    buf[p++] = rating[RT_KINDS];
    buf[p++] = (byte) certificateLength;
    p = Util.arrayCopyNonAtomic(certificate, (short) 0, buf, p, certificateLength);
    apdu.setOutgoingAndSend((short) 0, p);
  }

  /**
   * DEBIT {@code 80 54 00 00 Lc amount(4) || online(4) || certLength(1) || POS certificate ||
   * PSAM signature}: checks limits, the POS certificate (scheme key) and the PSAM's signature over
   * the challenges, signs the debit, then debits, logs and (online &gt; 0) records the pending
   * online part in one transaction. Answers counter (4) || balance after (4) || TAC (8) || card signature.
   */
  private void debit(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    if (session[S_OPEN] != 1) {
      ISOException.throwIt(WalletSw.CONDITIONS_NOT_SATISFIED);
    }
    // One DEBIT per challenge, whatever its outcome: no retries against the same challenge.
    session[S_OPEN] = 0;
    short certOff = (short) (ISO7816.OFFSET_CDATA + 9);
    short certLength = lc < 9 ? 0 : (short) (buf[(short) (ISO7816.OFFSET_CDATA + 8)] & 0xFF);
    short sigOff = (short) (certOff + certLength);
    short sigLength = (short) (lc - 9 - certLength);
    if (lc < 9 || certLength <= CERT_BODY_LENGTH || certLength > CERT_MAX || sigLength < 8
        || sigLength > EcVerifier.SIGNATURE_MAX) {
      ISOException.throwIt(WalletSw.WRONG_LENGTH);
    }
    short amountOff = ISO7816.OFFSET_CDATA;
    short onlineOff = (short) (ISO7816.OFFSET_CDATA + 4);
    checkPurchase(buf, amountOff, onlineOff);
    checkPosCertificate(buf, certOff, certLength);
    short posIdOff = (short) (certOff + 2);
    buildAuthInput(buf, amountOff, onlineOff, posIdOff);
    if (!verifier.verify(scratch, X_INPUT, (short) 57, buf, sigOff, sigLength, buf,
        (short) (certOff + 2 + ID_LENGTH))) {
      ISOException.throwIt(WalletSw.SIGNATURE_INVALID);
    }
    short sigLengthOut = signAndCommitDebit(buf, amountOff, onlineOff, posIdOff);
    Util.arrayCopyNonAtomic(purse, P_COUNTER, buf, (short) 0, Amount4.LENGTH);
    Util.arrayCopyNonAtomic(purse, P_BALANCE, buf, (short) 4, Amount4.LENGTH);
    Util.arrayCopyNonAtomic(scratch, (short) (X_RECORD + R_TAC), buf, (short) 8, TAC_LENGTH);
    Util.arrayCopyNonAtomic(scratch, X_SIG, buf, (short) (8 + TAC_LENGTH), sigLengthOut);
    apdu.setOutgoingAndSend((short) 0, (short) (8 + TAC_LENGTH + sigLengthOut));
  }

  /** The limits, in the order docs/wallet-apdus.md §3.3 lists them; throws the first broken one. */
  private void checkPurchase(byte[] buf, short amountOff, short onlineOff) {
    if ((purse[P_FLAGS] & FLAG_BLOCKED) != 0) {
      ISOException.throwIt(WalletSw.CARD_BLOCKED);
    }
    if (!Amount4.valid(buf, amountOff) || !Amount4.valid(buf, onlineOff)
        || (Amount4.isZero(buf, amountOff) && Amount4.isZero(buf, onlineOff))) {
      ISOException.throwIt(WalletSw.WRONG_DATA);
    }
    if (purse[P_OFFLINE_COUNT] >= offlineCountMax) {
      ISOException.throwIt(WalletSw.OFFLINE_COUNT_EXHAUSTED);
    }
    if (Amount4.compare(buf, amountOff, limits, L_PURCHASE_MAX) > 0) {
      ISOException.throwIt(WalletSw.PURCHASE_LIMIT);
    }
    if (Amount4.compare(buf, amountOff, purse, P_BALANCE) > 0) {
      ISOException.throwIt(WalletSw.INSUFFICIENT_BALANCE);
    }
    if (!Amount4.isZero(buf, onlineOff)) {
      if ((purse[P_FLAGS] & FLAG_PENDING) != 0) {
        ISOException.throwIt(WalletSw.PENDING_EXISTS);
      }
      if (Amount4.compare(buf, onlineOff, rating, RT_ALLOWANCE) > 0) {
        ISOException.throwIt(WalletSw.ALLOWANCE_EXCEEDED);
      }
    }
  }

  /** The POS certificate: format, suite, and the scheme's signature over its body. */
  private void checkPosCertificate(byte[] buf, short certOff, short certLength) {
    if (buf[certOff] != FORMAT_POS_CERT || buf[(short) (certOff + 1)] != suite
        || buf[(short) (certOff + 2 + ID_LENGTH)] != 0x04) {
      ISOException.throwIt(WalletSw.CERTIFICATE_INVALID);
    }
    if (!verifier.verify(buf, certOff, CERT_BODY_LENGTH, buf, (short) (certOff + CERT_BODY_LENGTH),
        (short) (certLength - CERT_BODY_LENGTH), schemeKey, (short) 0)) {
      ISOException.throwIt(WalletSw.CERTIFICATE_INVALID);
    }
  }

  /** AUTH = 11 || card id || card challenge || POS challenge || amount || online || POS id (57). */
  private void buildAuthInput(byte[] buf, short amountOff, short onlineOff, short posIdOff) {
    short p = X_INPUT;
    scratch[p++] = INPUT_AUTH;
    p = Util.arrayCopyNonAtomic(cardId, (short) 0, scratch, p, ID_LENGTH);
    p = Util.arrayCopyNonAtomic(session, S_CARD_CHALLENGE, scratch, p, (short) 32);
    p = Util.arrayCopyNonAtomic(buf, amountOff, scratch, p, Amount4.LENGTH);
    p = Util.arrayCopyNonAtomic(buf, onlineOff, scratch, p, Amount4.LENGTH);
    Util.arrayCopyNonAtomic(buf, posIdOff, scratch, p, ID_LENGTH);
  }

  /**
   * New purse in scratch, DEBIT = 21 || card id || counter || amount || online || balance after ||
   * currency || POS id || POS challenge (51 bytes) MACed (the TAC) and signed, then purse + log in
   * one transaction.
   */
  private short signAndCommitDebit(byte[] buf, short amountOff, short onlineOff, short posIdOff) {
    Util.arrayCopyNonAtomic(purse, (short) 0, scratch, X_PURSE, PURSE_LENGTH);
    if (!Amount4.increment(scratch, (short) (X_PURSE + P_COUNTER))) {
      ISOException.throwIt(WalletSw.COUNTER_EXHAUSTED);
    }
    Amount4.subtract(scratch, (short) (X_PURSE + P_BALANCE), buf, amountOff, scratch, (short) (X_PURSE + P_BALANCE));
    scratch[(short) (X_PURSE + P_OFFLINE_COUNT)]++;
    if (!Amount4.isZero(buf, onlineOff)) {
      Util.arrayCopyNonAtomic(buf, onlineOff, scratch, (short) (X_PURSE + P_PENDING_AMOUNT), Amount4.LENGTH);
      Util.arrayCopyNonAtomic(scratch, (short) (X_PURSE + P_COUNTER), scratch,
          (short) (X_PURSE + P_PENDING_COUNTER), Amount4.LENGTH);
      scratch[(short) (X_PURSE + P_FLAGS)] = (byte) (scratch[(short) (X_PURSE + P_FLAGS)] | FLAG_PENDING);
    }
    short r = X_RECORD;
    Util.arrayCopyNonAtomic(scratch, (short) (X_PURSE + P_COUNTER), scratch, (short) (r + R_COUNTER), Amount4.LENGTH);
    Util.arrayCopyNonAtomic(buf, amountOff, scratch, (short) (r + R_AMOUNT), Amount4.LENGTH);
    Util.arrayCopyNonAtomic(buf, onlineOff, scratch, (short) (r + R_ONLINE), Amount4.LENGTH);
    Util.arrayCopyNonAtomic(scratch, (short) (X_PURSE + P_BALANCE), scratch, (short) (r + R_BALANCE_AFTER),
        Amount4.LENGTH);
    Util.arrayCopyNonAtomic(buf, posIdOff, scratch, (short) (r + R_POS_ID), ID_LENGTH);
    Util.arrayCopyNonAtomic(session, S_POS_CHALLENGE, scratch, (short) (r + R_POS_CHALLENGE), CHALLENGE_LENGTH);
    short inputLength = debitInput(scratch, r, X_INPUT);
    tac(inputLength, (short) (r + R_TAC));
    short sigLength = signer.sign(scratch, X_INPUT, inputLength, scratch, X_SIG);
    scratch[(short) (r + R_SIG_LENGTH)] = (byte) sigLength;
    Util.arrayCopyNonAtomic(scratch, X_SIG, scratch, (short) (r + R_SIG), sigLength);
    JCSystem.beginTransaction();
    Util.arrayCopy(scratch, X_PURSE, purse, (short) 0, PURSE_LENGTH);
    Util.arrayCopy(scratch, r, log, (short) (logNext * RECORD_LENGTH), RECORD_LENGTH);
    logNext = (short) ((short) (logNext + 1) % LOG_MAX);
    if (logCount < LOG_MAX) {
      logCount++;
    }
    JCSystem.commitTransaction();
    return sigLength;
  }

  /**
   * The TAC over the DEBIT input at X_INPUT, into {@code scratch[out]}: the transit card's formula
   * (docs/card-apdus.md §6) under the TAC key, its session key from the counter's low two bytes —
   * retail MAC (ISO 9797-1 algorithm 3) for 3DES, CBC-MAC for SM4 — first 8 bytes.
   */
  private void tac(short inputLength, short out) {
    mac.deriveCounterKey(tacKey, (short) 0, scratch, (short) (X_PURSE + P_COUNTER + 2), scratch, X_TAC_KEY);
    mac.mac(scratch, X_TAC_KEY, null, (short) 0, scratch, X_INPUT, inputLength, true, scratch, X_TAC);
    Util.arrayCopyNonAtomic(scratch, X_TAC, scratch, out, TAC_LENGTH);
  }

  /** Writes the DEBIT signature input for a log record at {@code in[r]}; returns its length (51). */
  private short debitInput(byte[] in, short r, short out) {
    short p = out;
    scratch[p++] = INPUT_DEBIT;
    p = Util.arrayCopyNonAtomic(cardId, (short) 0, scratch, p, ID_LENGTH);
    p = Util.arrayCopyNonAtomic(in, (short) (r + R_COUNTER), scratch, p, (short) 16);
    p = Util.arrayCopyNonAtomic(currency, (short) 0, scratch, p, CURRENCY_LENGTH);
    p = Util.arrayCopyNonAtomic(in, (short) (r + R_POS_ID), scratch, p, (short) 24);
    return (short) (p - out);
  }

  /** READ LOG {@code 80 B2 n 00}: purchase record n (1 = newest) as stored, TAC and signature included. */
  private void readLog(APDU apdu) {
    byte[] buf = apdu.getBuffer();
    requireLifeCycle(LIFE_LOCKED);
    short n = (short) (buf[ISO7816.OFFSET_P1] & 0xFF);
    if (buf[ISO7816.OFFSET_P2] != 0 || n < 1 || n > LOG_MAX) {
      ISOException.throwIt(WalletSw.WRONG_P1P2);
    }
    if (n > logCount) {
      ISOException.throwIt(WalletSw.RECORD_NOT_FOUND);
    }
    short index = (short) ((short) (logNext - n + LOG_MAX) % LOG_MAX);
    short at = (short) (index * RECORD_LENGTH);
    short length = (short) (R_SIG + (short) (log[(short) (at + R_SIG_LENGTH)] & 0xFF));
    Util.arrayCopyNonAtomic(log, at, buf, (short) 0, length);
    apdu.setOutgoingAndSend((short) 0, length);
  }

  // ---- issuer commands -----------------------------------------------------------------------

  /**
   * LOAD {@code 80 52 00 00 Lc amount(4) || load number(4) || issuer signature} over
   * 51 || card id || load number || amount || currency. The load number must be the card's next
   * one (replays refused); a debt is recovered first; the balance cap holds; the offline count
   * restarts (a load is the card's online contact). Answers balance || debt || load number.
   */
  private void load(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    short sigLength = (short) (lc - 8);
    if (sigLength < 8 || sigLength > EcVerifier.SIGNATURE_MAX) {
      ISOException.throwIt(WalletSw.WRONG_LENGTH);
    }
    short amountOff = ISO7816.OFFSET_CDATA;
    short numberOff = (short) (ISO7816.OFFSET_CDATA + 4);
    if (!Amount4.valid(buf, amountOff) || Amount4.isZero(buf, amountOff)) {
      ISOException.throwIt(WalletSw.WRONG_DATA);
    }
    Util.arrayCopyNonAtomic(purse, (short) 0, scratch, X_PURSE, PURSE_LENGTH);
    if (!Amount4.increment(scratch, (short) (X_PURSE + P_LOAD_NUMBER))) {
      ISOException.throwIt(WalletSw.COUNTER_EXHAUSTED);
    }
    if (Amount4.compare(buf, numberOff, scratch, (short) (X_PURSE + P_LOAD_NUMBER)) != 0) {
      ISOException.throwIt(WalletSw.LOAD_NUMBER_WRONG);
    }
    applyLoad(buf, amountOff);
    short p = X_INPUT;
    scratch[p++] = INPUT_LOAD;
    p = Util.arrayCopyNonAtomic(cardId, (short) 0, scratch, p, ID_LENGTH);
    p = Util.arrayCopyNonAtomic(buf, numberOff, scratch, p, Amount4.LENGTH);
    p = Util.arrayCopyNonAtomic(buf, amountOff, scratch, p, Amount4.LENGTH);
    p = Util.arrayCopyNonAtomic(currency, (short) 0, scratch, p, CURRENCY_LENGTH);
    if (!verifier.verify(scratch, X_INPUT, (short) (p - X_INPUT), buf, (short) (ISO7816.OFFSET_CDATA + 8),
        sigLength, issuerKey, (short) 0)) {
      ISOException.throwIt(WalletSw.SIGNATURE_INVALID);
    }
    JCSystem.beginTransaction();
    Util.arrayCopy(scratch, X_PURSE, purse, (short) 0, PURSE_LENGTH);
    JCSystem.commitTransaction();
    Util.arrayCopyNonAtomic(purse, P_BALANCE, buf, (short) 0, Amount4.LENGTH);
    Util.arrayCopyNonAtomic(purse, P_DEBT, buf, (short) 4, Amount4.LENGTH);
    Util.arrayCopyNonAtomic(purse, P_LOAD_NUMBER, buf, (short) 8, Amount4.LENGTH);
    apdu.setOutgoingAndSend((short) 0, (short) 12);
  }

  /** In scratch's purse: debt first, the rest to the balance, within the cap; offline count 0. */
  private void applyLoad(byte[] buf, short amountOff) {
    short balance = (short) (X_PURSE + P_BALANCE);
    short debt = (short) (X_PURSE + P_DEBT);
    if (Amount4.compare(buf, amountOff, scratch, debt) >= 0) {
      Amount4.subtract(buf, amountOff, scratch, debt, scratch, X_SIG);
      Util.arrayFillNonAtomic(scratch, debt, Amount4.LENGTH, (byte) 0);
      Amount4.add(scratch, balance, scratch, X_SIG, scratch, balance);
    } else {
      Amount4.subtract(scratch, debt, buf, amountOff, scratch, debt);
    }
    if (!Amount4.valid(scratch, balance) || Amount4.compare(scratch, balance, limits, L_BALANCE_CAP) > 0) {
      ISOException.throwIt(WalletSw.BALANCE_CAP);
    }
    scratch[(short) (X_PURSE + P_OFFLINE_COUNT)] = 0;
  }

  /**
   * WRITE BACK {@code 80 5A 00 00 Lc pending counter(4) || outcome(1) || issuer signature} over
   * 41 || card id || pending counter || pending amount || outcome. 01 completed clears the pending
   * part; 02 failed turns it into debt; 03 failed turns it into debt and blocks the card.
   * Answers flags || debt.
   */
  private void writeBack(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    short sigLength = (short) (lc - 5);
    if (sigLength < 8 || sigLength > EcVerifier.SIGNATURE_MAX) {
      ISOException.throwIt(WalletSw.WRONG_LENGTH);
    }
    byte outcome = buf[(short) (ISO7816.OFFSET_CDATA + 4)];
    if (outcome != OUTCOME_COMPLETED && outcome != OUTCOME_FAILED_DEBT && outcome != OUTCOME_FAILED_BLOCK) {
      ISOException.throwIt(WalletSw.WRONG_DATA);
    }
    if ((purse[P_FLAGS] & FLAG_PENDING) == 0
        || Util.arrayCompare(buf, ISO7816.OFFSET_CDATA, purse, P_PENDING_COUNTER, Amount4.LENGTH) != 0) {
      ISOException.throwIt(WalletSw.REFERENCED_DATA_NOT_FOUND);
    }
    short p = X_INPUT;
    scratch[p++] = INPUT_WRITE_BACK;
    p = Util.arrayCopyNonAtomic(cardId, (short) 0, scratch, p, ID_LENGTH);
    p = Util.arrayCopyNonAtomic(purse, P_PENDING_COUNTER, scratch, p, Amount4.LENGTH);
    p = Util.arrayCopyNonAtomic(purse, P_PENDING_AMOUNT, scratch, p, Amount4.LENGTH);
    scratch[p++] = outcome;
    if (!verifier.verify(scratch, X_INPUT, (short) (p - X_INPUT), buf, (short) (ISO7816.OFFSET_CDATA + 5),
        sigLength, issuerKey, (short) 0)) {
      ISOException.throwIt(WalletSw.SIGNATURE_INVALID);
    }
    Util.arrayCopyNonAtomic(purse, (short) 0, scratch, X_PURSE, PURSE_LENGTH);
    if (outcome != OUTCOME_COMPLETED) {
      short debt = (short) (X_PURSE + P_DEBT);
      Amount4.add(scratch, debt, purse, P_PENDING_AMOUNT, scratch, debt);
      if (!Amount4.valid(scratch, debt)) {
        ISOException.throwIt(WalletSw.WRONG_DATA);
      }
    }
    byte flags = (byte) (scratch[(short) (X_PURSE + P_FLAGS)] & ~FLAG_PENDING);
    if (outcome == OUTCOME_FAILED_BLOCK) {
      flags = (byte) (flags | FLAG_BLOCKED);
    }
    scratch[(short) (X_PURSE + P_FLAGS)] = flags;
    Util.arrayFillNonAtomic(scratch, (short) (X_PURSE + P_PENDING_AMOUNT), (short) 8, (byte) 0);
    JCSystem.beginTransaction();
    Util.arrayCopy(scratch, X_PURSE, purse, (short) 0, PURSE_LENGTH);
    JCSystem.commitTransaction();
    buf[0] = purse[P_FLAGS];
    Util.arrayCopyNonAtomic(purse, P_DEBT, buf, (short) 1, Amount4.LENGTH);
    apdu.setOutgoingAndSend((short) 0, (short) 5);
  }

  /**
   * WRITE RATING {@code 80 5C 00 00 Lc card id(8) || version(4) || band(1) || allowance(4) ||
   * kinds(1) || issuer MAC(8)}: the issuer's MAC over 61 || card id || version || band || allowance ||
   * kinds || currency under the rating session key of the card's wallet (TAC) key. Only for this
   * card, only a version above the card's (no rollback), only with the issuer's MAC (compared in
   * constant time). The card MACs its confirmation 71 || card id || version || band || allowance ||
   * kinds || currency under the confirmation session key, then replaces the rating in one
   * transaction. Answers version || band || allowance || kinds || confirmation MAC (8). MACs, not
   * signatures: about 20 ms of card time instead of about 145 (docs/wallet-apdus.md §10).
   */
  private void writeRating(APDU apdu, short lc) {
    byte[] buf = apdu.getBuffer();
    requireP1P2Zero(buf);
    requireLifeCycle(LIFE_LOCKED);
    if (lc != (short) (RATING_COMMAND_LENGTH + RATING_MAC_LENGTH)) {
      ISOException.throwIt(WalletSw.WRONG_LENGTH);
    }
    short idOff = ISO7816.OFFSET_CDATA;
    short ratingOff = (short) (ISO7816.OFFSET_CDATA + ID_LENGTH);
    if (Util.arrayCompare(buf, idOff, cardId, (short) 0, ID_LENGTH) != 0) {
      ISOException.throwIt(WalletSw.RATING_OTHER_CARD);
    }
    if (!Amount4.valid(buf, (short) (ratingOff + RT_VERSION)) || !Amount4.valid(buf, (short) (ratingOff + RT_ALLOWANCE))) {
      ISOException.throwIt(WalletSw.WRONG_DATA);
    }
    if (Amount4.compare(buf, (short) (ratingOff + RT_VERSION), rating, RT_VERSION) <= 0) {
      ISOException.throwIt(WalletSw.RATING_NOT_NEWER);
    }
    Util.arrayCopyNonAtomic(buf, ratingOff, scratch, X_RATING, RATING_LENGTH);
    ratingMac(INPUT_RATING);
    if (!CardMac.equalsConstantTime(scratch, X_TAC, buf, (short) (ratingOff + RATING_LENGTH), RATING_MAC_LENGTH)) {
      ISOException.throwIt(WalletSw.SIGNATURE_INVALID);
    }
    ratingMac(INPUT_RATING_CONFIRMATION);
    JCSystem.beginTransaction();
    Util.arrayCopy(scratch, X_RATING, rating, (short) 0, RATING_LENGTH);
    JCSystem.commitTransaction();
    Util.arrayCopyNonAtomic(rating, (short) 0, buf, (short) 0, RATING_LENGTH);
    Util.arrayCopyNonAtomic(scratch, X_TAC, buf, RATING_LENGTH, RATING_MAC_LENGTH);
    apdu.setOutgoingAndSend((short) 0, (short) (RATING_LENGTH + RATING_MAC_LENGTH));
  }

  /**
   * The MAC over {@code tag} || card id || the rating at X_RATING || currency, into scratch[X_TAC]:
   * the session key of domain {@code tag} over the rating's version (CardMac.deriveDomainKey, never
   * a TAC session key), then the TAC's MAC (retail MAC for 3DES, CBC-MAC for SM4).
   */
  private void ratingMac(byte tag) {
    short inputLength = ratingInput(tag);
    mac.deriveDomainKey(tacKey, (short) 0, scratch, (short) (X_RATING + RT_VERSION), tag, scratch, X_TAC_KEY);
    mac.mac(scratch, X_TAC_KEY, null, (short) 0, scratch, X_INPUT, inputLength, true, scratch, X_TAC);
  }

  /** tag || card id || the rating at X_RATING || currency, at X_INPUT; returns its length (21). */
  private short ratingInput(byte tag) {
    short p = X_INPUT;
    scratch[p++] = tag;
    p = Util.arrayCopyNonAtomic(cardId, (short) 0, scratch, p, ID_LENGTH);
    p = Util.arrayCopyNonAtomic(scratch, X_RATING, scratch, p, RATING_LENGTH);
    p = Util.arrayCopyNonAtomic(currency, (short) 0, scratch, p, CURRENCY_LENGTH);
    return (short) (p - X_INPUT);
  }
}
