package io.iotpay.issuer.party.console;

import java.util.List;

/**
 * What the issuer console's templates show: plain text, already formatted, so a template has no logic
 * beyond loops and conditions and cannot print an object that holds a secret (PANs only masked).
 * Public because the precompiled templates live in a package of their own.
 */
public final class IssuerViews {
  private IssuerViews() {}

  /** One ledger account, amounts in major units. */
  public record AccountRow(long id, String name, String debitsPosted, String creditsPosted, String debitsPending,
      String creditsPending, String balance) {}

  /**
   * The books' totals over every account.
   *
   * @param balanced debits equal credits, posted and pending
   */
  public record Totals(int accounts, String debitsPosted, String creditsPosted, String debitsPending,
      String creditsPending, boolean balanced) {}

  /**
   * The audit log.
   *
   * @param checkpoint "#N over M leaves at T, root R, key K", or "none yet"
   */
  public record AuditRow(long size, long checkpointedSize, String checkpoint) {}

  /**
   * What {@code audit verify} found.
   *
   * @param failure the first failure described, or "" when verified
   */
  public record Verdict(boolean verified, long leavesChecked, long checkpointsChecked, long signedTreeSize,
      String failure) {}

  /**
   * The books page.
   *
   * @param account the account filter, or ""
   * @param nextAfter the account id to continue after, or null on the last page
   * @param verdict what a verification just found, or null
   */
  public record BooksView(String currency, String account, List<AccountRow> accounts, String nextAfter, Totals totals,
      AuditRow audit, Verdict verdict) {}

  /** One authorisation record, the card masked. */
  public record AuthorisationRow(String at, String mti, String kind, String stan, String acquirer, String card,
      String businessDay, String amount, String state, String responseCode, String approvalCode, boolean approved) {}

  /**
   * The authorisations page.
   *
   * @param nextPage the page number to go on with, or null on the last page
   */
  public record AuthorisationsView(String currency, String stan, String card, List<AuthorisationRow> records,
      Integer nextPage) {}
}
