package io.iotpay.issuer.party.console;

import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.FormInput;
import io.iotpay.issuer.party.console.IssuerViews.AccountRow;
import io.iotpay.issuer.party.console.IssuerViews.AuditRow;
import io.iotpay.issuer.party.console.IssuerViews.BooksView;
import io.iotpay.issuer.party.console.IssuerViews.Totals;
import io.iotpay.issuer.party.console.IssuerViews.Verdict;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.VerificationReport;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The books: the ledger's accounts and balances in account order (paged, searched by account id),
 * their totals with whether debits equal credits, the audit log's size and latest signed checkpoint,
 * and the "audit verify" form (a POST with the session's CSRF token) that verifies the whole log with
 * the issuer's public key and shows the verdict.
 */
final class BooksPage {
  static final String PATH = IssuerConsole.ROOT + "/books";
  static final String VERIFY_PATH = PATH + "/verify";
  /** Accounts per page. */
  static final int PAGE_SIZE = 50;

  private final IssuerConsole.Services services;
  private final ConsoleRenderer renderer;
  /** One verification at a time: it reads the whole log, and a second click would only double the work. */
  private final ReentrantLock verifying = new ReentrantLock();

  BooksPage(IssuerConsole.Services services, ConsoleRenderer renderer) {
    this.services = services;
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, ctx -> show(ctx, null));
    app.post(VERIFY_PATH, this::verify);
  }

  private void verify(Context ctx) {
    if (!verifying.tryLock()) {
      throw new ConsoleInputException(409, "a verification is running: try again when it has finished");
    }
    VerificationReport report;
    try {
      report = services.verify().get();
    } finally {
      verifying.unlock();
    }
    show(ctx, new Verdict(report.verified(), report.leavesChecked(), report.checkpointsChecked(),
        report.signedTreeSize(), report.failure().map(VerificationReport.Failure::describe).orElse("")));
  }

  private void show(Context ctx, Verdict verdict) {
    Long account = FormInput.positiveLong("account", ctx.queryParam("account"));
    Long after = FormInput.positiveLong("after", ctx.queryParam("after"));
    TreeMap<Long, AccountBalance> all = new TreeMap<>(services.balances().get());
    Map<Long, AccountBalance> shown = account != null ? (all.containsKey(account) ? Map.of(account, all.get(account)) : Map.of())
        : all.tailMap(after == null ? Long.MIN_VALUE : after, after == null);
    List<AccountRow> rows = new ArrayList<>();
    for (AccountBalance b : shown.values()) {
      if (rows.size() == PAGE_SIZE) {
        break;
      }
      rows.add(row(b));
    }
    String nextAfter = account == null && rows.size() == PAGE_SIZE && all.higherKey(rows.get(PAGE_SIZE - 1).id()) != null
        ? Long.toString(rows.get(PAGE_SIZE - 1).id()) : null;
    renderer.page(ctx, "books.jte", IssuerConsole.frame(ctx, "Books", "books"), new BooksView(services.currency(),
        account == null ? "" : account.toString(), rows, nextAfter, totals(all), audit(), verdict));
  }

  private AccountRow row(AccountBalance b) {
    int digits = services.currencyMinorDigits();
    return new AccountRow(b.account().id(), services.accountName().apply(b.account().id()), IssuerConsole.amount(b.debitsPostedMinor(), digits),
        IssuerConsole.amount(b.creditsPostedMinor(), digits), IssuerConsole.amount(b.debitsPendingMinor(), digits),
        IssuerConsole.amount(b.creditsPendingMinor(), digits), IssuerConsole.amount(b.creditBalanceMinor(), digits));
  }

  private Totals totals(Map<Long, AccountBalance> all) {
    long dq = 0;
    long cq = 0;
    long dp = 0;
    long cp = 0;
    for (AccountBalance b : all.values()) {
      dq = Math.addExact(dq, b.debitsPostedMinor());
      cq = Math.addExact(cq, b.creditsPostedMinor());
      dp = Math.addExact(dp, b.debitsPendingMinor());
      cp = Math.addExact(cp, b.creditsPendingMinor());
    }
    int digits = services.currencyMinorDigits();
    return new Totals(all.size(), IssuerConsole.amount(dq, digits), IssuerConsole.amount(cq, digits),
        IssuerConsole.amount(dp, digits), IssuerConsole.amount(cp, digits), dq == cq && dp == cp);
  }

  private AuditRow audit() {
    String checkpoint = services.audit().latestCheckpoint().map(BooksPage::describe).orElse("none yet");
    return new AuditRow(services.audit().size(), services.audit().checkpointedSize(), checkpoint);
  }

  private static String describe(Checkpoint c) {
    return "#" + c.number() + " over " + c.treeSize() + " leaves at "
        + FormInput.time(Instant.ofEpochMilli(c.timestampMs())) + ", root " + HexFormat.of().formatHex(c.rootHash())
        + ", " + c.suite() + " key " + c.keyId();
  }
}
