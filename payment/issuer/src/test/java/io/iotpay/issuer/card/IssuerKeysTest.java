package io.iotpay.issuer.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustodyException;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.issuer.transit.TacVerifier;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.Pan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transit issuer's keys in its sealed custody: a card personalised from {@link
 * IssuerKeys#cardKeys} clears through the custody; the store survives a restart and opens only under
 * the right storage master key; after a rotation, cards of the old IMK-AC version keep verifying
 * until it is retired. Each test runs under both suites (card suite, and the store's AEAD: AES-256-GCM
 * for INTERNATIONAL, SM4-GCM for NATIONAL).
 */
class IssuerKeysTest {
  private static final PartyId ISSUER = PartyId.of("BANK-T");

  @TempDir Path dir;

  private static SecretKeyBytes key(Random random, int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return new SecretKeyBytes(value);
  }

  private static Map<AlgorithmSuite, IssuerMasterKeys> masters(Random random) {
    return IssuerKeys.bySuite(new IssuerMasterKeys(key(random, 16), key(random, 16), key(random, 16)),
        new IssuerMasterKeys(key(random, 16), key(random, 16), key(random, 16)));
  }

  /** The store is sealed with AES-256-GCM under a 32-byte key, with SM4-GCM under a 16-byte one. */
  private static int storageKeyBytes(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16;
  }

  private static TacVerifier verifier(IssuerKeys keys) {
    Map<AlgorithmSuite, List<KeyRef>> versions = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      versions.put(suite, keys.imkAcVersions(suite));
    }
    return new TacVerifier(keys.custody(), versions);
  }

  /** Whether a tap's TAC, computed as the card does with the AC key personalisation put on it, clears. */
  private static boolean tapClears(IssuerKeys keys, CardKeys card, AlgorithmSuite suite, Pan pan, int atc) {
    byte[] input = new byte[114];
    new Random(atc).nextBytes(input);
    byte[] tac = CardCrypto.tac(suite, card.ac(), atc, input);
    return verifier(keys).verify(suite, pan, 1, atc, input, tac);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keys_surviveARestartSealed_andOpenOnlyUnderTheRightMasterKey(AlgorithmSuite suite) throws Exception {
    Random random = new Random(11 + suite.ordinal());
    Map<AlgorithmSuite, IssuerMasterKeys> masters = masters(random);
    SecretKeyBytes storage = key(random, storageKeyBytes(suite));
    Pan pan = Pan.withCheckDigit("621234000000042");
    CardKeys card;
    try (IssuerKeys keys = new IssuerKeys(ISSUER, dir, masters, storage)) {
      card = keys.cardKeys(suite, pan, 1);
      assertThat(tapClears(keys, card, suite, pan, 5)).isTrue();
    }
    for (Path file : List.of(dir.resolve("custody/keys.sealed"), dir.resolve("personalisation/secrets.sealed"))) {
      byte[] sealed = Files.readAllBytes(file);
      for (IssuerMasterKeys m : masters.values()) {
        assertThat(indexOf(sealed, m.imkAc().value())).as("clear IMK-AC in %s", file).isEqualTo(-1);
        assertThat(indexOf(sealed, m.kmc().value())).as("clear KMC in %s", file).isEqualTo(-1);
      }
    }
    try (IssuerKeys reopened = new IssuerKeys(ISSUER, dir, null, storage)) { // no masters: they come from the store
      assertThat(tapClears(reopened, card, suite, pan, 6)).isTrue();
      assertThat(reopened.cardKeys(suite, pan, 1).ac()).isEqualTo(card.ac());
    }
    SecretKeyBytes wrong = key(random, storageKeyBytes(suite));
    assertThatThrownBy(() -> new IssuerKeys(ISSUER, dir, masters, wrong))
        .isInstanceOfSatisfying(KeyCustodyException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyCustodyException.Reason.WRONG_MASTER_KEY));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void rotation_oldCardsVerifyUntilTheirVersionIsRetired(AlgorithmSuite suite) {
    Random random = new Random(23 + suite.ordinal());
    SecretKeyBytes storage = key(random, storageKeyBytes(suite));
    Pan oldPan = Pan.withCheckDigit("621234000000101");
    Pan newPan = Pan.withCheckDigit("621234000000202");
    try (IssuerKeys keys = new IssuerKeys(ISSUER, dir, masters(random), storage)) {
      KeyRef first = keys.imkAcVersions(suite).get(0);
      CardKeys oldCard = keys.cardKeys(suite, oldPan, 1);
      KeyRef second = keys.rotateImkAc(suite, key(random, 16));
      assertThat(second.version()).isEqualTo(first.version() + 1);
      assertThat(keys.imkAcVersions(suite)).containsExactly(second, first);
      CardKeys newCard = keys.cardKeys(suite, newPan, 1);
      assertThat(keys.cardKeys(suite, oldPan, 1).ac()).as("personalisation uses the new version")
          .isNotEqualTo(oldCard.ac());
      assertThat(tapClears(keys, oldCard, suite, oldPan, 7)).as("old card before retirement").isTrue();
      assertThat(tapClears(keys, newCard, suite, newPan, 7)).as("new card").isTrue();

      keys.retire(first);
      assertThat(keys.imkAcVersions(suite)).containsExactly(second);
      assertThat(tapClears(keys, oldCard, suite, oldPan, 8)).as("old card after retirement").isFalse();
      assertThat(tapClears(keys, newCard, suite, newPan, 8)).isTrue();
    }
    try (IssuerKeys reopened = new IssuerKeys(ISSUER, dir, null, storage)) { // rotation and retirement persisted
      assertThat(reopened.imkAcVersions(suite)).hasSize(1).allMatch(ref -> ref.version() == 2);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
