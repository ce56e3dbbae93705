package io.iotpay.app.iot;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.issuer.authorisation.card.AccountAuthorisation;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.platform.decision.DecisionOutcome;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.decision.PaymentIntent;
import io.iotpay.platform.decision.PaymentState;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.mandate.MandateTerms;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.platform.state.DeviceObservation;
import io.iotpay.protocol.Pan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The node's payment decisions go to the issuer's card authorisation host in ISO 8583 over loopback
 * TCP (its account path): an approval holds at the host, a restart of the node finds the token again
 * (its look-up key outlives the restart, in an owner-only file), the capture moves the money once,
 * and the token is never stored in clear.
 */
class NodeAuthorisesThroughCardHostTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
  private static final long FUNDING = 900;
  private static final long PAYER = 901;
  private static final long SHOP = 902;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void holdAtTheCardHost_restart_captureOnce(AlgorithmSuite suite) throws Exception {
    Path database = dir.resolve("node.db");
    ManualBusinessClock clock = new ManualBusinessClock(T0, BusinessDayRule.UTC_MIDNIGHT);
    KeyPair auditKey = suite.signature().generateKeyPair(RANDOM);
    DeviceId washer = DeviceId.of("washer-1");
    Merchant shop = new Merchant("shop-1", "Shop", "5399", SHOP, null);
    MandateTerms terms = new MandateTerms(cny(5_000), cny(10_000), cny(50_000), cny(5_000), Set.of("shop-1"), Set.of());
    PaymentIntent intent = new PaymentIntent(new IdempotencyKey(washer, 1), "shop-1", cny(1_200),
        PaymentIntent.DEVICE_REQUEST, "order-1", false, false);
    Pan token = Pan.withCheckDigit(AccountAuthorisation.TOKEN_RANGE + String.format("%011d", PAYER));

    try (IotNode node = new IotNode(database, clock, suite, auditKey, RiskConfig.defaults(), RANDOM)) {
      assertThat(node.ledger.createAccounts(List.of(new Account(FUNDING, 1, CurrencyUnit.CNY, AccountFlags.NONE),
          new Account(PAYER, 1, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS),
          new Account(SHOP, 1, CurrencyUnit.CNY, AccountFlags.NONE))).get(30, TimeUnit.SECONDS))
          .containsOnly(AccountResult.OK);
      assertThat(node.ledger.submit(List.of(Transfer.single(1, FUNDING, PAYER, 10_000))).get(30, TimeUnit.SECONDS))
          .containsExactly(TransferResult.OK);
      node.merchants.put(shop);
      node.mandates.bind("carol", washer, PAYER, terms);
      online(node, washer, clock);

      PaymentDecision decision = node.decisions.decide(intent);
      assertThat(decision.outcome()).isEqualTo(DecisionOutcome.APPROVED);
      assertThat(node.decisions.decide(intent).holdTransferId()).as("the same intent again")
          .isEqualTo(decision.holdTransferId());
      assertThat(node.ledger.balance(PAYER).orElseThrow().debitsPendingMinor()).isEqualTo(1_200);
      assertThat(node.ledger.balance(SHOP).orElseThrow().creditsPendingMinor()).isEqualTo(1_200);
      assertThat(node.issuerHost.card(token)).as("the token, registered at the host").isPresent();
      assertThat(node.issuerHost.card(token).orElseThrow().panMasked()).isEqualTo(token.masked());
    }
    Path secrets = database.resolveSibling("node.db.issuer-secrets");
    assertThat(Files.getPosixFilePermissions(secrets))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("node.db") && Files.isRegularFile(f)).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as("no clear token in " + file)
            .doesNotContain(token.digits());
      }
    }

    try (IotNode node = new IotNode(database, clock, suite, auditKey, RiskConfig.defaults(), RANDOM)) {
      node.merchants.put(shop);
      assertThat(node.decisions.capture(intent.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(node.decisions.capture(intent.key()).state()).isEqualTo(PaymentState.CAPTURED);
      assertThat(node.ledger.balance(PAYER).orElseThrow().debitsPostedMinor()).isEqualTo(1_200);
      assertThat(node.ledger.balance(PAYER).orElseThrow().debitsPendingMinor()).isZero();
      assertThat(node.ledger.balance(SHOP).orElseThrow().creditsPostedMinor()).isEqualTo(1_200);
      assertThat(IotBooks.balanced(node.ledger)).isTrue();
      node.auditLog.checkpointNow();
    }
    try (Database db = Database.open("jdbc:sqlite:" + database, 1)) {
      IotBooks.Audit audit = IotBooks.verifyAudit(db, auditKey, suite);
      assertThat(audit.verified()).as(audit.detail()).isTrue();
    }
  }

  private static void online(IotNode node, DeviceId device, ManualBusinessClock clock) {
    node.states.observe(new DeviceObservation.Connected(device, clock.now(), "s1"));
    node.states.observe(new DeviceObservation.Message(device, clock.now(), "s1", 0));
  }

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }
}
