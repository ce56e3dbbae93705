package io.iotpay.app.iot;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.keys.OwnerOnlyFiles;
import io.iotpay.platform.keys.PlatformKeyStore;
import io.iotpay.platform.risk.RiskConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a node writes (issue 18, item 6): its data directory, the database with its WAL and SHM, the
 * platform keys and the operator token are its owner's only, whatever the umask; a database file
 * left world-readable by an older version is restricted when the node opens it.
 */
class NodeFilesOwnerOnlyTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
  private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyFileTheNodeWrites_isOwnerOnly(AlgorithmSuite auditSuite) throws Exception {
    Assumptions.assumeTrue(tempDir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "file permissions are POSIX permissions; this file system has none");
    Path dataDir = OwnerOnlyFiles.createDirectories(tempDir.resolve("new/data"));
    byte[] master = new byte[PlatformKeyStore.MASTER_KEY_BYTES];
    RANDOM.nextBytes(master);
    var keys = PlatformKeyStore.openOrCreate(dataDir, new SecretKeyBytes(master), auditSuite, T0, RANDOM);
    assertThat(PlatformKeyStore.exportOperatorToken(keys, dataDir.resolve("operator.token"))).isTrue();
    Path database = dataDir.resolve("node.db");
    try (IotNode node = new IotNode(database, new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT), keys, RiskConfig.defaults(), RANDOM)) {
      node.auditLog.checkpointNow();
      assertThat(Files.exists(dataDir.resolve("node.db-wal"))).as("the database runs in WAL mode, so the WAL is checked too").isTrue();
      assertOwnerOnly(dataDir.getParent());
      assertOwnerOnly(dataDir);
      try (Stream<Path> files = Files.walk(dataDir)) {
        List<Path> written = new ArrayList<>(files.toList());
        for (Path file : written) {
          assertOwnerOnlyIfSecret(file);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void worldReadableDatabaseOfAnOlderNode_isRestrictedOnOpen(AlgorithmSuite auditSuite) throws Exception {
    Assumptions.assumeTrue(tempDir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "file permissions are POSIX permissions; this file system has none");
    Path database = tempDir.resolve("old.db");
    byte[] master = new byte[PlatformKeyStore.MASTER_KEY_BYTES];
    RANDOM.nextBytes(master);
    var keys = PlatformKeyStore.openOrCreate(tempDir, new SecretKeyBytes(master), auditSuite, T0, RANDOM);
    try (IotNode node = new IotNode(database, new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT), keys, RiskConfig.defaults(), RANDOM)) {
      node.auditLog.checkpointNow();
    }
    Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));
    try (IotNode node = new IotNode(database, new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT), keys, RiskConfig.defaults(), RANDOM)) {
      assertOwnerOnly(database);
    }
  }

  /** The public certificates and keys in platform-keys/ are public by design; they sit in a 0700 directory. */
  private static void assertOwnerOnlyIfSecret(Path file) throws Exception {
    String name = file.getFileName().toString();
    boolean published = name.endsWith(".crt.pem") || name.endsWith(".pub.pem") || name.endsWith("-public-key.pem") || name.endsWith(".properties");
    if (!published || Files.isDirectory(file)) {
      assertOwnerOnly(file);
    }
  }

  private static void assertOwnerOnly(Path path) throws Exception {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    assertThat(permissions).as(path + " is " + PosixFilePermissions.toString(permissions)).doesNotContainAnyElementsOf(GROUP_OR_OTHER);
  }
}
