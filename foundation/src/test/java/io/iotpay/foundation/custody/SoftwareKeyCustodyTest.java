package io.iotpay.foundation.custody;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustodyException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operation suite on the software custody, plus what only a sealed file has. */
class SoftwareKeyCustodyTest extends CustodyOperationSuite {
  @TempDir Path temp;
  private final AtomicInteger stores = new AtomicInteger();

  static SecretKeyBytes masterKey(AlgorithmSuite storeSuite) {
    byte[] key = new byte[SealedKeyFile.masterKeyBytes(storeSuite)];
    new SecureRandom().nextBytes(key);
    return new SecretKeyBytes(key);
  }

  @Override
  @SuppressWarnings("unchecked")
  SoftwareKeyCustody newCustody(AlgorithmSuite suite) {
    return SoftwareKeyCustody.open(temp.resolve("store" + stores.incrementAndGet()), suite, masterKey(suite), 64, TEST_TAC);
  }

  @Override
  boolean supports(AlgorithmSuite suite, String operation) {
    return true; // the software custody performs every operation in both suites
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keysSurviveARestart_andOpenOnlyUnderTheRightMasterKey(AlgorithmSuite suite) {
    Path dir = temp.resolve("restart");
    SecretKeyBytes master = masterKey(suite);
    byte[] data = "checkpoint 42".getBytes(StandardCharsets.US_ASCII);
    byte[] mac;
    byte[] signature;
    KeyRef macRef;
    KeyRef signRef;
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir, suite, master)) {
      macRef = custody.generate("zone-mac", suite, KeyUsage.ZONE_MAC);
      custody.rotate("zone-mac");
      signRef = custody.generate("audit-signing", suite, KeyUsage.SIGNING);
      custody.retire(macRef);
      mac = custody.mac(custody.current("zone-mac"), data);
      signature = custody.sign(signRef, data);
    }

    assertRefused(() -> SoftwareKeyCustody.open(dir, suite, masterKey(suite)), Reason.WRONG_MASTER_KEY);
    try (SoftwareKeyCustody reopened = SoftwareKeyCustody.open(dir, suite, master)) {
      assertThat(reopened.list()).hasSize(3);
      assertThat(reopened.verifyMac(reopened.current("zone-mac"), data, mac)).isTrue();
      assertRefused(() -> reopened.verifyMac(macRef, data, mac), Reason.RETIRED);
      assertThat(suite.signature().verify(reopened.publicKey(signRef), data, signature)).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tamperedFile_isRefused_andNothingIsLoaded(AlgorithmSuite suite) throws Exception {
    Path dir = temp.resolve("tamper");
    SecretKeyBytes master = masterKey(suite);
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir, suite, master)) {
      custody.generate("zone-mac", suite, KeyUsage.ZONE_MAC);
    }
    Path file = dir.resolve(SoftwareKeyCustody.FILE_NAME);
    byte[] sealed = Files.readAllBytes(file);
    byte[] body = sealed.clone();
    body[SealedKeyFile.HEADER_BYTES + 3] ^= 1;
    Files.write(file, body);
    assertRefused(() -> SoftwareKeyCustody.open(dir, suite, master), Reason.TAMPERED);
    byte[] nonce = sealed.clone();
    nonce[SealedKeyFile.HEADER_BYTES - 1] ^= 1; // the header is associated data
    Files.write(file, nonce);
    assertRefused(() -> SoftwareKeyCustody.open(dir, suite, master), Reason.TAMPERED);
    Files.write(file, java.util.Arrays.copyOf(sealed, sealed.length - 1));
    assertRefused(() -> SoftwareKeyCustody.open(dir, suite, master), Reason.TAMPERED);
    assertRefused(() -> SoftwareKeyCustody.open(dir, otherSuite(suite), masterKey(otherSuite(suite))), Reason.WRONG_MASTER_KEY);
  }

  private static AlgorithmSuite otherSuite(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void storeIsOwnerOnly_andRefusesToOpenOtherwise(AlgorithmSuite suite) throws Exception {
    Path dir = temp.resolve("perms");
    SecretKeyBytes master = masterKey(suite);
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir, suite, master)) {
      custody.generate("zone-pin", suite, KeyUsage.ZONE_PIN);
    }
    Path file = dir.resolve(SoftwareKeyCustody.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertRefused(() -> SoftwareKeyCustody.open(dir, suite, master), Reason.BAD_PERMISSIONS);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
    assertRefused(() -> SoftwareKeyCustody.open(dir, suite, master), Reason.BAD_PERMISSIONS);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    SoftwareKeyCustody.open(dir, suite, master).close();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cardKeyCache_isBounded_andCountsItsEvictions(AlgorithmSuite suite) {
    SecretKeyBytes imk = randomKey();
    byte[] input = new byte[29];
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(temp.resolve("cache"), suite, masterKey(suite), 2,
        TacFormula.NONE)) {
      KeyRef ref = custody.importClear("imk-ac", suite, KeyUsage.ISSUER_MASTER, imk);
      String[] pans = {"5413330089020011", "5413330089020029", "5413330089020037"};
      for (String pan : pans) {
        SecretKeyBytes sk = EmvCryptograms.sessionKey(suite, EmvKeyDerivation.cardMasterKey(suite, imk, pan, "00"), 7);
        assertThat(custody.verifyArqc(ref, pan, "00", 7, input, EmvCryptograms.applicationCryptogram(suite, sk, input)))
            .isTrue();
      }
      custody.verifyArqc(ref, pans[2], "00", 8, input, new byte[8]);

      CardKeyCacheStats stats = custody.cardKeyCacheStats();
      assertThat(stats.size()).isEqualTo(2);
      assertThat(stats.evictions()).isEqualTo(1);
      assertThat(stats.misses()).isEqualTo(3);
      assertThat(stats.hits()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aChangeThatCannotBeWritten_changesNothing(AlgorithmSuite suite) throws Exception {
    Path dir = temp.resolve("unwritable");
    SecretKeyBytes master = masterKey(suite);
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir, suite, master)) {
      KeyRef v1 = custody.generate("zone-mac", suite, KeyUsage.ZONE_MAC);
      // A directory where the temporary file goes: the rewrite fails however privileged the test runs.
      Files.createDirectories(dir.resolve(SoftwareKeyCustody.FILE_NAME + ".tmp").resolve("blocker"));

      assertRefused(() -> custody.rotate("zone-mac"), Reason.IO);
      assertRefused(() -> custody.retire(v1), Reason.IO);
      assertRefused(() -> custody.generate("zone-pin", suite, KeyUsage.ZONE_PIN), Reason.IO);

      assertThat(custody.list()).extracting(KeyInfo::ref, KeyInfo::retired)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(v1, false));
      assertThat(custody.current("zone-mac")).isEqualTo(v1);
    }
    try (SoftwareKeyCustody reopened = SoftwareKeyCustody.open(dir, suite, master)) {
      assertThat(reopened.list()).extracting(KeyInfo::ref).containsExactly(new KeyRef("zone-mac", 1, suite, KeyUsage.ZONE_MAC));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void concurrentOperations_whileKeysRotate_giveTheSameAnswers(AlgorithmSuite suite) throws Exception {
    SecretKeyBytes imk = randomKey();
    byte[] input = new byte[29];
    SecretKeyBytes sk = EmvCryptograms.sessionKey(suite, EmvKeyDerivation.cardMasterKey(suite, imk, PAN, PSN), 3);
    byte[] arqc = EmvCryptograms.applicationCryptogram(suite, sk, input);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(temp.resolve("concurrent"), suite, masterKey(suite), 2,
        TEST_TAC)) {
      KeyRef ref = custody.importClear("imk-ac", suite, KeyUsage.ISSUER_MASTER, imk);
      KeyRef mac = custody.generate("zone-mac", suite, KeyUsage.ZONE_MAC);
      java.util.List<java.util.concurrent.Future<Integer>> workers = new java.util.ArrayList<>();
      for (int w = 0; w < 3; w++) {
        String otherPan = "54133300890200" + (10 + w);
        workers.add(pool.submit(() -> {
          int valid = 0;
          for (int i = 0; i < 300; i++) {
            custody.verifyArqc(ref, otherPan, PSN, 3, input, arqc); // evicts: the cache holds 2 cards
            valid += custody.verifyArqc(ref, PAN, PSN, 3, input, arqc) ? 1 : 0;
          }
          return valid;
        }));
      }
      for (int i = 0; i < 20; i++) {
        custody.rotate("zone-mac");
      }
      for (java.util.concurrent.Future<Integer> worker : workers) {
        assertThat(worker.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(300);
      }
      assertThat(custody.current("zone-mac").version()).isEqualTo(mac.version() + 20);
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyTac_withoutAFormula_isUnsupported(AlgorithmSuite suite) {
    try (SoftwareKeyCustody none = SoftwareKeyCustody.open(temp.resolve("no-tac"), suite, masterKey(suite))) {
      KeyRef ref = none.importClear("imk-tac", suite, KeyUsage.ISSUER_MASTER, randomKey());
      assertRefused(() -> none.verifyTac(ref, PAN, PSN, 9, new byte[8], new byte[8]), Reason.UNSUPPORTED);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sealedFile_doesNotContainTheKeyInTheClear(AlgorithmSuite suite) throws Exception {
    Path dir = temp.resolve("clear");
    SecretKeyBytes key = randomKey();
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir, suite, masterKey(suite))) {
      custody.importClear("zone-pin", suite, KeyUsage.ZONE_PIN, key);
    }
    String file = HEX.formatHex(Files.readAllBytes(dir.resolve(SoftwareKeyCustody.FILE_NAME)));

    assertThat(file).doesNotContain(HEX.formatHex(key.value()).substring(0, 12));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void toString_ofRefsAndCustody_printsNoKeyBytes(AlgorithmSuite suite) {
    SecretKeyBytes key = randomKey();
    try (SoftwareKeyCustody custody = newCustody(suite)) {
      KeyRef ref = custody.importClear("zone-mac", suite, KeyUsage.ZONE_MAC, key);
      String hex = HEX.formatHex(key.value());
      String text = ref + " " + custody + " " + custody.list();

      assertThat(text.toLowerCase()).doesNotContain(hex.substring(0, 8)).doesNotContain(hex.substring(8, 16));
      assertThat(ref.toString()).isEqualTo("zone-mac#v1[" + suite + ",ZONE_MAC]");
    }
  }
}
