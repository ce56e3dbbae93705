package io.iotpay.app.iot;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.platform.decision.DecisionOutcome;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.decision.PaymentIntent;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.keys.PlatformKeyStore;
import io.iotpay.platform.keys.PlatformKeys;
import io.iotpay.platform.risk.RiskConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A node ({@link IotNode}, the serve wiring) restarted on its platform keys at rest (platform.keys). */
class NodeRestartOnPlatformKeysTest {
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
  void nodeRestartedOnTheSameKeys_answersWithTheSameKey_andItsAuditLogVerifiesAcrossTheRestart(AlgorithmSuite auditSuite)
      throws Exception {
    SecretKeyBytes master = newMasterKey();
    Path database = dataDir.resolve("node.db");
    ManualBusinessClock clock = new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT);
    Map<AlgorithmSuite, PublicKey> answerKeysBefore = new EnumMap<>(AlgorithmSuite.class);
    long leavesBefore;

    try (IotNode node = new IotNode(database, clock, PlatformKeyStore.openOrCreate(dataDir, master, auditSuite, T0, RANDOM),
        RiskConfig.defaults(), RANDOM)) {
      assertThat(decide(node, 1).outcome()).isEqualTo(DecisionOutcome.DECLINED);
      node.auditLog.checkpointNow();
      leavesBefore = node.auditLog.size();
      node.answerKeys.forEach((suite, key) -> answerKeysBefore.put(suite, key.keys().getPublic()));
    }
    clock.advance(Duration.ofMinutes(5));
    PlatformKeys reloaded = PlatformKeyStore.openOrCreate(dataDir, master, auditSuite, T0, RANDOM);
    try (IotNode node = new IotNode(database, clock, reloaded, RiskConfig.defaults(), RANDOM)) {
      node.answerKeys.forEach((suite, key) -> assertThat(key.keys().getPublic()).isEqualTo(answerKeysBefore.get(suite)));
      assertThat(decide(node, 2).outcome()).isEqualTo(DecisionOutcome.DECLINED);
      node.auditLog.checkpointNow();
      assertThat(node.auditLog.size()).isGreaterThan(leavesBefore);
    }

    PublicKey published = Pem.readPublicKey(Files.readString(PlatformKeyStore.auditPublicKeyFile(dataDir)), auditSuite);
    try (Database db = Database.open("jdbc:sqlite:" + database, 1)) {
      IotBooks.Audit audit = IotBooks.verifyAudit(db, new KeyPair(published, null), auditSuite);
      assertThat(audit.verified()).as(audit.detail()).isTrue();
      assertThat(audit.leaves()).isGreaterThan(leavesBefore);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void nodeOnFreshKeys_cannotReopenTheLogSignedByOthers(AlgorithmSuite auditSuite) throws Exception {
    Path database = dataDir.resolve("node.db");
    ManualBusinessClock clock = new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT);
    try (IotNode node = new IotNode(database, clock, PlatformKeyStore.openOrCreate(dataDir, newMasterKey(), auditSuite, T0, RANDOM),
        RiskConfig.defaults(), RANDOM)) {
      decide(node, 1);
      node.auditLog.checkpointNow();
    }
    // What a start with regenerated keys would do: the checkpoints no longer verify under the new key.
    try (IotNode node = new IotNode(database, clock, PlatformKeys.generate(auditSuite, T0, RANDOM), RiskConfig.defaults(), RANDOM)) {
      decide(node, 2);
      node.auditLog.checkpointNow();
    }
    PublicKey first = Pem.readPublicKey(Files.readString(PlatformKeyStore.auditPublicKeyFile(dataDir)), auditSuite);
    try (Database db = Database.open("jdbc:sqlite:" + database, 1)) {
      assertThat(IotBooks.verifyAudit(db, new KeyPair(first, null), auditSuite).verified()).isFalse();
    }
  }

  private static PaymentDecision decide(IotNode node, long counter) {
    // No mandate binds this device: a declined decision, audited like any other.
    return node.decisions.decide(new PaymentIntent(new IdempotencyKey(new DeviceId("restart-probe"), counter), "shop-1",
        Money.ofMinor(500, CurrencyUnit.CNY), PaymentIntent.DEVICE_REQUEST, "order-" + counter, false, false));
  }
}
