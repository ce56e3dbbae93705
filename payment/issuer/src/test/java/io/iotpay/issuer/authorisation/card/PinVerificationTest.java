package io.iotpay.issuer.authorisation.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.PinBlock.ClearPin;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.PinBlock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The issuer's PIN table and tries on SQLite, and on PostgreSQL when IOTPAY_TEST_POSTGRES_URL is set. */
class PinVerificationTest {
  private static final Pan PAN = Pan.withCheckDigit("621234567890123");
  private static final String PAN_HASH = "a1".repeat(32);
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onSqlite_triesAreCountedAndSurviveARestart(AlgorithmSuite suite) {
    triesAreCountedAndSurviveARestart(suite, "jdbc:sqlite:" + dir.resolve("issuer.db"));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onPostgres_triesAreCountedAndSurviveARestart(AlgorithmSuite suite) throws SQLException {
    String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(base != null && !base.isBlank(), "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    triesAreCountedAndSurviveARestart(suite, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  private void triesAreCountedAndSurviveARestart(AlgorithmSuite suite, String jdbcUrl) {
    SecretKeyBytes zoneKey = randomKey();
    byte[] master = new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16];
    RANDOM.nextBytes(master);
    PinVerification.Settings settings = new PinVerification.Settings("zpk", "pvk", 2);
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir.resolve("keys"), suite, new SecretKeyBytes(master))) {
      custody.importClear("zpk", suite, KeyUsage.ZONE_PIN, zoneKey);
      custody.generate("pvk", suite, KeyUsage.PIN_VERIFICATION);
      try (Database database = Database.open(jdbcUrl, 2)) {
        PinVerification pins = new PinVerification(database, custody, settings);
        assertThat(pins.verify(PAN_HASH, PAN, block(suite, zoneKey, "2468"))).isEqualTo(PinVerification.Outcome.NOT_ENROLLED);
        assertThatThrownBy(() -> pins.enrol(PAN_HASH, PAN, enciphered(suite, randomKey(), "2468")))
            .isInstanceOf(IssuerInputException.class).hasMessageNotContaining("2468");
        assertThat(pins.triesLeft(PAN_HASH)).as("a refused enrolment changes nothing").isEqualTo(-1);
        pins.enrol(PAN_HASH, PAN, enciphered(suite, zoneKey, "2468"));

        assertThat(pins.verify(PAN_HASH, PAN, block(suite, zoneKey, "2469"))).isEqualTo(PinVerification.Outcome.WRONG_PIN);
        assertThat(pins.verify(PAN_HASH, PAN, block(suite, randomKey(), "2468")))
            .as("a block under another key is no PIN try").isEqualTo(PinVerification.Outcome.UNREADABLE);
        assertThat(pins.triesLeft(PAN_HASH)).isEqualTo(1);
      }
      try (Database reopened = Database.open(jdbcUrl, 2)) {
        PinVerification pins = new PinVerification(reopened, custody, settings);
        assertThat(pins.triesLeft(PAN_HASH)).as("after a restart").isEqualTo(1);
        assertThat(pins.verify(PAN_HASH, PAN, block(suite, zoneKey, "2466"))).isEqualTo(PinVerification.Outcome.TRIES_EXCEEDED);
        assertThat(pins.verify(PAN_HASH, PAN, block(suite, zoneKey, "2468"))).isEqualTo(PinVerification.Outcome.TRIES_EXCEEDED);
        assertThat(pins.counts()).isEqualTo(new PinVerification.Counts(0, 2));
        pins.enrol(PAN_HASH, PAN, enciphered(suite, zoneKey, "1357")); // a new PIN restores the tries
        assertThat(pins.verify(PAN_HASH, PAN, block(suite, zoneKey, "1357"))).isEqualTo(PinVerification.Outcome.VERIFIED);
        assertThat(pins.triesLeft(PAN_HASH)).isEqualTo(2);
        assertThat(pins.counts()).isEqualTo(new PinVerification.Counts(1, 2));
      }
    }
  }

  private static PinBlock block(AlgorithmSuite suite, SecretKeyBytes key, String digits) {
    return new PinBlock(enciphered(suite, key, digits));
  }

  private static byte[] enciphered(AlgorithmSuite suite, SecretKeyBytes key, String digits) {
    try (ClearPin pin = ClearPin.fromChars(digits.toCharArray())) {
      return io.iotpay.foundation.crypto.PinBlock.encipherFormat4(suite, key, pin, PAN.digits(), RANDOM);
    }
  }

  private static SecretKeyBytes randomKey() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return new SecretKeyBytes(key);
  }
}
