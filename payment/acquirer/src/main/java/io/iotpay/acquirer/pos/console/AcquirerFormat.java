package io.iotpay.acquirer.pos.console;

import io.iotpay.acquirer.pos.console.AcquirerViews.FindingRow;
import io.iotpay.acquirer.pos.console.AcquirerViews.HistoryRow;
import io.iotpay.acquirer.pos.console.AcquirerViews.MerchantRow;
import io.iotpay.acquirer.pos.merchant.AuditEvent;
import io.iotpay.acquirer.pos.merchant.Finding;
import io.iotpay.acquirer.pos.merchant.Merchant;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.OnboardingException;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.console.ConsoleFrame;
import io.iotpay.console.ConsoleFrame.NavLink;
import io.iotpay.console.ConsoleGuard;
import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.FormInput;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The acquirer console's frames, parameters and rows: domain records as text a page shows, nothing more. */
final class AcquirerFormat {
  /** Section path under {@code /console} → label, in navigation order. */
  private static final List<String[]> SECTIONS = List.of(new String[] {"review-queue", "Review queue"},
      new String[] {"merchants", "Merchants"});

  private AcquirerFormat() {}

  /** The page's frame, with {@code section} marked in the navigation. */
  static ConsoleFrame frame(Context ctx, String title, String section) {
    List<NavLink> nav = SECTIONS.stream()
        .map(s -> new NavLink(AcquirerConsole.ROOT + "/" + s[0], s[1], s[0].equals(section))).toList();
    return new ConsoleFrame(title, AcquirerConsole.BRAND, nav, ConsoleGuard.session(ctx).orElseThrow().csrfToken());
  }

  /** The operator logged in on this request's session (recorded with every decision). */
  static String operator(Context ctx) {
    return ConsoleGuard.session(ctx).orElseThrow().operator();
  }

  static MerchantId merchantId(String text) {
    return FormInput.parse("merchant id", text, MerchantId::new);
  }

  static TerminalId terminalId(String text) {
    return FormInput.parse("terminal id", text, TerminalId::new);
  }

  /** Runs an onboarding call; its refusal becomes the console's (404 unknown, 409 not in this state, 400 bad input). */
  static <T> T onboarding(Supplier<T> call) {
    try {
      return call.get();
    } catch (OnboardingException e) {
      int status = switch (e.reason()) {
        case UNKNOWN_MERCHANT, UNKNOWN_TERMINAL -> 404;
        case ILLEGAL_TRANSITION, MERCHANT_NOT_ACTIVE, TERMINAL_LIMIT, REQUEST_ID_REUSED -> 409;
        case INVALID_FIELD, CSR_INVALID -> 400;
      };
      throw new ConsoleInputException(status, e.getMessage());
    }
  }

  static MerchantRow merchant(Merchant m) {
    return new MerchantRow(m.id().value(), m.legalName(), m.state().name(), m.mcc(), m.ownerIdMasked(), FormInput.time(m.registeredAt()));
  }

  static List<FindingRow> findings(List<Finding> findings) {
    return findings.stream()
        .map(f -> new FindingRow(f.check().name(), f.verdict().name(), f.reason(), FormInput.time(f.checkedAt()))).toList();
  }

  /** A subject's history, each change with its audit leaf checked when the trail is known. */
  static List<HistoryRow> history(String kind, String subjectId, List<AuditEvent> events, OnboardingTrail trail) {
    List<OnboardingTrail.Place> places = trail == null ? List.of() : trail.places(kind, subjectId, events);
    List<HistoryRow> rows = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      AuditEvent e = events.get(i);
      OnboardingTrail.Place place = i < places.size() ? places.get(i) : null;
      rows.add(new HistoryRow(FormInput.time(e.at()), e.from(), e.to(), e.actor(), e.reason(),
          place == null || place.index() < 0 ? "" : Long.toString(place.index()), place != null && place.matches()));
    }
    return rows;
  }
}
