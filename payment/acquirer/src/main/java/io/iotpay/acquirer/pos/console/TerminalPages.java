package io.iotpay.acquirer.pos.console;

import io.iotpay.acquirer.pos.console.AcquirerViews.RiskRow;
import io.iotpay.acquirer.pos.console.AcquirerViews.TerminalRow;
import io.iotpay.acquirer.pos.console.AcquirerViews.TerminalsView;
import io.iotpay.acquirer.pos.merchant.Merchant;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Terminal;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.merchant.TerminalState;
import io.iotpay.acquirer.pos.merchant.TransactPermission;
import io.iotpay.acquirer.pos.risk.RiskEvent;
import io.iotpay.acquirer.pos.risk.RiskOutcome;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.console.FormInput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A merchant's terminals: enrolment, state, whether each may transact, its audited history, and where
 * terminal risk sensing runs in this process its attestation failures and the latest verdicts with the
 * reasons {@link TerminalRiskService} recorded; and blocking a terminal (final: the API has no unblock).
 */
final class TerminalPages {
  /** Risk verdicts shown per terminal, newest first. */
  static final int RISK_ROWS_MAX = 20;
  private static final String ATTESTATION = "ATTESTATION";

  private final AcquirerConsole.Services services;
  private final OnboardingService onboarding;
  private final ConsoleRenderer renderer;

  TerminalPages(AcquirerConsole.Services services, ConsoleRenderer renderer) {
    this.services = services;
    this.onboarding = services.onboarding();
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(MerchantPages.PATH + "/{id}/terminals", this::terminals);
    app.post(AcquirerConsole.ROOT + "/terminals/{id}/block", this::block);
  }

  private void terminals(Context ctx) {
    MerchantId id = AcquirerFormat.merchantId(ctx.pathParam("id"));
    if (id == null) {
      throw new ConsoleInputException("a merchant id is required");
    }
    Merchant merchant = AcquirerFormat.onboarding(() -> onboarding.merchant(id));
    TerminalRiskService risk = services.risk().get();
    List<TerminalRow> rows = onboarding.terminals(id).stream().map(t -> row(t, risk)).toList();
    renderer.page(ctx, "terminals.jte", AcquirerFormat.frame(ctx, "Terminals of " + id.value(), "merchants"),
        new TerminalsView(id.value(), merchant.legalName(), rows, risk != null));
  }

  private TerminalRow row(Terminal t, TerminalRiskService risk) {
    List<RiskEvent> events = risk == null ? List.of() : risk.events(t.id());
    long attestationFailures = events.stream().filter(e -> e.stage().equals(ATTESTATION) && e.outcome() != RiskOutcome.APPROVE).count();
    List<RiskRow> latest = new ArrayList<>();
    for (int i = events.size() - 1; i >= 0 && latest.size() < RISK_ROWS_MAX; i--) {
      RiskEvent e = events.get(i);
      latest.add(new RiskRow(FormInput.time(Instant.ofEpochMilli(e.atMs())), e.stage(), e.outcome().name(), e.reason().name(),
          e.detail()));
    }
    return new TerminalRow(t.id().value(), t.suite().name(), t.state().name(), t.stateReason(), FormInput.time(t.enrolledAt()),
        FormInput.time(t.stateChangedAt()), permission(onboarding.mayTransact(t.id())), attestationFailures, latest,
        AcquirerFormat.history(OnboardingService.TERMINAL, t.id().value(), onboarding.history(t.id()), services.trail().get()),
        t.state() == TerminalState.ACTIVE);
  }

  private static String permission(TransactPermission permission) {
    return switch (permission) {
      case TransactPermission.Allowed allowed -> "yes";
      case TransactPermission.Refused refused -> "no: " + refused.reason() + " (" + refused.detail() + ")";
    };
  }

  private void block(Context ctx) {
    TerminalId id = AcquirerFormat.terminalId(ctx.pathParam("id"));
    if (id == null) {
      throw new ConsoleInputException("a terminal id is required");
    }
    String reason = FormInput.reason(ctx.formParam("reason"));
    Terminal blocked = AcquirerFormat.onboarding(() -> onboarding.blockTerminal(id, AcquirerFormat.operator(ctx), reason));
    ctx.redirect(MerchantPages.PATH + "/" + blocked.merchantId().value() + "/terminals", HttpStatus.SEE_OTHER);
  }
}
