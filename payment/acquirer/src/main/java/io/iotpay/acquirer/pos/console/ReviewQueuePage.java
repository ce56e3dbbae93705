package io.iotpay.acquirer.pos.console;

import io.iotpay.acquirer.pos.console.AcquirerViews.ReviewQueueView;
import io.iotpay.acquirer.pos.console.AcquirerViews.ReviewRow;
import io.iotpay.acquirer.pos.merchant.Merchant;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.MerchantState;
import io.iotpay.console.ConsoleRenderer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;

/** The review queue: merchants IN_REVIEW in id order, each with the automatic checks' findings. */
final class ReviewQueuePage {
  static final String PATH = AcquirerConsole.ROOT + "/review-queue";
  /** Merchants per page. */
  static final int PAGE_SIZE = 50;

  private final AcquirerConsole.Services services;
  private final ConsoleRenderer renderer;

  ReviewQueuePage(AcquirerConsole.Services services, ConsoleRenderer renderer) {
    this.services = services;
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, this::queue);
  }

  private void queue(Context ctx) {
    MerchantId after = AcquirerFormat.merchantId(ctx.queryParam("after"));
    List<Merchant> page = AcquirerFormat.onboarding(() -> services.onboarding().list(MerchantState.IN_REVIEW, null, after, PAGE_SIZE));
    List<ReviewRow> rows = page.stream().map(m -> new ReviewRow(AcquirerFormat.merchant(m),
        AcquirerFormat.findings(services.onboarding().findings(m.id())))).toList();
    String nextAfter = page.size() == PAGE_SIZE ? page.get(page.size() - 1).id().value() : null;
    renderer.page(ctx, "review-queue.jte", AcquirerFormat.frame(ctx, "Review queue", "review-queue"), new ReviewQueueView(rows, nextAfter));
  }
}
