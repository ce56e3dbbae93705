package io.iotpay.platform.console;

import java.util.List;

/**
 * What the console's templates show: plain text and numbers, already formatted, so a template has no
 * logic beyond loops and conditions (and no way to print an object that holds a secret). Public because
 * the precompiled templates live in a package of their own.
 */
public final class ConsoleViews {
  private ConsoleViews() {}

  /**
   * What every page's frame needs.
   *
   * @param title the page's title
   * @param page the navigation entry to mark (devices, payments, books, live), or empty
   * @param csrfToken the session's CSRF token, put in every form
   * @param who who is logged in ("operator", or a user's id), or "" before login
   * @param readOnly whether the session may only read (a user's): pages then show no form that acts
   */
  public record Frame(String title, String page, String csrfToken, String who, boolean readOnly) {
    /** A frame before login. */
    public Frame(String title, String page, String csrfToken) {
      this(title, page, csrfToken, "", false);
    }
  }

  /** A count by name (an outcome, a refusal reason). */
  public record Count(String name, long count) {}

  /** One device in a list. Times are ISO-8601 UTC, or "" when unknown. */
  public record DeviceRow(String id, String suite, String status, String statusReason, String connectivity, String lastSeen,
      String firmware, boolean tampered, boolean cloneSuspected) {}

  /**
   * The devices page.
   *
   * @param query the id or id prefix searched for, or ""
   * @param status the status filter, or ""
   * @param nextAfter the id to continue after, or null on the last page
   */
  public record DevicesView(List<DeviceRow> devices, String query, String status, String nextAfter, List<Count> refusalsByReason,
      long refusalsTotal) {}

  /** One refusal at a door. */
  public record RefusalRow(String at, String door, String reason, String detail) {}

  /** One recorded decision version. */
  public record DecisionRow(long auditIndex, String deviceId, long counter, int version, String outcome, String amount,
      String merchantId, String decidedAt, String reasons) {}

  /**
   * One of a device's mandates, as the platform stores it: amounts as decimal text with the currency.
   *
   * @param usedToday what the mandate's payments used on today's business date, or "" when it is revoked
   * @param usedThisMonth the same for this month of business dates
   */
  public record MandateRow(String id, String userId, long accountId, String status, String boundAt, String perPaymentMax,
      String perDayMax, String perMonthMax, String confirmationThreshold, String allowedMerchants, String allowedCategories,
      String usedToday, String usedThisMonth) {}

  /**
   * One device's page: its record, live state, mandates, clone evidence, refusals and latest decisions.
   *
   * @param cloneEvidence the clone suspicion's evidence, or "" when not suspected
   * @param refusalsByReason this device's refusals counted by reason, among those the security log holds
   */
  public record DeviceView(DeviceRow device, String registeredAt, String statusChangedAt, String location, long messagesReceived,
      long highestCounter, String cloneEvidence, List<MandateRow> mandates, List<Count> refusalsByReason, List<RefusalRow> refusals,
      List<DecisionRow> decisions) {}

  /** One row of a bulk registration: its line in the file, the id it named, and what happened. */
  public record BulkRow(int line, String deviceId, String suite, boolean registered, String reason, String detail) {}

  /**
   * The result of a bulk registration.
   *
   * @param auditIndex the upload's leaf in the audit log, or null when it could not be written
   */
  public record BulkView(List<BulkRow> rows, long registered, long refused, Long auditIndex) {}

  /**
   * The payments page: decisions newest first.
   *
   * @param device the device searched for, or ""
   * @param nextBefore the audit index to continue before, or null on the last page
   */
  public record PaymentsView(List<DecisionRow> decisions, String device, Long nextBefore, long total) {}

  /**
   * One decision version's proof.
   *
   * @param json the proof (docs/audit.md's format), pretty-printed
   * @param serverCheck what the platform's own check found ("verified", or the problem)
   */
  public record ProofView(int version, String outcome, String json, String serverCheck) {}

  /**
   * One payment: every decision version, the payment's state, and the proof of each version.
   *
   * @param paymentState HELD, CAPTURED, VOIDED, EXPIRED, or "" when nothing was approved
   * @param publicKeyPem the audit log's published public key (SubjectPublicKeyInfo PEM)
   * @param keyFingerprint SHA-256 of the key's DER, hex, to compare with the one {@code iotpay serve} published
   * @param browserCheckable whether WebCrypto can check it (the INTERNATIONAL suite: ECDSA P-256, SHA-256)
   */
  public record PaymentView(String deviceId, long counter, String merchantId, String amount, String reference, String paymentState,
      List<DecisionRow> versions, List<ProofView> proofs, String suite, String keyId, String publicKeyPem, String keyFingerprint,
      boolean browserCheckable) {}

  /** One ledger account's balances, as decimal text. */
  public record AccountRow(long id, long bookId, String currency, String debitsPending, String debitsPosted, String creditsPending,
      String creditsPosted, String net) {}

  /** One signed audit checkpoint. */
  public record CheckpointRow(long number, long treeSize, String root, String signedAt, String keyId) {}

  /**
   * The books page.
   *
   * @param query the account id searched for, or ""
   * @param nextAfter the account id to continue after, or null on the last page
   * @param balanced whether every book balances per currency (posted and pending debits equal credits)
   * @param verification the last {@code audit verify} run from this page, or null
   */
  public record BooksView(List<AccountRow> accounts, String query, Long nextAfter, long accountsTotal, boolean balanced,
      List<CheckpointRow> checkpoints, long auditLeaves, String auditSuite, String keyId, AuditCheck.Result verification) {}

  /**
   * The live page's numbers now (the charts poll the same as JSON).
   *
   * @param refusals refusals counted by door and reason, named {@code "<door> <reason>"}
   * @param connects connections the doors accepted, by door
   */
  public record LiveView(long messagesReceived, long devicesSeen, List<Count> decisions, List<Count> refusals, List<Count> connects) {}
}
