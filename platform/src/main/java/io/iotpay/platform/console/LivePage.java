package io.iotpay.platform.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.platform.console.ConsoleViews.Count;
import io.iotpay.platform.console.ConsoleViews.LiveView;
import io.iotpay.platform.decision.DecisionStats;
import io.iotpay.platform.inbox.DoorConnects;
import io.iotpay.platform.state.DeviceState;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The live view: messages received, decisions by outcome, refusals by door and reason (messages and
 * connections) and connections accepted by door, as numbers (the page
 * works without JavaScript) and as uPlot charts of their rates, which {@code live.js} draws by polling
 * {@code /console/live/data} (same session, JSON).
 */
final class LivePage {
  static final String PATH = OperatorConsole.ROOT + "/live";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConsoleServices services;
  private final ConsoleRenderer renderer;

  LivePage(ConsoleServices services, ConsoleRenderer renderer) {
    this.services = services;
    this.renderer = renderer;
  }

  void register(Javalin app) {
    app.get(PATH, ctx -> renderer.page(ctx, "live.jte", DevicePages.frame(ctx, "Live"), now()));
    app.get(OperatorConsole.LIVE_DATA, this::data);
  }

  /** The counters now; the browser turns successive readings into rates. */
  LiveView now() {
    long messages = 0;
    List<DeviceState> states = services.platform().states().states();
    for (DeviceState state : states) {
      messages += state.messagesReceived();
    }
    DecisionStats stats = services.platform().payments().stats();
    List<Count> decisions = List.of(new Count("APPROVED", stats.approved()), new Count("DECLINED", stats.declined()),
        new Count("ASK_USER", stats.confirmationsRequested()));
    List<Count> refusals = new ArrayList<>();
    services.platform().inbox().securityEvents().ifPresent(log -> log.doorCounts()
        .forEach((key, count) -> refusals.add(new Count(key.door().name().toLowerCase(Locale.ROOT) + " " + key.reason(), count))));
    refusals.sort(Comparator.comparing(Count::name));
    List<Count> connects = new ArrayList<>();
    services.platform().inbox().doorConnects().ifPresent(c -> DoorConnects.DOORS
        .forEach(door -> connects.add(new Count(door.name().toLowerCase(Locale.ROOT), c.count(door)))));
    return new LiveView(messages, states.size(), decisions, refusals, connects);
  }

  private void data(Context ctx) {
    LiveView view = now();
    ObjectNode body = JSON.createObjectNode();
    body.put("at_ms", System.currentTimeMillis());
    body.put("messages_received", view.messagesReceived());
    body.put("devices_seen", view.devicesSeen());
    ObjectNode decisions = body.putObject("decisions");
    view.decisions().forEach(c -> decisions.put(c.name(), c.count()));
    ObjectNode refusals = body.putObject("refusals");
    view.refusals().forEach(c -> refusals.put(c.name(), c.count()));
    ObjectNode connects = body.putObject("connects");
    view.connects().forEach(c -> connects.put(c.name(), c.count()));
    ctx.status(200).contentType("application/json").result(body.toString());
  }
}
