package io.iotpay.acquirer.pos.console;

import io.iotpay.acquirer.pos.console.AcquirerViews.MerchantRow;
import io.iotpay.acquirer.pos.console.AcquirerViews.MerchantView;
import io.iotpay.acquirer.pos.console.AcquirerViews.MerchantsView;
import io.iotpay.acquirer.pos.merchant.Merchant;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.MerchantState;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.FormInput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The merchants: a list searched by id, name part or licence number and state, paged in id order; each
 * merchant's page with its record, findings and audited history; and the operator's decisions (approve
 * or reject IN_REVIEW, suspend ACTIVATED, reactivate SUSPENDED), the same audited operations as the
 * operator HTTP API.
 */
final class MerchantPages {
  static final String PATH = AcquirerConsole.ROOT + "/merchants";
  /** Merchants per page. */
  static final int PAGE_SIZE = 50;
  private static final Pattern MERCHANT_ID = Pattern.compile("m-[0-9a-f]{16}");

  private final AcquirerConsole.Services services;
  private final OnboardingService onboarding;
  private final ConsoleRenderer renderer;

  MerchantPages(AcquirerConsole.Services services, ConsoleRenderer renderer) {
    this.services = services;
    this.onboarding = services.onboarding();
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, this::list);
    app.get(PATH + "/{id}", this::merchant);
    app.post(PATH + "/{id}/decision", this::decide);
  }

  private void list(Context ctx) {
    String query = FormInput.query(ctx, "q");
    MerchantState state = FormInput.parse("state", ctx.queryParam("state"), t -> MerchantState.valueOf(t.toUpperCase(Locale.ROOT)));
    MerchantId after = AcquirerFormat.merchantId(ctx.queryParam("after"));
    List<Merchant> page = MERCHANT_ID.matcher(query).matches() ? byId(new MerchantId(query), state, after)
        : AcquirerFormat.onboarding(() -> onboarding.list(state, query.isEmpty() ? null : query, after, PAGE_SIZE));
    List<MerchantRow> rows = page.stream().map(AcquirerFormat::merchant).toList();
    String nextAfter = page.size() == PAGE_SIZE ? page.get(page.size() - 1).id().value() : null;
    renderer.page(ctx, "merchants.jte", AcquirerFormat.frame(ctx, "Merchants", "merchants"),
        new MerchantsView(rows, query, state == null ? "" : state.name(), nextAfter));
  }

  /** The merchant with this id, when it is in {@code state} (any for null); nothing on a later page. */
  private List<Merchant> byId(MerchantId id, MerchantState state, MerchantId after) {
    if (after != null) {
      return List.of();
    }
    try {
      Merchant merchant = onboarding.merchant(id);
      return state == null || merchant.state() == state ? List.of(merchant) : List.of();
    } catch (io.iotpay.acquirer.pos.merchant.OnboardingException e) {
      return List.of();
    }
  }

  private void merchant(Context ctx) {
    Merchant m = requireMerchant(ctx);
    MerchantView view = new MerchantView(AcquirerFormat.merchant(m), m.licenceNumber(), m.address(), m.settlementAccount().bankId(),
        m.settlementAccount().masked(), FormInput.time(m.stateChangedAt()), m.stateReason(),
        AcquirerFormat.findings(onboarding.findings(m.id())),
        AcquirerFormat.history(OnboardingService.MERCHANT, m.id().value(), onboarding.history(m.id()), services.trail().get()),
        actions(m.state()), onboarding.terminals(m.id()).size());
    renderer.page(ctx, "merchant.jte", AcquirerFormat.frame(ctx, "Merchant " + m.id().value(), "merchants"), view);
  }

  private static List<String> actions(MerchantState state) {
    return switch (state) {
      case IN_REVIEW -> List.of("approve", "reject");
      case ACTIVATED -> List.of("suspend");
      case SUSPENDED -> List.of("reactivate");
      case REGISTERED, REJECTED -> List.of();
    };
  }

  private void decide(Context ctx) {
    Merchant m = requireMerchant(ctx);
    String reason = FormInput.reason(ctx.formParam("reason"));
    String action = ctx.formParam("action");
    String operator = AcquirerFormat.operator(ctx);
    AcquirerFormat.onboarding(() -> switch (action == null ? "" : action) {
      case "approve" -> onboarding.approve(m.id(), operator, reason);
      case "reject" -> onboarding.reject(m.id(), operator, reason);
      case "suspend" -> onboarding.suspend(m.id(), operator, reason);
      case "reactivate" -> onboarding.reactivate(m.id(), operator, reason);
      default -> throw new ConsoleInputException("action must be approve, reject, suspend or reactivate");
    });
    ctx.redirect(PATH + "/" + m.id().value(), HttpStatus.SEE_OTHER);
  }

  private Merchant requireMerchant(Context ctx) {
    MerchantId id = AcquirerFormat.merchantId(ctx.pathParam("id"));
    if (id == null) {
      throw new ConsoleInputException("a merchant id is required");
    }
    return AcquirerFormat.onboarding(() -> onboarding.merchant(id));
  }
}
