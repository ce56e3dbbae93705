package io.iotpay.acquirer.pos.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.acquirer.pos.AcquirerPosServer;
import io.iotpay.acquirer.pos.http.LogCapture;
import io.iotpay.acquirer.pos.merchant.AccountCheckResult;
import io.iotpay.acquirer.pos.merchant.AuditEvent;
import io.iotpay.acquirer.pos.merchant.Check;
import io.iotpay.acquirer.pos.merchant.Finding;
import io.iotpay.acquirer.pos.merchant.Merchant;
import io.iotpay.acquirer.pos.merchant.MerchantState;
import io.iotpay.acquirer.pos.merchant.OnboardingException;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Registration;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.acquirer.pos.merchant.Verdict;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.deposit.DepositAccounts;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import io.iotpay.protocol.iso8583.Iso8583Exception;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The penny test over real TCP, every link MACed under both suites: {@link IsoSettlementAccountCheck}
 * → a {@link FrameProxy} that can lose or forge answers → the {@link io.iotpay.switching.online.OnlineSwitch}
 * (routing field 100) → the issuer's {@link io.iotpay.issuer.authorisation.card.CardAuthorisationService}
 * answering from its {@link DepositAccounts}. The world is {@link OnlineWorld}'s.
 */
class IsoSettlementAccountCheckTest {
  private static final String OPEN = "6222000011112222";
  private static final String CLOSED = "6222000033334444";
  private static final String BLOCKED = "6222000055556666";
  private static final String UNKNOWN = "6222999999999999";
  /** The check's own timeout per send: short, so the lost answer is retried quickly. */
  private static final long CHECK_TIMEOUT_MS = 1_500;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void eachAccountState_isAnsweredByTheIssuerFromItsRecords(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld world = world(suite); IsoSettlementAccountCheck check = check(world, world.zoneKeys(1));
        LogCapture logs = new LogCapture()) {
      assertThat(check.check(account(OPEN))).satisfies(pass("confirmed the account ************2222 is open"));
      assertThat(check.check(account(UNKNOWN))).satisfies(fail("has no such account ************9999"));
      assertThat(check.check(account(CLOSED))).satisfies(fail("reports the account ************4444 closed"));
      assertThat(check.check(account(BLOCKED))).satisfies(fail("reports the account ************6666 blocked"));
      assertThat(check.check(new SettlementAccount("10300000", OPEN))).satisfies(fail("is not a member of the scheme"));
      // Four reached the issuer; the unrouted bank's was answered 15 by the switch.
      assertThat(world.issuer.deposits().verifications()).isEqualTo(4);
      assertThat(String.join("\n", logs.lines())).contains("************2222").doesNotContain(OPEN).doesNotContain(UNKNOWN)
          .doesNotContain(CLOSED).doesNotContain(BLOCKED);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onboarding_activatesAnOpenAccount_leavesAFailedOneToTheOperator_andAuditsBoth(AlgorithmSuite suite)
      throws Exception {
    try (OnlineWorld world = world(suite); IsoSettlementAccountCheck check = check(world, world.zoneKeys(1));
        AcquirerPosServer registry = registry(world, check)) {
      OnboardingService onboarding = registry.service();
      Merchant open = onboarding.register("penny-open-1", registration(1, OPEN)).merchant();
      Merchant unknown = onboarding.register("penny-unknown-2", registration(2, UNKNOWN)).merchant();

      assertThat(open.state()).isEqualTo(MerchantState.ACTIVATED);
      assertThat(finding(onboarding, open)).satisfies(f -> assertThat(f.verdict()).isEqualTo(Verdict.PASS));
      assertThat(unknown.state()).isEqualTo(MerchantState.IN_REVIEW);
      assertThat(finding(onboarding, unknown).reason()).contains("has no such account ************9999");
      Merchant rejected = onboarding.reject(unknown.id(), "alice", "penny test failed: no such account");
      assertThat(rejected.state()).isEqualTo(MerchantState.REJECTED);
      assertThat(onboarding.history(unknown.id())).extracting(AuditEvent::to)
          .containsExactly("REGISTERED", "IN_REVIEW", "REJECTED");
      // A retried registration asks nobody again.
      long asked = world.issuer.deposits().verifications();
      assertThat(onboarding.register("penny-open-1", registration(1, OPEN)).created()).isFalse();
      assertThat(world.issuer.deposits().verifications()).isEqualTo(asked).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuerStopped_isUndecided_neverApprovedByStandIn_andTheMerchantWaitsForAHuman(AlgorithmSuite suite)
      throws Exception {
    try (OnlineWorld world = world(suite); IsoSettlementAccountCheck check = check(world, world.zoneKeys(1));
        AcquirerPosServer registry = registry(world, check)) {
      world.issuerServer.close();
      AccountCheckResult result = check.check(account(OPEN));
      assertThat(result.verdict()).isEqualTo(Verdict.UNDECIDED);
      assertThat(result.reason()).contains("did not answer the penny test (3 tries");
      Merchant merchant = registry.service().register("penny-down-1", registration(1, OPEN)).merchant();
      assertThat(merchant.state()).isEqualTo(MerchantState.IN_REVIEW);
      assertThat(finding(registry.service(), merchant).verdict()).isEqualTo(Verdict.UNDECIDED);
      assertThat(world.issuer.deposits().verifications()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lostAnswer_isAskedAgainWithTheSameKeys_andTheIssuerAnswersItOnce(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld world = world(suite); IsoSettlementAccountCheck check = check(world, world.zoneKeys(1))) {
      world.proxy.dropBack("0110", 1);
      AccountCheckResult result = check.check(account(OPEN));
      assertThat(world.proxy.dropped).containsExactly("0110");
      assertThat(result.verdict()).isEqualTo(Verdict.PASS);
      assertThat(world.issuer.deposits().verifications()).isEqualTo(1);
      assertThat(check.client().stats().unmatched()).isLessThanOrEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void forgedMacs_onTheRequestOrTheAnswer_areRefused_andNeverPass(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld world = world(suite)) {
      ZoneKeys wrong = OnlineWorld.zoneKeys(suite, 9);
      try (IsoSettlementAccountCheck forger = check(world, wrong)) {
        // Under keys the switch does not hold, not even the sign-on passes: no request gets through.
        AccountCheckResult refused = forger.check(account(OPEN));
        assertThat(refused.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(world.issuer.deposits().verifications()).isZero();
      }
      try (IsoSettlementAccountCheck check = check(world, world.zoneKeys(1))) {
        world.proxy.corruptForward("0100", 1);
        AccountCheckResult refused = check.check(account(OPEN));
        assertThat(refused.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(refused.reason()).contains("failed its MAC");
        assertThat(world.issuer.deposits().verifications()).isZero();

        world.proxy.corruptBack("0110", 1);
        AccountCheckResult forged = check.check(account(OPEN));
        assertThat(forged.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(forged.reason()).contains("failed its MAC");
        assertThat(world.issuer.deposits().verifications()).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void malformedAccountNumbers_areTypedErrors_andChangeNothing(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld world = world(suite); IsoSettlementAccountCheck check = check(world, world.zoneKeys(1));
        AcquirerPosServer registry = registry(world, check)) {
      MonthDayTime at = MonthDayTime.utc(Instant.parse("2026-12-07T09:00:00Z"));
      for (String bad : List.of("6222-0000-1111", "62220", "6222000011112222X6222000011112222X9", "6222ab001111")) {
        assertThatThrownBy(() -> new AccountVerificationRequest(at, 1, "48020000", "AV0000000001", "ACQPENNY",
            "10200000", bad, CurrencyUnit.CNY)).isInstanceOf(Iso8583Exception.class)
            .hasMessageContaining("field 103").hasMessageNotContaining(bad);
        assertThatThrownBy(() -> world.issuer.deposits().open(bad)).isInstanceOf(IssuerInputException.class);
      }
      assertThatThrownBy(() -> world.issuer.deposits().put(OPEN, null)).isInstanceOf(IssuerInputException.class);
      assertThatThrownBy(() -> registry.service().register("penny-bad-1", registration(1, "6222_0000_1111")))
          .isInstanceOf(OnboardingException.class);
      assertThat(registry.service().list(null, null, null, 100)).isEmpty();
      assertThat(world.issuer.deposits().state(OPEN)).contains(DepositAccounts.State.OPEN);
      assertThat(world.issuer.deposits().state(UNKNOWN)).isEmpty();
      assertThat(world.issuer.deposits().verifications()).isZero();
    }
  }

  private OnlineWorld world(AlgorithmSuite suite) throws Exception {
    OnlineWorld world = OnlineWorld.onSqlite(suite, dir);
    DepositAccounts deposits = world.issuer.deposits();
    deposits.open(OPEN);
    deposits.put(CLOSED, DepositAccounts.State.CLOSED);
    deposits.put(BLOCKED, DepositAccounts.State.BLOCKED);
    return world;
  }

  private static IsoSettlementAccountCheck check(OnlineWorld world, ZoneKeys keys) {
    return IsoSettlementAccountCheck.connect(world.proxy.address(), LinkSettings.defaults(OnlineWorld.INSTITUTION,
        "ACQPENNY").withRequestTimeoutMs(CHECK_TIMEOUT_MS).withEchoIntervalMs(0), keys, OnlineWorld.WIRE,
        CurrencyUnit.CNY, 3, Clock.systemUTC());
  }

  private AcquirerPosServer registry(OnlineWorld world, IsoSettlementAccountCheck check) throws Exception {
    Path home = world.dir.resolve("penny-registry");
    return AcquirerPosServer.start(new AcquirerPosServer.Settings("jdbc:sqlite:" + home.resolve("pos.db"), "127.0.0.1",
        0, world.suite, home.resolve("keys"), null, Set.of("5812"), Map.of("alice", "alice-operator-token-0123456789abcdef"),
        check));
  }

  private static SettlementAccount account(String number) {
    return new SettlementAccount(OnlineWorld.BANK, number);
  }

  private static Registration registration(int n, String account) {
    return new Registration("Penny Shop " + n, String.format("91310000MA1P%06d", n), String.format("3101011990%06d12", n),
        "5812", n + " Penny Road", new SettlementAccount(OnlineWorld.BANK, account));
  }

  private static Finding finding(OnboardingService onboarding, Merchant merchant) {
    return onboarding.findings(merchant.id()).stream().filter(f -> f.check() == Check.SETTLEMENT_ACCOUNT)
        .reduce((first, second) -> second).orElseThrow();
  }

  private static java.util.function.Consumer<AccountCheckResult> pass(String reason) {
    return r -> {
      assertThat(r.verdict()).isEqualTo(Verdict.PASS);
      assertThat(r.reason()).contains(reason);
    };
  }

  private static java.util.function.Consumer<AccountCheckResult> fail(String reason) {
    return r -> {
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.reason()).contains(reason);
    };
  }
}
