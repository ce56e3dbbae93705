package io.iotpay.issuer.card;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyCustodyException;
import io.iotpay.foundation.custody.KeyInfo;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SealedSecrets;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.Pan;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transit issuer's master keys, sealed on disk under a storage master key in {@code directory}
 * (docs/key-custody.md). The IMK-AC of each suite lives in a {@link SoftwareKeyCustody} as label
 * {@code imk-ac-<suite>} ({@link KeyUsage#ISSUER_MASTER}); clearing verifies TACs through
 * {@link KeyCustody#verifyTac} and never sees it. Personalisation and Push sessions still need clear
 * card keys (the card's AC, MAC and SCP02 keys go onto the card): their masters (IMK-AC, IMK-MAC,
 * KMC of the current version) are a {@link SealedSecrets} file in the same directory, unsealed per
 * use and wiped after the derivation. Thread-safe.
 */
public final class IssuerKeys implements AutoCloseable {
  /**
   * Most derived card AC keys the custody caches (LRU, zeroised on eviction): a clearing file is in
   * card order, so a card's taps hit the cache; about 8 MB at the bound.
   */
  public static final int CARD_KEYS_CACHED_MAX = 65_536;

  private static final String PERSONALISATION_DIR = "personalisation";

  private final SoftwareKeyCustody custody;
  private final Path directory;
  private final AlgorithmSuite storeSuite;
  private final byte[] storageMasterKey;

  /**
   * Opens the issuer's key store in {@code directory}; when it holds no store yet (first start, the
   * key ceremony) {@code masters} are loaded into it, else they are not used and the sealed keys are.
   *
   * @param masters the issuer master keys of each suite (read only at the first start)
   * @param storageMasterKey seals the store: 32 bytes seal with AES-256-GCM, 16 bytes with SM4-GCM
   * @throws IssuerInputException when a suite's master keys are missing at the first start
   * @throws KeyCustodyException WRONG_MASTER_KEY, TAMPERED, BAD_PERMISSIONS or IO from the store
   */
  public IssuerKeys(PartyId issuer, Path directory, Map<AlgorithmSuite, IssuerMasterKeys> masters,
      SecretKeyBytes storageMasterKey) {
    this.directory = directory;
    this.storeSuite = storageMasterKey.lengthBytes() == 16 ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    this.custody = SoftwareKeyCustody.open(directory.resolve("custody"), storeSuite, storageMasterKey,
        CARD_KEYS_CACHED_MAX, CardCrypto::tac);
    this.storageMasterKey = storageMasterKey.value();
    try {
      if (!SealedSecrets.exists(personalisationDir())) {
        ceremony(issuer, masters);
      }
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        custody.current(imkAcLabel(suite)); // UNKNOWN_KEY when the store lost a suite
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void ceremony(PartyId issuer, Map<AlgorithmSuite, IssuerMasterKeys> masters) {
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      if (masters == null || masters.get(suite) == null) {
        throw new IssuerInputException("issuer " + issuer + ": no master keys for suite " + suite);
      }
    }
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      IssuerMasterKeys keys = masters.get(suite);
      custody.importClear(imkAcLabel(suite), suite, KeyUsage.ISSUER_MASTER, keys.imkAc());
      putMasters(secrets, suite, keys);
    }
    writeSecrets(secrets);
  }

  /** The custody label of a suite's IMK-AC. */
  public static String imkAcLabel(AlgorithmSuite suite) {
    return "imk-ac-" + suite.name().toLowerCase(Locale.ROOT);
  }

  /** The custody that verifies TACs; callers name keys by {@link #imkAcVersions}, never hold them. */
  public KeyCustody custody() {
    return custody;
  }

  /** The live (not retired) versions of the suite's IMK-AC, current first. */
  public List<KeyRef> imkAcVersions(AlgorithmSuite suite) {
    return liveVersions(custody, imkAcLabel(suite));
  }

  /** The live (not retired) versions of {@code label} in {@code custody}, current first. */
  public static List<KeyRef> liveVersions(KeyCustody custody, String label) {
    List<KeyRef> live = new ArrayList<>();
    for (KeyInfo info : custody.list()) {
      if (info.ref().label().equals(label) && !info.retired()) {
        live.add(0, info.ref());
      }
    }
    return live;
  }

  /**
   * Rotation (a key ceremony): {@code next} becomes the suite's current IMK-AC, for cards issued from
   * now on; cards personalised under older versions keep verifying until {@link #retire} retires them.
   */
  public KeyRef rotateImkAc(AlgorithmSuite suite, SecretKeyBytes next) {
    KeyRef ref = custody.importClear(imkAcLabel(suite), suite, KeyUsage.ISSUER_MASTER, next);
    Map<String, byte[]> secrets = readSecrets();
    try {
      replace(secrets, suite + "-IMK-AC", next.value());
      writeSecrets(secrets);
    } finally {
      wipe(secrets);
    }
    return ref;
  }

  /** Retires one IMK-AC version: TACs of its cards no longer verify. */
  public void retire(KeyRef ref) {
    custody.retire(ref);
  }

  /** The card's keys (AC, MAC, SCP02 static keys), derived from the suite's current masters. */
  public CardKeys cardKeys(AlgorithmSuite suite, Pan pan, int panSequence) {
    Map<String, byte[]> secrets = readSecrets();
    try {
      IssuerMasterKeys masters = new IssuerMasterKeys(secret(secrets, suite + "-IMK-AC"),
          secret(secrets, suite + "-IMK-MAC"), secret(secrets, suite + "-KMC"));
      return CardKeys.derive(suite, masters, pan, panSequence);
    } finally {
      wipe(secrets);
    }
  }

  /** A card's AC key alone: option A from IMK-AC (what the custody derives inside). */
  public static SecretKeyBytes acKey(AlgorithmSuite suite, SecretKeyBytes imkAc, Pan pan, int panSequence) {
    return EmvKeyDerivation.cardMasterKey(suite, imkAc, pan.digits(), String.format("%02d", panSequence));
  }

  /** The masters of both suites as the constructor takes them. */
  public static Map<AlgorithmSuite, IssuerMasterKeys> bySuite(IssuerMasterKeys international, IssuerMasterKeys national) {
    Map<AlgorithmSuite, IssuerMasterKeys> map = new EnumMap<>(AlgorithmSuite.class);
    map.put(AlgorithmSuite.INTERNATIONAL, international);
    map.put(AlgorithmSuite.NATIONAL, national);
    return map;
  }

  /** Closes the custody (its keys and card key cache are wiped) and wipes the storage key copy. */
  @Override
  public void close() {
    custody.close();
    Arrays.fill(storageMasterKey, (byte) 0);
  }

  @Override
  public String toString() {
    return "IssuerKeys[" + directory.getFileName() + ", " + storeSuite + "]";
  }

  private Path personalisationDir() {
    return directory.resolve(PERSONALISATION_DIR);
  }

  private Map<String, byte[]> readSecrets() {
    return SealedSecrets.read(personalisationDir(), storeSuite, new SecretKeyBytes(storageMasterKey));
  }

  private void writeSecrets(Map<String, byte[]> secrets) {
    SealedSecrets.write(personalisationDir(), storeSuite, new SecretKeyBytes(storageMasterKey), secrets,
        new SecureRandom());
  }

  private static void putMasters(Map<String, byte[]> secrets, AlgorithmSuite suite, IssuerMasterKeys keys) {
    secrets.put(suite + "-IMK-AC", keys.imkAc().value());
    secrets.put(suite + "-IMK-MAC", keys.imkMac().value());
    secrets.put(suite + "-KMC", keys.kmc().value());
  }

  private static void replace(Map<String, byte[]> secrets, String name, byte[] value) {
    byte[] old = secrets.put(name, value);
    if (old != null) {
      Arrays.fill(old, (byte) 0);
    }
  }

  private static SecretKeyBytes secret(Map<String, byte[]> secrets, String name) {
    byte[] value = secrets.get(name);
    if (value == null) {
      throw new KeyCustodyException(KeyCustodyException.Reason.TAMPERED, "sealed personalisation keys lack " + name);
    }
    return new SecretKeyBytes(value);
  }

  private static void wipe(Map<String, byte[]> secrets) {
    secrets.values().forEach(v -> Arrays.fill(v, (byte) 0));
  }
}
