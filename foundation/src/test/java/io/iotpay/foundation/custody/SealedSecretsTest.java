package io.iotpay.foundation.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link SealedSecrets}: round trip under both suites; the file holds no secret in clear; refusals. */
class SealedSecretsTest {
  @TempDir Path temp;
  private final SecureRandom random = new SecureRandom();

  private SecretKeyBytes master(AlgorithmSuite suite) {
    byte[] key = new byte[SealedKeyFile.masterKeyBytes(suite)];
    random.nextBytes(key);
    return new SecretKeyBytes(key);
  }

  private Map<String, byte[]> secrets() {
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    for (String name : new String[] {"link.ISS1.zmk", "link.ISS1.zak", "store.seal"}) {
      byte[] key = new byte[16];
      random.nextBytes(key);
      secrets.put(name, key);
    }
    secrets.put("link.ISS1.suite", "NATIONAL".getBytes(StandardCharsets.US_ASCII));
    return secrets;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void roundTripsAndTheFileHoldsNoSecretInClear(AlgorithmSuite suite) throws Exception {
    SecretKeyBytes master = master(suite);
    Map<String, byte[]> secrets = secrets();
    Path dir = temp.resolve("custody");
    SealedSecrets.write(dir, suite, master, secrets, random);

    Map<String, byte[]> read = SealedSecrets.read(dir, suite, master);
    assertThat(read.keySet()).containsExactlyElementsOf(secrets.keySet());
    secrets.forEach((name, value) -> assertThat(read.get(name)).as(name).isEqualTo(value));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SealedSecrets.FILE_NAME))))
        .isEqualTo("rw-------");
    String file = new String(Files.readAllBytes(dir.resolve(SealedSecrets.FILE_NAME)), StandardCharsets.ISO_8859_1);
    secrets.forEach((name, value) -> assertThat(file).as(name)
        .doesNotContain(new String(value, StandardCharsets.ISO_8859_1))
        .doesNotContain(Hex.encode(value)).doesNotContain(Base64.getEncoder().encodeToString(value)));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aWrongMasterKeyATamperedFileOrAnOpenFileIsRefused(AlgorithmSuite suite) throws Exception {
    SecretKeyBytes master = master(suite);
    Path dir = temp.resolve("custody");
    SealedSecrets.write(dir, suite, master, secrets(), random);
    Path file = dir.resolve(SealedSecrets.FILE_NAME);

    assertThatThrownBy(() -> SealedSecrets.read(dir, suite, master(suite)))
        .isInstanceOfSatisfying(KeyCustodyException.class, e -> assertThat(e.reason()).isEqualTo(KeyCustodyException.Reason.WRONG_MASTER_KEY));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 20] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> SealedSecrets.read(dir, suite, master))
        .isInstanceOfSatisfying(KeyCustodyException.class, e -> assertThat(e.reason()).isEqualTo(KeyCustodyException.Reason.TAMPERED));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> SealedSecrets.read(dir, suite, master))
        .isInstanceOfSatisfying(KeyCustodyException.class, e -> assertThat(e.reason()).isEqualTo(KeyCustodyException.Reason.BAD_PERMISSIONS));
    assertThatThrownBy(() -> SealedSecrets.write(dir, suite, master, Map.of("bad name!", new byte[16]), random))
        .isInstanceOf(KeyCustodyException.class);
    assertThatThrownBy(() -> SealedSecrets.write(dir, suite, master, Map.of("empty", new byte[0]), random))
        .isInstanceOf(KeyCustodyException.class);
    assertThatThrownBy(() -> SealedSecrets.read(temp.resolve("none"), suite, master)).isInstanceOf(KeyCustodyException.class);
  }
}
