package io.iotpay.acquirer.pos.online;

import io.iotpay.acquirer.pos.merchant.AccountCheckResult;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.acquirer.pos.merchant.SettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.Verdict;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import io.iotpay.protocol.iso8583.AccountVerificationResponse;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Exception;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;

/**
 * The penny test over the scheme: an account verification (0100, zero amount, the account in field
 * 103 and its bank in field 100) from the acquirer through the switch to the bank that holds the
 * account, on a MACed link of its own to the switch. Only that bank's answer decides: 00 → PASS;
 * 14 (no such account), 46 (closed), 62 (blocked) and 15 (no such bank in the scheme) → FAIL; 91
 * (the bank did not answer: the switch never stands in for it), no answer, a lost link or a MAC
 * failure → UNDECIDED, which onboarding leaves to a human. An unanswered request is sent again with
 * the same STAN and field 7, at most {@code attemptsMax} times in all, so a bank that did answer
 * the first time (its 0110 lost) answers the repeat from its records and nothing happens twice.
 * No money moves: published practice replaced low-value "penny" authorisations by zero-amount
 * account verifications (docs/merchant-onboarding.md, "The penny test").
 */
public final class IsoSettlementAccountCheck implements SettlementAccountCheck, AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IsoSettlementAccountCheck.class);
  /** Most sends of one verification. */
  public static final int ATTEMPTS_MAX = 10;

  /** The verdict of each answer the bank (or the switch) may give; anything else is UNDECIDED. */
  private static final Map<ResponseCode, Verdict> VERDICTS = Map.of(
      ResponseCode.APPROVED, Verdict.PASS,
      ResponseCode.INVALID_CARD_NUMBER, Verdict.FAIL,
      ResponseCode.CLOSED_ACCOUNT, Verdict.FAIL,
      ResponseCode.RESTRICTED_CARD, Verdict.FAIL,
      ResponseCode.NO_SUCH_ISSUER, Verdict.FAIL);
  private static final Map<ResponseCode, String> REASONS = Map.of(
      ResponseCode.APPROVED, "confirmed the account %s is open (account verification)",
      ResponseCode.INVALID_CARD_NUMBER, "has no such account %s (account verification, code 14)",
      ResponseCode.CLOSED_ACCOUNT, "reports the account %s closed (account verification, code 46)",
      ResponseCode.RESTRICTED_CARD, "reports the account %s blocked (account verification, code 62)",
      ResponseCode.NO_SUCH_ISSUER, "is not a member of the scheme: no route for %s (code 15)");

  private final Iso8583Client client;
  private final String institutionId;
  private final String nodeId;
  private final CurrencyUnit currency;
  private final int attemptsMax;
  private final Clock clock;

  /**
   * @param client the link to the switch (MACed; its own connection, its node id in field 41)
   * @param institutionId field 32, the acquirer's institution id
   * @param nodeId field 41, 8 printable characters
   * @param attemptsMax sends of one verification in all, 1..{@value #ATTEMPTS_MAX}
   */
  public IsoSettlementAccountCheck(Iso8583Client client, String institutionId, String nodeId, CurrencyUnit currency,
      int attemptsMax, Clock clock) {
    this.client = Assert.notNull(client, "client");
    this.institutionId = Assert.notNull(institutionId, "institutionId");
    this.nodeId = Assert.notNull(nodeId, "nodeId");
    this.currency = Assert.notNull(currency, "currency");
    Assert.that(attemptsMax >= 1 && attemptsMax <= ATTEMPTS_MAX, "attemptsMax {} outside 1..{}", attemptsMax, ATTEMPTS_MAX);
    this.attemptsMax = attemptsMax;
    this.clock = Assert.notNull(clock, "clock");
  }

  /** A check on a new link to the switch at {@code switchAddress}: {@code settings} name the institution and node. */
  public static IsoSettlementAccountCheck connect(InetSocketAddress switchAddress, LinkSettings settings, ZoneKeys keys,
      Iso8583Wire wire, CurrencyUnit currency, int attemptsMax, Clock clock) {
    return new IsoSettlementAccountCheck(new Iso8583Client(switchAddress, settings, keys, wire), settings.institutionId(),
        settings.nodeId(), currency, attemptsMax, clock);
  }

  @Override
  public AccountCheckResult check(SettlementAccount account) {
    AccountVerificationRequest request;
    try {
      int stan = client.nextStan();
      request = new AccountVerificationRequest(MonthDayTime.utc(clock.instant()), stan, institutionId,
          String.format("AV%010d", stan), nodeId, account.bankId(), account.accountNumber(), currency);
    } catch (Iso8583Exception e) {
      // SettlementAccount and field 103 agree on 6..34 of [0-9A-Z]; a mismatch is a programmer error.
      throw new AssertionError("settlement account does not fit an account verification: " + e.detail(), e);
    }
    String bank = "bank " + account.bankId();
    String last = "no answer";
    for (int attempt = 1; attempt <= attemptsMax; attempt++) {
      Outcome outcome = client.send(request);
      if (outcome instanceof Outcome.Answered answered && answered.response() instanceof AccountVerificationResponse r
          && r.answers(request)) {
        if (r.responseCode() != ResponseCode.ISSUER_UNAVAILABLE) {
          return result(bank, account, r, attempt);
        }
        last = "the switch answered 91 (issuer inoperative)";
      } else if (outcome instanceof Outcome.MacRefused refused) {
        LOG.warn("Penny test refused on the MAC [bank={}, account={}, stan={}, reason={}]", account.bankId(),
            account.masked(), request.stan(), refused.reason());
        return new AccountCheckResult(Verdict.UNDECIDED, bank + ": the penny test's message failed its MAC ("
            + refused.reason() + ")");
      } else {
        last = outcome.getClass().getSimpleName();
      }
      LOG.info("Penny test unanswered [bank={}, account={}, stan={}, attempt={}, cause={}]", account.bankId(),
          account.masked(), request.stan(), attempt, last);
    }
    return new AccountCheckResult(Verdict.UNDECIDED, bank + " did not answer the penny test (" + attemptsMax
        + " tries, last: " + last + ")");
  }

  private static AccountCheckResult result(String bank, SettlementAccount account, AccountVerificationResponse r,
      int attempt) {
    Verdict verdict = VERDICTS.getOrDefault(r.responseCode(), Verdict.UNDECIDED);
    String reason = REASONS.containsKey(r.responseCode())
        ? bank + " " + String.format(REASONS.get(r.responseCode()), account.masked())
        : bank + " answered the penny test with code " + r.responseCode().code() + " (" + r.responseCode().meaning() + ")";
    LOG.info("Penny test answered [bank={}, account={}, stan={}, code={}, verdict={}, attempt={}]", account.bankId(),
        account.masked(), r.stan(), r.responseCode().code(), verdict, attempt);
    return new AccountCheckResult(verdict, reason);
  }

  /** The link to the switch. */
  public Iso8583Client client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
  }
}
