package io.iotpay.issuer.party.console;

import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.FormInput;
import io.iotpay.issuer.authorisation.card.AuthorisationRecord;
import io.iotpay.issuer.party.console.IssuerViews.AuthorisationRow;
import io.iotpay.issuer.party.console.IssuerViews.AuthorisationsView;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The authorisation records: every request the card host answered (approvals, declines with their
 * response code, reversed holds and postings, advices and stand-in advices), newest first, searched by
 * STAN or by the card's last digits, paged. Cards only masked.
 */
final class AuthorisationsPage {
  static final String PATH = IssuerConsole.ROOT + "/authorisations";
  /** Records per page. */
  static final int PAGE_SIZE = 50;
  /** Deepest page: offset paging reads the rows it skips, so it is bounded (search narrows instead). */
  static final int PAGE_MAX = 1_000;
  private static final Pattern STAN = Pattern.compile("[0-9]{1,6}");
  private static final Pattern CARD = Pattern.compile("[0-9]{1,4}");

  private final IssuerConsole.Services services;
  private final ConsoleRenderer renderer;

  AuthorisationsPage(IssuerConsole.Services services, ConsoleRenderer renderer) {
    this.services = services;
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, this::list);
  }

  private void list(Context ctx) {
    String stan = FormInput.query(ctx, "stan");
    if (!stan.isEmpty() && !STAN.matcher(stan).matches()) {
      throw new ConsoleInputException("stan must be 1..6 digits");
    }
    String card = FormInput.query(ctx, "card");
    if (!card.isEmpty() && !CARD.matcher(card).matches()) {
      throw new ConsoleInputException("card must be the last 1..4 digits of the card number");
    }
    Long pageAsked = FormInput.positiveLong("page", ctx.queryParam("page"));
    int page = pageAsked == null ? 0 : (int) Math.min(pageAsked, PAGE_MAX + 1L);
    if (page > PAGE_MAX) {
      throw new ConsoleInputException("page must be 0.." + PAGE_MAX + ": search by STAN or card to go further back");
    }
    List<AuthorisationRecord> records = services.authorisations().records(stan, card, page * PAGE_SIZE, PAGE_SIZE + 1);
    boolean more = records.size() > PAGE_SIZE;
    int digits = services.currencyMinorDigits();
    List<AuthorisationRow> rows = records.stream().limit(PAGE_SIZE).map(r -> new AuthorisationRow(
        FormInput.time(r.recordedAt()), r.mti(), r.kind(), r.stan(), r.acquirerId(), r.panMasked(), r.businessDay(),
        IssuerConsole.amount(r.amountMinor(), digits), r.state(), r.responseCode(),
        r.approvalCode() == null ? "" : r.approvalCode(), "00".equals(r.responseCode()))).toList();
    renderer.page(ctx, "authorisations.jte", IssuerConsole.frame(ctx, "Authorisations", "authorisations"),
        new AuthorisationsView(services.currency(), stan, card, rows, more && page < PAGE_MAX ? page + 1 : null));
  }
}
