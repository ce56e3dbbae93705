package io.iotpay.platform.decision;

import static io.iotpay.platform.decision.PlatformFixture.cny;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import io.iotpay.platform.identity.DeviceId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The audit verifier, with this cross-check, accepts the platform's log and names an edited or deleted decision row. */
class DecisionAuditCheckTest {
  @TempDir Path tempDir;

  private static PaymentDecision decideOne(PlatformFixture platform) throws Exception {
    platform.userAccount(10, 100_000);
    platform.merchant("shop", "5399", 200, null);
    DeviceId device = platform.onlineDevice("washer-1");
    platform.mandates.bind("alice", device, 10, PlatformFixture.terms(5_000, 8_000, 20_000, 3_000, Set.of("shop"), Set.of()));
    platform.service.decide(new PaymentIntent(new IdempotencyKey(device, 1), "shop", cny(100), "r", "", false, false));
    return platform.service.decide(new PaymentIntent(new IdempotencyKey(device, 2), "shop", cny(200), "r", "", false, false));
  }

  private static VerificationReport verify(PlatformFixture platform) throws Exception {
    platform.auditLog.checkpointNow();
    DatabaseAuditSource source = DatabaseAuditSource.of(platform.database);
    return AuditVerifier.verify(source, AuditVerifier.keysOf(source), DecisionAuditCheck.of(platform.database));
  }

  private static void execute(PlatformFixture platform, String sql, Object... parameters) throws Exception {
    try (Connection connection = platform.database.connection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anUntouchedLog_verifies(AlgorithmSuite suite) throws Exception {
    try (PlatformFixture platform = new PlatformFixture(suite, tempDir)) {
      decideOne(platform);
      assertThat(verify(platform).verified()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anEditedDecisionRow_isNamedByItsLeaf(AlgorithmSuite suite) throws Exception {
    try (PlatformFixture platform = new PlatformFixture(suite, tempDir)) {
      PaymentDecision decision = decideOne(platform);
      byte[] edited = DecisionCodec.encode(decision);
      edited[edited.length - 1] ^= 1;
      execute(platform, "UPDATE platform_decision SET entry = ? WHERE audit_index = ?", edited, decision.auditIndex());

      VerificationReport report = verify(platform);
      assertThat(report.failure()).hasValueSatisfying(f -> {
        assertThat(f.number()).isEqualTo(decision.auditIndex());
        assertThat(f.reason()).contains("differs from the leaf");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aDeletedDecisionRow_isNamedByItsLeaf(AlgorithmSuite suite) throws Exception {
    try (PlatformFixture platform = new PlatformFixture(suite, tempDir)) {
      PaymentDecision decision = decideOne(platform);
      execute(platform, "DELETE FROM platform_decision WHERE audit_index = ?", decision.auditIndex());

      assertThat(verify(platform).failure()).hasValueSatisfying(f -> {
        assertThat(f.number()).isEqualTo(decision.auditIndex());
        assertThat(f.reason()).contains("no platform_decision row");
      });
    }
  }
}
