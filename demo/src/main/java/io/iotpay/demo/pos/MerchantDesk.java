package io.iotpay.demo.pos;

import io.iotpay.bench.pos.AcquirerApi;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.phone.pos.AcquirerHttp;
import io.iotpay.phone.pos.HttpAcquirerClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Merchants meet the acquirer's onboarding HTTP API as an acquiring app does: each registers online
 * and the automatic review decides; an operator decides over the same API what the checks could
 * not (a failed penny test) and suspends a merchant. Nothing here is counted for the report: the
 * report reads the acquirer's records.
 */
final class MerchantDesk {
  /** The institution id of the merchants' bank: the switch routes account verifications for it to the last issuer node. */
  static final String BANK = "10200000";
  /** An owner on the acquirer's sanctions list file. */
  static final String SANCTIONED_OWNER = "11010519491231002X";
  static final String SERVED_MCC = "5812";

  /** An activated merchant: its id and the bearer token its app uses. */
  record Signed(String merchantId, String token) {}

  private final AcquirerApi api;
  private final URI base;
  private final String operatorToken;
  final List<String> notes = new ArrayList<>();

  MerchantDesk(URI base, String operatorToken) {
    this.base = base;
    this.api = new AcquirerApi(base);
    this.operatorToken = operatorToken;
  }

  static String licence(int n) {
    return String.format("91310000MA1K%06d", n);
  }

  static String account(int n) {
    return String.format("62220000%08d", n);
  }

  /** The penny test applicant's account: its bank holds no such account (answered 14). */
  static final String UNKNOWN_ACCOUNT = "6222999999999999";

  /**
   * The merchants' bank opens the settlement account of every merchant and applicant numbered up to
   * {@code merchantCount} or the applicants' last, all but the penny test applicant's.
   */
  static void openAccounts(io.iotpay.issuer.deposit.DepositAccounts bank, int merchantCount) {
    for (int m = 1; m <= Math.max(merchantCount, AcquirerNode.APPLICANT_BASE + 3); m++) {
      bank.open(account(m));
    }
  }

  /** Merchant {@code n} registers (its account opened at {@link #BANK}); the review must activate it. */
  Signed registerActive(int n, String name) {
    AcquirerApi.Answer answer = api.register(String.format("demo-pos-merchant-%04d", n), name, licence(n),
        String.format("3101011990%06d12", n), SERVED_MCC, n + " Demo Road", BANK, account(n));
    if (answer.status() != 201 || !"ACTIVATED".equals(answer.text("state"))) {
      throw new IllegalStateException("demo merchant " + n + " was not activated: " + answer.body());
    }
    return new Signed(answer.text("merchant_id"), answer.text("merchant_token"));
  }

  /** The SDK's client of the API for a merchant's phone (enrolment, monitoring service). */
  HttpAcquirerClient client(Signed merchant, AlgorithmSuite suite) {
    return new HttpAcquirerClient(AcquirerHttp.jdk(base, Duration.ofSeconds(30)), merchant.token(), suite);
  }

  /**
   * Four applicants the review must not activate, numbered from {@code first}: a licence another
   * merchant holds ({@code heldLicence}), a sanctioned owner, an MCC the acquirer does not serve
   * (each rejected by the automatic checks), and a settlement account its bank does not know (its
   * answer to the penny test, 14, leaves it in review; the operator then rejects it).
   */
  void applicantsToRefuse(int first, int heldLicence) {
    register(first, licence(heldLicence), "3101011990999901", SERVED_MCC, account(first), "REJECTED");
    register(first + 1, licence(first + 1), SANCTIONED_OWNER, SERVED_MCC, account(first + 1), "REJECTED");
    register(first + 2, licence(first + 2), "3101011990999903", "5411", account(first + 2), "REJECTED");
    AcquirerApi.Answer pending = register(first + 3, licence(first + 3), "3101011990999904", SERVED_MCC, UNKNOWN_ACCOUNT,
        "IN_REVIEW");
    String answer = pending.body().toString();
    if (!answer.contains("has no such account") || !answer.contains("code 14")) {
      notes.add("the penny test applicant's bank did not answer 14 (no such account): " + answer);
    }
    operator("/v1/pos/merchants/" + pending.text("merchant_id") + "/reject", "penny test failed: no such account");
  }

  private AcquirerApi.Answer register(int n, String licence, String owner, String mcc, String account, String expected) {
    AcquirerApi.Answer answer = api.register(String.format("demo-pos-applicant-%04d", n), "Applicant " + n, licence, owner,
        mcc, n + " Applicant Lane", BANK, account);
    if (!expected.equals(answer.text("state"))) {
      notes.add("applicant " + n + " ended " + answer.text("state") + ", not " + expected + ": " + answer.body());
    }
    return answer;
  }

  /** An operator's action (approve, reject, suspend, block) over the API, with its reason. */
  void operator(String path, String reason) {
    AcquirerApi.Answer answer = api.operator(path, operatorToken, reason);
    if (answer.status() != 200) {
      notes.add("operator action " + path + " answered " + answer.status() + ": " + answer.body());
    }
  }
}
