package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Dukpt;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.PinBlock;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.crypto.WalletRatingMac;
import io.iotpay.foundation.custody.KeyCustodyException.Reason;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;

/**
 * What both custodies share: the registry of labels and versions, the checks every operation runs
 * first (known, not retired, usage, current), the card-key cache, and the operations written once
 * over {@link KeyMaterial}. The implementations supply the material and its persistence.
 */
abstract class CustodyCore implements KeyCustody {
  /** Most key versions one custody holds (bounds the sealed file and the token scan). */
  static final int KEYS_MAX = 4096;

  /** One key version. {@code retired} is the only field that changes. */
  static final class Slot {
    final KeyRef ref;
    final Instant created;
    final KeyMaterial material;
    boolean retired;

    Slot(KeyRef ref, Instant created, KeyMaterial material, boolean retired) {
      this.ref = ref;
      this.created = created;
      this.material = material;
      this.retired = retired;
    }
  }

  final Map<String, TreeMap<Integer, Slot>> labels = new TreeMap<>();
  private final CardKeyCache cardKeys;
  private final TacFormula tacFormula;
  private boolean closed;
  /**
   * Operations share the read lock and run concurrently; changes to the registry (generate,
   * rotate, retire, unwrap, import, close) take the write lock, so no operation sees a half-made
   * change or a key being wiped.
   */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Bumped by every change to the registry (under the write lock); read under the read lock. */
  private long generation;
  private final ThreadLocal<LastCardKey> lastCardKey = ThreadLocal.withInitial(LastCardKey::new);

  /**
   * The card key this thread used last, with what it was derived for. Why: a clearing file is in
   * card order (about three taps a card), and the cache's look-up (a string id built per call, a
   * synchronized access-ordered map of up to 65,536 keys, a copy) was about a quarter of the CPU of a
   * TAC verification; the same card's next tap now takes the key from here. It is used only for the
   * same IMK slot, PAN and PSN, after the operation's checks (known, not retired, usage), and only
   * while the registry has not changed since ({@link #generation}); a replaced or stale key is
   * overwritten with zeros. With a cache bound of 0 nothing is kept here either.
   */
  private static final class LastCardKey {
    Slot imk;
    String pan;
    int psn;
    long generation;
    byte[] key;

    boolean holds(Slot imk, String pan, int psn, long generation) {
      return key != null && this.imk == imk && this.psn == psn && this.generation == generation
          && this.pan.equals(pan);
    }

    void remember(Slot imk, String pan, int psn, long generation, SecretKeyBytes cardKey) {
      forget();
      this.imk = imk;
      this.pan = pan;
      this.psn = psn;
      this.generation = generation;
      this.key = cardKey.value();
    }

    void forget() {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
        key = null;
      }
      imk = null;
    }
  }

  CustodyCore(int cardKeysMax, TacFormula tacFormula) {
    this.cardKeys = new CardKeyCache(cardKeysMax);
    this.tacFormula = tacFormula;
  }

  final <T> T reading(Supplier<T> body) {
    lock.readLock().lock();
    try {
      return body.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  final <T> T writing(Supplier<T> body) {
    lock.writeLock().lock();
    try {
      generation++; // every thread's last card key is stale from here (see LastCardKey)
      return body.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** New material for {@code ref}: generated when {@code clear} is null, else imported from it. */
  abstract KeyMaterial createMaterial(KeyRef ref, byte[] clear);

  /** Makes the registry's state durable (the software custody rewrites its sealed file). */
  abstract void persist();

  /** Wraps {@code key} under {@code kek} (RFC 3394 with the suite's host block cipher). */
  abstract byte[] wrapMaterial(Slot kek, Slot key);

  /** Unwraps a peer's key under {@code kek} into the clear bytes the new material is made from. */
  byte[] unwrapToClear(Slot kek, byte[] wrapped) {
    RFC3394WrapEngine engine = new RFC3394WrapEngine(kek.material.boundEngine());
    engine.init(false, BoundEngine.IGNORED);
    try {
      return engine.unwrap(wrapped, 0, wrapped.length);
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new KeyCustodyException(Reason.BAD_INPUT, "wrapped key does not unwrap under " + kek.ref);
    }
  }

  static byte[] wrapClear(Slot kek, byte[] clear) {
    RFC3394WrapEngine engine = new RFC3394WrapEngine(kek.material.boundEngine());
    engine.init(true, BoundEngine.IGNORED);
    return engine.wrap(clear, 0, clear.length);
  }

  // ---- registry ----

  @Override
  public KeyRef generate(String label, AlgorithmSuite suite, KeyUsage usage) {
    return writing(() -> {
      KeyRef ref = new KeyRef(label, 1, suite, usage);
      if (labels.containsKey(label)) {
        throw new KeyCustodyException(Reason.BAD_INPUT, "label " + label + " exists (rotate it instead)");
      }
      return add(ref, null);
    });
  }

  @Override
  public KeyRef rotate(String label) {
    return writing(() -> {
      return add(newest(label).ref.next(), null);
    });
  }

  @Override
  public void retire(KeyRef ref) {
    writing(() -> {
      Slot slot = find(ref);
      slot.retired = true;
      cardKeys.dropPrefix(ref + "|");
      try {
        persist();
      } catch (RuntimeException e) {
        slot.retired = false;
        throw e;
      }
      return null;
    });
  }

  @Override
  public KeyRef current(String label) {
    return reading(() -> {
      TreeMap<Integer, Slot> versions = versions(label);
      for (Slot slot : versions.descendingMap().values()) {
        if (!slot.retired) {
          return slot.ref;
        }
      }
      throw new KeyCustodyException(Reason.UNKNOWN_KEY, "label " + label + " has no version that is not retired");
    });
  }

  @Override
  public List<KeyInfo> list() {
    return reading(() -> {
      List<KeyInfo> out = new ArrayList<>();
      for (TreeMap<Integer, Slot> versions : labels.values()) {
        for (Slot slot : versions.values()) {
          out.add(new KeyInfo(slot.ref, slot.retired, slot.created));
        }
      }
      return List.copyOf(out);
    });
  }

  /** Counters of the card-key cache. */
  public CardKeyCacheStats cardKeyCacheStats() {
    return cardKeys.stats();
  }

  /** Adds a version made from {@code clear} (null: generated); undone if it cannot be persisted. */
  final KeyRef add(KeyRef ref, byte[] clear) {
    checkOpen();
    if (keyCount() >= KEYS_MAX) {
      throw new KeyCustodyException(Reason.LIMIT, "the custody holds " + KEYS_MAX + " key versions already");
    }
    KeyMaterial material = createMaterial(ref, clear);
    TreeMap<Integer, Slot> versions = labels.computeIfAbsent(ref.label(), any -> new TreeMap<>());
    versions.put(ref.version(), new Slot(ref, Instant.now(), material, false));
    try {
      persist();
    } catch (RuntimeException e) {
      versions.remove(ref.version());
      if (versions.isEmpty()) {
        labels.remove(ref.label());
      }
      material.destroy();
      throw e;
    }
    return ref;
  }

  final int keyCount() {
    int count = 0;
    for (TreeMap<Integer, Slot> versions : labels.values()) {
      count += versions.size();
    }
    return count;
  }

  private TreeMap<Integer, Slot> versions(String label) {
    TreeMap<Integer, Slot> versions = labels.get(label);
    if (versions == null || versions.isEmpty()) {
      throw new KeyCustodyException(Reason.UNKNOWN_KEY, "no key labelled " + label);
    }
    return versions;
  }

  private Slot newest(String label) {
    return versions(label).lastEntry().getValue();
  }

  private Slot find(KeyRef ref) {
    checkOpen();
    if (ref == null) {
      throw new KeyCustodyException(Reason.BAD_INPUT, "key ref is missing");
    }
    TreeMap<Integer, Slot> versions = labels.get(ref.label());
    Slot slot = versions == null ? null : versions.get(ref.version());
    if (slot == null || !slot.ref.equals(ref)) {
      throw new KeyCustodyException(Reason.UNKNOWN_KEY, "no key " + ref);
    }
    return slot;
  }

  /** The checks every operation runs before it touches a key (see {@link KeyCustody}). */
  final Slot use(KeyRef ref, KeyOperation operation) {
    Slot slot = find(ref);
    if (slot.retired) {
      throw new KeyCustodyException(Reason.RETIRED, ref + " is retired");
    }
    if (!ref.usage().permits(operation)) {
      throw new KeyCustodyException(Reason.WRONG_USAGE, ref + " may not " + operation);
    }
    if (operation.producesProtection() && !current(ref.label()).equals(ref)) {
      throw new KeyCustodyException(Reason.NOT_CURRENT, operation + " needs the current version of " + ref.label());
    }
    return slot;
  }

  private void checkOpen() {
    if (closed) {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "the custody is closed");
    }
  }

  @Override
  public void close() {
    writing(() -> {
      if (closed) {
        return null;
      }
      closed = true;
      cardKeys.clear();
      for (TreeMap<Integer, Slot> versions : labels.values()) {
        for (Slot slot : versions.values()) {
          slot.material.destroy();
        }
      }
      labels.clear();
      return null;
    });
  }

  // ---- card keys ----

  /** Runs {@code body} with the card key of {@code pan}/{@code psn} under the IMK, cached or derived. */
  private <T> T withCardKey(Slot imk, String pan, String panSequenceNumber, Function<SecretKeyBytes, T> body) {
    int psn = panSequence(panSequenceNumber);
    LastCardKey last = lastCardKey.get();
    if (last.holds(imk, pan, psn, generation)) {
      cardKeys.countReuse();
      return body.apply(new SecretKeyBytes(last.key));
    }
    String id = imk.ref + "|" + pan + "|" + psn;
    SecretKeyBytes cardKey = cardKeys.copy(id);
    if (cardKey == null) {
      BlockCipher engine = imk.material.boundEngine();
      engine.init(true, BoundEngine.IGNORED);
      cardKey = new EmvKeyDerivation.CardKeys(imk.ref.suite(), engine).cardMasterKey(pan, psn);
      cardKeys.put(id, cardKey.value());
    }
    if (cardKeys.keeps()) {
      last.remember(imk, pan, psn, generation, cardKey);
    } else {
      last.forget();
    }
    return body.apply(cardKey);
  }

  /** Runs {@code body} with the wallet card key of {@code cardId} under the IMK, cached or derived. */
  private <T> T withWalletCardKey(Slot imk, byte[] cardId, Function<SecretKeyBytes, T> body) {
    if (cardId == null || cardId.length != 8) {
      throw new KeyCustodyException(Reason.BAD_INPUT, "wallet card id: expected 8 bytes");
    }
    String id = imk.ref + "|W|" + java.util.HexFormat.of().formatHex(cardId);
    SecretKeyBytes cardKey = cardKeys.copy(id);
    if (cardKey == null) {
      BlockCipher engine = imk.material.boundEngine();
      engine.init(true, BoundEngine.IGNORED);
      cardKey = new EmvKeyDerivation.CardKeys(imk.ref.suite(), engine).walletCardKey(cardId);
      cardKeys.put(id, cardKey.value());
    }
    return body.apply(cardKey);
  }

  private static int panSequence(String panSequenceNumber) {
    if (panSequenceNumber == null || panSequenceNumber.isEmpty()) {
      return 0;
    }
    if (panSequenceNumber.length() > 2) {
      throw new KeyCustodyException(Reason.BAD_INPUT, "PAN sequence number: expected 1 or 2 digits");
    }
    int value = 0;
    for (int i = 0; i < panSequenceNumber.length(); i++) {
      char c = panSequenceNumber.charAt(i);
      if (c < '0' || c > '9') {
        throw new KeyCustodyException(Reason.BAD_INPUT, "PAN sequence number: not decimal digits");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  @Override
  public boolean verifyArqc(KeyRef issuerMasterKey, String pan, String panSequenceNumber, int atc,
      byte[] cryptogramInput, byte[] arqc) {
    return reading(() -> {
      Slot imk = use(issuerMasterKey, KeyOperation.VERIFY_CARD_CRYPTOGRAM);
      requireData(cryptogramInput);
      AlgorithmSuite suite = issuerMasterKey.suite();
      return withCardKey(imk, pan, panSequenceNumber, cardKey -> EmvCryptograms.isCryptogramValid(
          suite, EmvCryptograms.sessionKey(suite, cardKey, atc), cryptogramInput, arqc == null ? new byte[0] : arqc));
    });
  }

  @Override
  public byte[] generateArpc(KeyRef issuerMasterKey, String pan, String panSequenceNumber, int atc,
      byte[] arqc, byte[] arc) {
    return reading(() -> {
      Slot imk = use(issuerMasterKey, KeyOperation.GENERATE_ARPC);
      AlgorithmSuite suite = issuerMasterKey.suite();
      return withCardKey(imk, pan, panSequenceNumber,
          cardKey -> EmvCryptograms.arpcMethod1(suite, EmvCryptograms.sessionKey(suite, cardKey, atc), arqc, arc));
    });
  }

  @Override
  public boolean verifyTac(KeyRef issuerMasterKey, String pan, String panSequenceNumber, int atc,
      byte[] cryptogramInput, byte[] tac) {
    return reading(() -> {
      Slot imk = use(issuerMasterKey, KeyOperation.VERIFY_CARD_CRYPTOGRAM);
      requireData(cryptogramInput);
      AlgorithmSuite suite = issuerMasterKey.suite();
      byte[] expected = withCardKey(imk, pan, panSequenceNumber, cardKey -> tacFormula.tac(suite, cardKey, atc, cryptogramInput));
      return tac != null && MessageDigest.isEqual(expected, tac);
    });
  }

  @Override
  public boolean verifyWalletTac(KeyRef issuerMasterKey, byte[] cardId, int atc, byte[] input, byte[] tac) {
    return reading(() -> {
      Slot imk = use(issuerMasterKey, KeyOperation.VERIFY_CARD_CRYPTOGRAM);
      requireData(input);
      if (atc < 0 || atc > EmvKeyDerivation.ATC_MAX) {
        throw new KeyCustodyException(Reason.BAD_INPUT, "wallet TAC: ATC outside 0..65535");
      }
      AlgorithmSuite suite = issuerMasterKey.suite();
      byte[] expected = withWalletCardKey(imk, cardId, cardKey -> tacFormula.tac(suite, cardKey, atc, input));
      return tac != null && MessageDigest.isEqual(expected, tac);
    });
  }

  @Override
  public byte[] walletRatingMac(KeyRef issuerMasterKey, byte[] ratingInput) {
    return reading(() -> {
      Slot imk = use(issuerMasterKey, KeyOperation.GENERATE_CARD_MAC);
      byte[] cardId = walletRatingCardId(ratingInput, WalletRatingMac.TAG_RATING);
      return withWalletCardKey(imk, cardId, cardKey -> WalletRatingMac.mac(issuerMasterKey.suite(), cardKey,
          ratingInput));
    });
  }

  @Override
  public boolean verifyWalletRatingConfirmation(KeyRef issuerMasterKey, byte[] confirmationInput, byte[] mac) {
    return reading(() -> {
      Slot imk = use(issuerMasterKey, KeyOperation.VERIFY_CARD_CRYPTOGRAM);
      byte[] cardId = walletRatingCardId(confirmationInput, WalletRatingMac.TAG_CONFIRMATION);
      byte[] expected = withWalletCardKey(imk, cardId, cardKey -> WalletRatingMac.mac(issuerMasterKey.suite(), cardKey,
          confirmationInput));
      return mac != null && MessageDigest.isEqual(expected, mac);
    });
  }

  /** The card id of a 21-byte rating input with {@code tag}; else BAD_INPUT. */
  private static byte[] walletRatingCardId(byte[] input, byte tag) {
    if (input == null || input.length != WalletRatingMac.INPUT_BYTES || input[0] != tag) {
      throw new KeyCustodyException(Reason.BAD_INPUT, "wallet rating MAC: expected a 21-byte input with tag "
          + Integer.toHexString(tag));
    }
    return WalletRatingMac.cardId(input);
  }

  // ---- signatures, MACs ----

  @Override
  public byte[] sign(KeyRef signingKey, byte[] data) {
    return reading(() -> {
      Slot slot = use(signingKey, KeyOperation.SIGN);
      requireData(data);
      return slot.material.sign(data);
    });
  }

  @Override
  public PublicKey publicKey(KeyRef signingKey) {
    return reading(() -> {
      return use(signingKey, KeyOperation.EXPORT_PUBLIC_KEY).material.publicKey();
    });
  }

  @Override
  public byte[] mac(KeyRef macKey, byte[] data) {
    return reading(() -> {
      Slot slot = use(macKey, KeyOperation.MAC_GENERATE);
      requireData(data);
      return slot.material.messageMac(data);
    });
  }

  @Override
  public boolean verifyMac(KeyRef macKey, byte[] data, byte[] mac) {
    return reading(() -> {
      Slot slot = use(macKey, KeyOperation.MAC_VERIFY);
      requireData(data);
      byte[] expected = slot.material.messageMac(data);
      return mac != null && MessageDigest.isEqual(expected, mac);
    });
  }

  // ---- PINs ----

  @Override
  public byte[] translatePinBlock(KeyRef fromPinKey, KeyRef toPinKey, byte[] pinBlock, String pan) {
    return reading(() -> {
      Slot from = use(fromPinKey, KeyOperation.PIN_DECIPHER);
      Slot to = use(toPinKey, KeyOperation.PIN_ENCIPHER);
      return PinBlock.translateFormat4(
          fromPinKey.suite(), from.material.clearKey(), toPinKey.suite(), to.material.clearKey(), pinBlock, pan);
    });
  }

  @Override
  public byte[] translateDukptPinBlock(KeyRef bdk, byte[] ksn, KeyRef toPinKey, byte[] pinBlock,
      String pan) {
    return reading(() -> {
      Slot base = use(bdk, KeyOperation.DUKPT_DERIVE);
      Slot to = use(toPinKey, KeyOperation.PIN_ENCIPHER);
      SecretKeyBytes bdkKey = base.material.clearKey();
      Dukpt.Ksn parsed = Dukpt.Ksn.parse(ksn);
      SecretKeyBytes pinKey = Dukpt.workingKey(bdk.suite(), bdkKey, parsed, Dukpt.KeyUsage.PIN_ENCRYPTION,
          Dukpt.derivationKeyType(bdk.suite(), bdkKey));
      return PinBlock.translateFormat4(bdk.suite(), pinKey, toPinKey.suite(), to.material.clearKey(), pinBlock, pan);
    });
  }

  @Override
  public boolean verifyPin(KeyRef zonePinKey, byte[] pinBlock, KeyRef pinVerificationKey, byte[] referencePin,
      String pan) {
    return reading(() -> {
      Slot zone = use(zonePinKey, KeyOperation.PIN_DECIPHER);
      Slot verification = use(pinVerificationKey, KeyOperation.PIN_VERIFY);
      try (PinBlock.ClearPin entered = PinBlock.decipherFormat4(zonePinKey.suite(), zone.material.clearKey(), pinBlock,
          pan);
          PinBlock.ClearPin reference = PinBlock.decipherFormat4(pinVerificationKey.suite(),
              verification.material.clearKey(), referencePin, pan)) {
        return entered.matches(reference);
      }
    });
  }

  // ---- key exchange ----

  @Override
  public byte[] wrap(KeyRef zoneMasterKey, KeyRef key) {
    return reading(() -> {
      Slot kek = use(zoneMasterKey, KeyOperation.WRAP_KEY);
      Slot exported = use(key, KeyOperation.EXPORT_WRAPPED);
      if (zoneMasterKey.suite() != key.suite()) {
        throw new KeyCustodyException(Reason.BAD_INPUT, "a " + key.suite() + " key is not wrapped under a "
            + zoneMasterKey.suite() + " zone master key");
      }
      return wrapMaterial(kek, exported);
    });
  }

  @Override
  public KeyRef unwrap(KeyRef zoneMasterKey, String label, KeyUsage usage, byte[] wrapped) {
    return writing(() -> {
      Slot kek = use(zoneMasterKey, KeyOperation.UNWRAP_KEY);
      KeyRef.checkLabel(label);
      if (usage == null || !usage.permits(KeyOperation.EXPORT_WRAPPED)) {
        throw new KeyCustodyException(Reason.WRONG_USAGE, "only zone MAC and PIN keys are exchanged, not " + usage);
      }
      if (wrapped == null || wrapped.length != KeyUsage.SECRET_KEY_BYTES + 8) {
        throw new KeyCustodyException(Reason.BAD_INPUT, "wrapped key: expected " + (KeyUsage.SECRET_KEY_BYTES + 8) + " bytes");
      }
      TreeMap<Integer, Slot> versions = labels.get(label);
      KeyRef ref = versions == null ? new KeyRef(label, 1, zoneMasterKey.suite(), usage)
          : versions.lastEntry().getValue().ref.next();
      if (ref.usage() != usage || ref.suite() != zoneMasterKey.suite()) {
        throw new KeyCustodyException(Reason.BAD_INPUT, "label " + label + " holds " + ref.suite() + " " + ref.usage() + " keys");
      }
      byte[] clear = unwrapToClear(kek, wrapped);
      try {
        return add(ref, clear);
      } finally {
        Arrays.fill(clear, (byte) 0);
      }
    });
  }

  static void requireData(byte[] data) {
    if (data == null || data.length > DATA_BYTES_MAX) {
      throw new KeyCustodyException(Reason.BAD_INPUT, "data: expected 0 to " + DATA_BYTES_MAX + " bytes");
    }
  }
}
