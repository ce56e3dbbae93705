package io.iotpay.acquirer.pos.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.pos.merchant.InMemorySettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.KeyedHash;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.OnboardingConfig;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Registration;
import io.iotpay.acquirer.pos.merchant.SanctionsList;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.acquirer.pos.merchant.TerminalCa;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The audit log verifies with the onboarding cross-check, and names the leaf of a state change edited in the table. */
class OnboardingAuditCheckTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifier_passesTheTrail_andNamesAnEditedRow(AlgorithmSuite suite) throws Exception {
    SecureRandom random = new SecureRandom();
    try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("audit.db"), 4)) {
      MerchantId id;
      try (AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, suite.signature().generateKeyPair(random)))) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        KeyedHash hash = new KeyedHash(suite, key);
        OnboardingService service = new OnboardingService(JdbcOnboardingStore.open(database, log), OnboardingConfig.of(Set.of("5812")), hash,
            SanctionsList.empty(hash), new InMemorySettlementAccountCheck().unreachable("10300000"),
            List.of(TerminalCa.create(suite, "CN=CA", Instant.now(), Duration.ofDays(1), Duration.ofDays(1), random)));
        id = service.register("req-audit-0001", new Registration("Shop", "91310000MA1K000001", "110105194912310021", "5812", "1 Road",
            new SettlementAccount("10300000", "6222000011112222"))).merchant().id();
        service.approve(id, "alice", "called the bank");
        service.suspend(id, "alice", "chargebacks");
        log.checkpointNow();
      }
      DatabaseAuditSource source = DatabaseAuditSource.of(database);
      VerificationReport clean = AuditVerifier.verify(source, AuditVerifier.keysOf(source), OnboardingAuditCheck.of(database));
      assertThat(clean.verified()).as(String.valueOf(clean.failure())).isTrue();

      try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
        statement.executeUpdate("UPDATE pos_event SET actor = 'operator:mallory' WHERE to_state = 'SUSPENDED'");
      }
      VerificationReport tampered = AuditVerifier.verify(source, AuditVerifier.keysOf(source), OnboardingAuditCheck.of(database));
      assertThat(tampered.verified()).isFalse();
      assertThat(tampered.failure().orElseThrow().reason()).contains("pos_event row recorded at this leaf differs");
      // Leaves: REGISTERED 0, IN_REVIEW 1, ACTIVATED 2 (the approval), SUSPENDED 3.
      assertThat(tampered.failure().orElseThrow().number()).isEqualTo(3);
    }
  }
}
