package io.iotpay.switching.party.console;

import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.FormInput;
import io.iotpay.switching.online.SettlementClose;
import io.iotpay.switching.online.SettlementWindowStore;
import io.iotpay.switching.online.SettlementWindowStore.Window;
import io.iotpay.switching.party.console.SwitchViews.PositionRow;
import io.iotpay.switching.party.console.SwitchViews.WindowRow;
import io.iotpay.switching.party.console.SwitchViews.WindowView;
import io.iotpay.switching.party.console.SwitchViews.WindowsView;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.LocalDate;
import java.util.List;

/**
 * The settlement windows: the list (newest business date first, paged) with the dates still open and
 * the form that closes one; and one window's participants with their gross and net positions and the
 * positions' sum, which is zero.
 */
final class SettlementPages {
  static final String PATH = SwitchConsole.ROOT + "/settlement";
  /** Windows per page. */
  static final int PAGE_SIZE = 30;
  /** Open dates shown. */
  static final int OPEN_DATES_MAX = 30;

  private final SwitchConsole.Services services;
  private final SettlementWindowStore store;
  private final ConsoleRenderer renderer;

  SettlementPages(SwitchConsole.Services services, ConsoleRenderer renderer) {
    this.services = services;
    this.store = services.store();
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, this::list);
    app.get(PATH + "/{date}", this::window);
    app.post(PATH + "/close", this::close);
  }

  private void list(Context ctx) {
    LocalDate before = SwitchConsole.date("before", ctx.queryParam("before"));
    List<Window> page = store.windows(before, PAGE_SIZE);
    String nextBefore = page.size() == PAGE_SIZE ? page.get(page.size() - 1).businessDate().toString() : null;
    List<String> open = store.openDates(OPEN_DATES_MAX).stream().map(LocalDate::toString).toList();
    renderer.page(ctx, "windows.jte", SwitchConsole.frame(ctx, "Settlement windows", "settlement"),
        new WindowsView(page.stream().map(SettlementPages::row).toList(), open,
            LocalDate.now(services.clock()).toString(), nextBefore));
  }

  private void window(Context ctx) {
    LocalDate date = SwitchConsole.date("date", ctx.pathParam("date"));
    Window w = store.window(date).orElseThrow(() -> new ConsoleInputException(404, "no settlement window for " + date));
    int digits = services.currencyMinorDigits();
    List<PositionRow> positions = w.positions().stream().map(p -> new PositionRow(p.party(), p.role(),
        SwitchConsole.amount(p.paysMinor(), digits), SwitchConsole.amount(p.receivesMinor(), digits),
        SwitchConsole.amount(p.netMinor(), digits), p.netMinor() > 0)).toList();
    renderer.page(ctx, "window.jte", SwitchConsole.frame(ctx, "Settlement window " + w.windowId(), "settlement"),
        new WindowView(row(w), w.currency(), positions, SwitchConsole.amount(w.netSumMinor(), digits)));
  }

  private void close(Context ctx) {
    LocalDate date = SwitchConsole.date("date", ctx.formParam("date"));
    if (date == null) {
      throw new ConsoleInputException("a business date (YYYY-MM-DD) is required");
    }
    try {
      services.close().close(date, SwitchConsole.operator(ctx));
    } catch (SettlementClose.RefusedException e) {
      throw new ConsoleInputException(409, e.getMessage());
    }
    ctx.redirect(PATH + "/" + date, HttpStatus.SEE_OTHER);
  }

  private static WindowRow row(Window w) {
    return new WindowRow(w.windowId(), w.businessDate().toString(), w.state().name(), w.records(), w.closedBy(),
        FormInput.time(w.closedAt()));
  }
}
