package io.iotpay.switching.party.console;

import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.FormInput;
import io.iotpay.switching.online.SettlementWindowStore;
import io.iotpay.switching.online.SettlementWindowStore.Direction;
import io.iotpay.switching.online.SettlementWindowStore.FileEvent;
import io.iotpay.switching.party.console.SwitchViews.FileRow;
import io.iotpay.switching.party.console.SwitchViews.FilesView;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The clearing files: received (acquirers' presentment files and issuers' result files: signer,
 * taken, replayed or refused and why, records) or sent (the acquirers' result files and the issuer
 * files), newest first, searched by party, paged.
 */
final class FilesPage {
  static final String PATH = SwitchConsole.ROOT + "/files";
  /** Files per page. */
  static final int PAGE_SIZE = 50;
  private static final Pattern PARTY = Pattern.compile("[A-Z0-9-]{1,16}");

  private final SettlementWindowStore store;
  private final ConsoleRenderer renderer;

  FilesPage(SwitchConsole.Services services, ConsoleRenderer renderer) {
    this.store = services.store();
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, this::list);
  }

  private void list(Context ctx) {
    String directionText = FormInput.query(ctx, "direction");
    Direction direction = switch (directionText) {
      case "", "received" -> Direction.RECEIVED;
      case "sent" -> Direction.SENT;
      default -> throw new ConsoleInputException("direction must be received or sent");
    };
    String party = FormInput.query(ctx, "party").toUpperCase(java.util.Locale.ROOT);
    if (!party.isEmpty() && !PARTY.matcher(party).matches()) {
      throw new ConsoleInputException("party must be a party id (A-Z, 0-9, -; 1..16)");
    }
    Long before = FormInput.positiveLong("before", ctx.queryParam("before"));
    List<FileEvent> page = store.files(direction, party.isEmpty() ? null : party, before, PAGE_SIZE);
    String nextBefore = page.size() == PAGE_SIZE ? Long.toString(page.get(page.size() - 1).id()) : null;
    String name = direction == Direction.RECEIVED ? "received" : "sent";
    renderer.page(ctx, "files.jte", SwitchConsole.frame(ctx, "Clearing files " + name, "files"),
        new FilesView(name, party, page.stream().map(FilesPage::row).toList(), nextBefore));
  }

  private static FileRow row(FileEvent e) {
    return new FileRow(FormInput.time(e.at()), e.kind(), e.fileName(), SwitchConsole.text(e.party()),
        SwitchConsole.text(e.businessDate()), SwitchConsole.text(e.sequence()), e.signer(), e.outcome(),
        SwitchConsole.text(e.reason()), e.records(), e.accepted());
  }
}
