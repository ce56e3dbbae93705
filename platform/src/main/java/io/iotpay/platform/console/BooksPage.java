package io.iotpay.platform.console;

import io.iotpay.console.ConsoleRenderer;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.money.Money;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.platform.console.ConsoleViews.AccountRow;
import io.iotpay.platform.console.ConsoleViews.BooksView;
import io.iotpay.platform.console.ConsoleViews.CheckpointRow;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The books: every ledger account's balances (searched by account id, paged in id order), whether
 * every book balances, the audit log's latest signed checkpoints, and {@code audit verify} on demand.
 */
final class BooksPage {
  private static final Logger LOG = LoggerFactory.getLogger(BooksPage.class);
  static final String PATH = OperatorConsole.ROOT + "/books";
  /** Accounts per page. */
  static final int PAGE_SIZE = 50;
  /** Checkpoints shown, newest first. */
  static final int CHECKPOINTS_SHOWN = 10;

  private final ConsoleServices services;
  private final ConsoleRenderer renderer;

  BooksPage(ConsoleServices services, ConsoleRenderer renderer) {
    this.services = services;
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, ctx -> show(ctx, null));
    app.post(PATH + "/verify", this::verify);
  }

  private void verify(Context ctx) throws Exception {
    AuditCheck.Result result = services.auditCheck().verify();
    LOG.info("Audit verified from the console [verified={}, leaves={}]", result.verified(), result.leaves());
    show(ctx, result);
  }

  private void show(Context ctx, AuditCheck.Result verification) throws Exception {
    String query = ConsoleInput.query(ctx, "q");
    Long accountId = ConsoleInput.positiveLong("account", query);
    Long after = ConsoleInput.positiveLong("after", ctx.queryParam("after"));
    Map<Long, AccountBalance> balances = services.ledger().balances();
    NavigableMap<Long, AccountBalance> sorted = new TreeMap<>(balances);
    NavigableMap<Long, AccountBalance> shown = accountId != null ? sorted.subMap(accountId, true, accountId, true)
        : after == null ? sorted : sorted.tailMap(after, false);
    List<AccountRow> rows = shown.values().stream().limit(PAGE_SIZE).map(BooksPage::row).toList();
    Long nextAfter = shown.size() > PAGE_SIZE ? rows.get(rows.size() - 1).id() : null;
    List<Checkpoint> checkpoints = services.auditLog().checkpoints();
    List<CheckpointRow> latest = new ArrayList<>();
    for (int i = checkpoints.size() - 1; i >= 0 && latest.size() < CHECKPOINTS_SHOWN; i--) {
      Checkpoint c = checkpoints.get(i);
      latest.add(new CheckpointRow(c.number(), c.treeSize(), Hex.encode(c.rootHash()), ConsoleFormat.time(Instant.ofEpochMilli(c.timestampMs())),
          c.keyId()));
    }
    BooksView view = new BooksView(rows, query, nextAfter, balances.size(), balanced(balances.values()), latest,
        services.auditLog().size(), services.auditLog().suite().name(), services.auditLog().keyId(), verification);
    renderer.page(ctx, "books.jte", DevicePages.frame(ctx, "Books"), view);
  }

  private static AccountRow row(AccountBalance b) {
    var currency = b.account().currency();
    return new AccountRow(b.account().id(), b.account().bookId(), currency.alphaCode(),
        Money.ofMinor(b.debitsPendingMinor(), currency).toPlainString(), Money.ofMinor(b.debitsPostedMinor(), currency).toPlainString(),
        Money.ofMinor(b.creditsPendingMinor(), currency).toPlainString(), Money.ofMinor(b.creditsPostedMinor(), currency).toPlainString(),
        Money.ofMinor(b.creditsPostedMinor() - b.debitsPostedMinor(), currency).toPlainString());
  }

  /** Per book and currency, posted debits equal posted credits and pending debits equal pending credits. */
  static boolean balanced(Collection<AccountBalance> balances) {
    Map<String, long[]> sums = new HashMap<>();
    for (AccountBalance balance : balances) {
      long[] sum = sums.computeIfAbsent(balance.account().bookId() + "/" + balance.account().currency().alphaCode(), k -> new long[4]);
      sum[0] += balance.debitsPendingMinor();
      sum[1] += balance.creditsPendingMinor();
      sum[2] += balance.debitsPostedMinor();
      sum[3] += balance.creditsPostedMinor();
    }
    return sums.values().stream().allMatch(s -> s[0] == s[1] && s[2] == s[3]);
  }
}
