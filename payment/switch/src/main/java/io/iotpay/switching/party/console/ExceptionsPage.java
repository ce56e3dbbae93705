package io.iotpay.switching.party.console;

import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.FormInput;
import io.iotpay.switching.online.SettlementWindowStore;
import io.iotpay.switching.online.SettlementWindowStore.Refused;
import io.iotpay.switching.party.console.SwitchViews.ExceptionsView;
import io.iotpay.switching.party.console.SwitchViews.RefusedRow;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The exceptions: presentments the switch rejected (no authorisation, already captured, unknown card
 * range, …) or their issuer did not accept, with the reason, per business date, paged in (acquirer,
 * presentment id) order. PANs masked.
 */
final class ExceptionsPage {
  static final String PATH = SwitchConsole.ROOT + "/exceptions";
  /** Presentments per page. */
  static final int PAGE_SIZE = 50;
  private static final Pattern AFTER = Pattern.compile("([A-Z0-9-]{1,16})/([ -~]{1,40})");

  private final SwitchConsole.Services services;
  private final ConsoleRenderer renderer;

  ExceptionsPage(SwitchConsole.Services services, ConsoleRenderer renderer) {
    this.services = services;
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, this::list);
  }

  private void list(Context ctx) {
    LocalDate date = SwitchConsole.date("date", ctx.queryParam("date"));
    String after = FormInput.query(ctx, "after");
    var match = AFTER.matcher(after);
    if (!after.isEmpty() && !match.matches()) {
      throw new ConsoleInputException("after must be ACQUIRER/PRESENTMENT-ID");
    }
    SettlementWindowStore store = services.store();
    List<Refused> page = after.isEmpty() ? store.refused(date, null, null, PAGE_SIZE)
        : store.refused(date, match.group(1), match.group(2), PAGE_SIZE);
    String nextAfter = page.size() == PAGE_SIZE
        ? page.get(page.size() - 1).acquirer() + "/" + page.get(page.size() - 1).presentmentId() : null;
    int digits = services.currencyMinorDigits();
    List<RefusedRow> rows = page.stream().map(r -> new RefusedRow(r.acquirer(), r.presentmentId(), r.kind(),
        SwitchConsole.text(r.issuer()), r.businessDate().toString(), r.panMasked(), SwitchConsole.amount(r.amountMinor(), digits)
            + " " + r.currency(), r.status(), SwitchConsole.text(r.issuerStatus()), r.rrn(), r.terminalId())).toList();
    renderer.page(ctx, "exceptions.jte", SwitchConsole.frame(ctx, "Exceptions", "exceptions"),
        new ExceptionsView(date == null ? "" : date.toString(), rows, nextAfter));
  }
}
