package io.iotpay.acquirer.pos.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Dukpt;
import io.iotpay.foundation.crypto.PinBlock.ClearPin;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.PinBlock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The acquirer's DUKPT translation and KSN register, on SQLite and (when configured) PostgreSQL. */
class PinTranslationTest {
  private static final Pan PAN = Pan.withCheckDigit("621234567890123");
  private static final String BDK_ID = "B0000001";
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onSqlite(AlgorithmSuite suite) {
    translatesRefusesAndRemembersKsns(suite, "jdbc:sqlite:" + dir.resolve("acquirer.db"));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onPostgres(AlgorithmSuite suite) throws SQLException {
    String base = System.getenv("IOTPAY_TEST_POSTGRES_URL");
    Assumptions.assumeTrue(base != null && !base.isBlank(), "IOTPAY_TEST_POSTGRES_URL not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    translatesRefusesAndRemembersKsns(suite, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  private void translatesRefusesAndRemembersKsns(AlgorithmSuite suite, String jdbcUrl) {
    SecretKeyBytes bdk = randomKey();
    SecretKeyBytes zoneKey = randomKey();
    byte[] master = new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16];
    RANDOM.nextBytes(master);
    Dukpt.Ksn ksn = new Dukpt.Ksn(Hex.decode(BDK_ID + "00000007"), 3);
    SecretKeyBytes terminalKey = Dukpt.workingKey(suite, bdk, ksn, Dukpt.KeyUsage.PIN_ENCRYPTION,
        Dukpt.derivationKeyType(suite, bdk));
    byte[] block = enciphered(suite, terminalKey, "8642");
    try (SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir.resolve("keys"), suite, new SecretKeyBytes(master))) {
      custody.importClear("bdk", suite, KeyUsage.DUKPT_BDK, bdk);
      custody.importClear("zpk", suite, KeyUsage.ZONE_PIN, zoneKey);
      try (Database database = Database.open(jdbcUrl, 2)) {
        PinTranslation pins = new PinTranslation(custody, Map.of(BDK_ID, "bdk"), "zpk", database);

        PinTranslation.Result result = pins.translate(request(new PinBlock(block, ksn.bytes())));
        assertThat(result).isInstanceOf(PinTranslation.Result.Translated.class);
        PinBlock translated = ((PinTranslation.Result.Translated) result).block();
        assertThat(translated.ksn()).as("a zone block carries no KSN").isNull();
        try (ClearPin out = io.iotpay.foundation.crypto.PinBlock.decipherFormat4(suite, zoneKey, translated.value(),
            PAN.digits()); ClearPin expected = ClearPin.fromChars("8642".toCharArray())) {
          assertThat(out.matches(expected)).isTrue();
        }

        assertThat(pins.translate(request(new PinBlock(block)))).isInstanceOf(PinTranslation.Result.Refused.class);
        assertThat(pins.translate(request(new PinBlock(block, new Dukpt.Ksn(Hex.decode("C000000100000007"), 3).bytes()))))
            .as("unknown BDK id").isInstanceOf(PinTranslation.Result.Refused.class);
        assertThat(pins.translate(request(new PinBlock(block, new Dukpt.Ksn(ksn.initialKeyId(), 4).bytes()))))
            .as("another counter's key").isInstanceOf(PinTranslation.Result.Refused.class);
        assertThat(pins.translate(request(new PinBlock(block, Hex.decode(BDK_ID + "0000000700000000")))))
            .as("counter 0").isInstanceOf(PinTranslation.Result.Refused.class);
        PinTranslation.Result refused = pins.translate(request(new PinBlock(enciphered(suite, randomKey(), "8642"),
            ksn.bytes())));
        assertThat(((PinTranslation.Result.Refused) refused).why()).doesNotContain("8642");

        assertThat(pins.firstUse(ksn.bytes(), "T0000001", 1)).isTrue();
        assertThat(pins.firstUse(ksn.bytes(), "T0000001", 2)).isFalse();
      }
      try (Database reopened = Database.open(jdbcUrl, 2)) {
        PinTranslation pins = new PinTranslation(custody, Map.of(BDK_ID, "bdk"), "zpk", reopened);
        assertThat(pins.firstUse(ksn.bytes(), "T0000002", 3)).as("a replay after a restart").isFalse();
        assertThat(pins.firstUse(new Dukpt.Ksn(ksn.initialKeyId(), 4).bytes(), "T0000001", 3)).isTrue();
      }
    }
  }

  private static CardTransaction request(PinBlock pin) {
    MonthDayTime now = MonthDayTime.utc(Instant.parse("2026-12-07T08:00:00Z"));
    return new CardTransaction(PAN, "000000", Money.ofMinor(48_000, CurrencyUnit.CNY), now, 1, now, YearMonth.of(2029, 12),
        "071", 1, "48020000", "RRN000000001", "T0000001", "MERCHANT0000001", pin, null);
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
