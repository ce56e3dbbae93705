package io.iotpay.platform.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.platform.keys.PlatformKeysException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Platform keys at rest: round trip, the wrong master key, damaged directories, restarts of a node on them. */
class PlatformKeysTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

  @TempDir Path dataDir;

  private static SecretKeyBytes newMasterKey() {
    byte[] key = new byte[PlatformKeyStore.MASTER_KEY_BYTES];
    RANDOM.nextBytes(key);
    return new SecretKeyBytes(key);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openOrCreate_secondOpen_loadsTheSameKeysOfBothSuites(AlgorithmSuite auditSuite) {
    SecretKeyBytes master = newMasterKey();
    PlatformKeys created = PlatformKeyStore.openOrCreate(dataDir, master, auditSuite, T0, RANDOM);
    PlatformKeys loaded = PlatformKeyStore.openOrCreate(dataDir, master, otherSuite(auditSuite), T0, RANDOM);

    assertThat(loaded.auditSuite()).isEqualTo(auditSuite);
    assertSamePair(loaded.auditKey(), created.auditKey());
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      // The NATIONAL CA and answer keys are SM2: their PKCS#8 form must come back as the same key.
      assertSamePair(loaded.caKey(suite), created.caKey(suite));
      assertSamePair(loaded.answerKeyPair(suite), created.answerKeyPair(suite));
      assertThat(loaded.caCertificate(suite)).isEqualTo(created.caCertificate(suite));
      assertThat(loaded.answerKey(suite).keyId()).isEqualTo(created.answerKey(suite).keyId());
    }
    assertThat(loaded.pskMasterKey()).isEqualTo(created.pskMasterKey()).hasSize(PlatformKeys.PSK_MASTER_KEY_BYTES);
    assertThat(loaded.operatorToken()).isEqualTo(created.operatorToken()).hasSize(2 * PlatformKeys.OPERATOR_TOKEN_BYTES);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sealedFiles_holdNoPlaintext_andSecretsAreOwnerOnly(AlgorithmSuite auditSuite) throws Exception {
    PlatformKeys keys = PlatformKeyStore.openOrCreate(dataDir, newMasterKey(), auditSuite, T0, RANDOM);
    Path dir = dataDir.resolve(PlatformKeyStore.DIRECTORY);
    String pskHex = HexFormat.of().formatHex(keys.pskMasterKey());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".sealed")).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(content).doesNotContain("PRIVATE KEY").doesNotContain(keys.operatorToken());
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(file))).doesNotContain(pskHex);
        assertOwnerOnly(file);
      }
    }
    assertThat(keys.toString()).doesNotContain(keys.operatorToken()).contains("operator-token");
    assertThat(Pem.readPublicKey(Files.readString(PlatformKeyStore.auditPublicKeyFile(dataDir)), auditSuite))
        .isEqualTo(keys.auditKey().getPublic());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void wrongMasterKey_isRefusedNamingTheFile_andNothingChanges(AlgorithmSuite auditSuite) throws Exception {
    PlatformKeyStore.openOrCreate(dataDir, newMasterKey(), auditSuite, T0, RANDOM);
    Map<String, String> before = snapshot(dataDir);

    assertThatThrownBy(() -> PlatformKeyStore.openOrCreate(dataDir, newMasterKey(), auditSuite, T0, RANDOM))
        .isInstanceOfSatisfying(PlatformKeysException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.WRONG_MASTER_KEY);
          assertThat(e.file()).isNotNull();
          assertThat(e.getMessage()).contains(e.file().toString()).contains("master key");
        });
    assertThat(snapshot(dataDir)).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sealedFilesSwapped_areRefused_becauseTheNameIsBoundIn(AlgorithmSuite auditSuite) throws Exception {
    SecretKeyBytes master = newMasterKey();
    PlatformKeyStore.openOrCreate(dataDir, master, auditSuite, T0, RANDOM);
    Path dir = dataDir.resolve(PlatformKeyStore.DIRECTORY);
    // The answer key's sealed file put where the audit key's belongs: same master key, other name.
    Files.copy(dir.resolve("answer-key-" + auditSuite.name().toLowerCase(java.util.Locale.ROOT) + ".sealed"),
        dir.resolve(PlatformKeyStore.AUDIT_KEY), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> PlatformKeyStore.openOrCreate(dataDir, master, auditSuite, T0, RANDOM))
        .isInstanceOfSatisfying(PlatformKeysException.class, e -> assertThat(e.file()).isEqualTo(dir.resolve(PlatformKeyStore.AUDIT_KEY)));
  }

  @Test
  void missingFile_isRefused_andNotRegenerated() throws Exception {
    SecretKeyBytes master = newMasterKey();
    PlatformKeyStore.openOrCreate(dataDir, master, AlgorithmSuite.NATIONAL, T0, RANDOM);
    Path token = dataDir.resolve(PlatformKeyStore.DIRECTORY).resolve(PlatformKeyStore.OPERATOR_TOKEN);
    Files.delete(token);

    assertThatThrownBy(() -> PlatformKeyStore.openOrCreate(dataDir, master, AlgorithmSuite.NATIONAL, T0, RANDOM))
        .isInstanceOfSatisfying(PlatformKeysException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.MISSING_FILE);
          assertThat(e.file()).isEqualTo(token);
        });
    assertThat(token).doesNotExist();
  }

  @Test
  void masterKeyFile_isMadeOnceOwnerOnly_andReused() throws Exception {
    PlatformKeyStore.MasterKey first = PlatformKeyStore.masterKey(dataDir, null, RANDOM);
    PlatformKeyStore.MasterKey second = PlatformKeyStore.masterKey(dataDir, "", RANDOM);

    assertThat(second.key()).isEqualTo(first.key());
    assertOwnerOnly(dataDir.resolve(PlatformKeyStore.MASTER_KEY_FILE));
    assertThat(first.toString()).doesNotContain(HexFormat.of().formatHex(first.key().value()));
  }

  @Test
  void masterKeyFromEnvironment_winsOverTheFile_andBadValuesAreRefusedWithoutEchoingThem() {
    String hex = "00112233445566778899aabbccddeeff";
    assertThat(PlatformKeyStore.masterKey(dataDir, hex, RANDOM).key().value()).isEqualTo(HexFormat.of().parseHex(hex));
    assertThat(dataDir.resolve(PlatformKeyStore.MASTER_KEY_FILE)).doesNotExist();

    for (String bad : new String[] {"00112233", hex + "00", "zz112233445566778899aabbccddeeff"}) {
      assertThatThrownBy(() -> PlatformKeyStore.masterKey(dataDir, bad, RANDOM))
          .isInstanceOfSatisfying(PlatformKeysException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.MASTER_KEY_INVALID);
            assertThat(e.getMessage()).contains(PlatformKeyStore.MASTER_KEY_ENV).doesNotContain(bad);
          });
    }
  }

  @Test
  void keysWithoutAnyMasterKey_areRefused_andNoNewMasterKeyIsMade() {
    PlatformKeyStore.openOrCreate(dataDir, newMasterKey(), AlgorithmSuite.INTERNATIONAL, T0, RANDOM);

    assertThatThrownBy(() -> PlatformKeyStore.masterKey(dataDir, null, RANDOM))
        .isInstanceOfSatisfying(PlatformKeysException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MASTER_KEY_MISSING));
    assertThat(dataDir.resolve(PlatformKeyStore.MASTER_KEY_FILE)).doesNotExist();
  }

  private static AlgorithmSuite otherSuite(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.NATIONAL ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL;
  }

  private static void assertSamePair(KeyPair actual, KeyPair expected) {
    assertThat(actual.getPrivate().getEncoded()).isEqualTo(expected.getPrivate().getEncoded());
    assertThat(actual.getPublic().getEncoded()).isEqualTo(expected.getPublic().getEncoded());
  }

  private static void assertOwnerOnly(Path file) throws Exception {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
  }

  /** Every file under {@code root}: its bytes (hex) and modification time. */
  private static Map<String, String> snapshot(Path root) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file).toString(),
            HexFormat.of().formatHex(Files.readAllBytes(file)) + "@" + Files.getLastModifiedTime(file).toMillis());
      }
    }
    return files;
  }
}
