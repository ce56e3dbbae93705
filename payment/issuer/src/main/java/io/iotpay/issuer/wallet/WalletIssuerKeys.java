package io.iotpay.issuer.wallet;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.card.CardCrypto;
import io.iotpay.issuer.card.IssuerKeys;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wallet issuer's symmetric keys behind its {@link KeyCustody} (a sealed file): the wallet IMK
 * of each suite, from which every card's TAC key is derived over its card id (at personalisation,
 * and inside the custody at day end). The IMKs are imported once, at the first start (the key
 * ceremony); later starts read the sealed store. Callers get key refs, a {@link
 * WalletTacVerifier} and {@link WalletRatingMacs} (the rating MACs under the same card keys), never a key.
 */
public final class WalletIssuerKeys implements AutoCloseable {
  /** Bound of the custody's derived card-key cache: one key per card of a day end stays derived. */
  public static final int CARD_KEYS_CACHED_MAX = 65_536;

  private final SoftwareKeyCustody custody;

  /**
   * @param imks the wallet IMK of each suite (16 bytes: two-key 3DES or SM4), read only at the first start
   * @param storageMasterKey seals the store: 32 bytes seal with AES-256-GCM, 16 bytes with SM4-GCM
   * @throws IssuerInputException when a suite's IMK is missing at the first start
   */
  public WalletIssuerKeys(Path directory, SecretKeyBytes storageMasterKey, Map<AlgorithmSuite, SecretKeyBytes> imks) {
    AlgorithmSuite storeSuite = storageMasterKey.lengthBytes() == 16 ? AlgorithmSuite.NATIONAL
        : AlgorithmSuite.INTERNATIONAL;
    custody = SoftwareKeyCustody.open(directory, storeSuite, storageMasterKey, CARD_KEYS_CACHED_MAX, CardCrypto::tac);
    try {
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        if (imkVersions(suite).isEmpty()) {
          SecretKeyBytes imk = imks.get(suite);
          if (imk == null) {
            throw new IssuerInputException("wallet issuer: no IMK for suite " + suite);
          }
          custody.importClear(imkLabel(suite), suite, KeyUsage.ISSUER_MASTER, imk);
        }
      }
    } catch (RuntimeException e) {
      custody.close();
      throw e;
    }
  }

  /** The custody label of a suite's wallet IMK. */
  public static String imkLabel(AlgorithmSuite suite) {
    return "wallet-imk-" + suite.name().toLowerCase(Locale.ROOT);
  }

  /** The live versions of the suite's wallet IMK, current first. */
  public List<KeyRef> imkVersions(AlgorithmSuite suite) {
    return IssuerKeys.liveVersions(custody, imkLabel(suite));
  }

  /** A verifier of both suites' TACs under the live IMK versions as they are now. */
  public WalletTacVerifier tacVerifier() {
    Map<AlgorithmSuite, List<KeyRef>> versions = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      versions.put(suite, imkVersions(suite));
    }
    return new WalletTacVerifier(custody, versions);
  }

  /** The rating MACs of both suites under the live IMK versions as they are now (docs/wallet-apdus.md §3.8). */
  public WalletRatingMacs ratingMacs() {
    Map<AlgorithmSuite, List<KeyRef>> versions = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      versions.put(suite, imkVersions(suite));
    }
    return new WalletRatingMacs(custody, versions);
  }

  public KeyCustody custody() {
    return custody;
  }

  @Override
  public void close() {
    custody.close();
  }
}
