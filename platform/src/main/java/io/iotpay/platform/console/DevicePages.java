package io.iotpay.platform.console;

import io.iotpay.console.ConsoleGuard;
import io.iotpay.console.ConsoleInputException;
import io.iotpay.console.ConsoleRenderer;
import io.iotpay.platform.console.ConsoleViews.Count;
import io.iotpay.platform.console.ConsoleViews.DeviceRow;
import io.iotpay.platform.console.ConsoleViews.DeviceView;
import io.iotpay.platform.console.ConsoleViews.DevicesView;
import io.iotpay.platform.console.ConsoleViews.Frame;
import io.iotpay.console.ConsoleSessions.Session;
import io.iotpay.platform.console.ConsoleViews.MandateRow;
import io.iotpay.platform.console.ConsoleViews.RefusalRow;
import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.mandate.MandateStatus;
import io.iotpay.platform.operator.CloneVerdicts;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.DeviceStatus;
import io.iotpay.platform.identity.IdentityException;
import io.iotpay.platform.inbox.SecurityEvent;
import io.iotpay.platform.inbox.SecurityEventLog;
import io.iotpay.platform.operator.HttpApiServices;
import io.iotpay.platform.state.DeviceState;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The devices: a list searched by id or id prefix and status, paged in id order; each device's page
 * with its live state, mandates, clone evidence, refusals by reason, latest refusals and decisions;
 * suspend, resume and revoke; clear or confirm a clone suspicion.
 */
final class DevicePages {
  static final String PATH = OperatorConsole.ROOT + "/devices";
  /** Devices per page. */
  static final int PAGE_SIZE = 50;
  /** Refusals and decisions shown on a device's page. */
  static final int RECENT_MAX = 20;

  private final ConsoleServices services;
  private final HttpApiServices platform;
  private final ConsoleRenderer renderer;
  private final CloneVerdicts verdicts;

  DevicePages(ConsoleServices services, ConsoleRenderer renderer) {
    this.services = services;
    this.platform = services.platform();
    this.renderer = renderer;
    this.verdicts = new CloneVerdicts(platform, services.operatorAudit());
  }

  void register(Javalin app) {
    app.get(PATH, this::list);
    app.get(PATH + "/{id}", this::device);
    app.post(PATH + "/{id}/status", this::changeStatus);
    app.post(PATH + "/{id}/clone", this::cloneVerdict);
  }

  private void list(Context ctx) {
    String query = ConsoleInput.query(ctx, "q");
    DeviceStatus status = ConsoleInput.status(ctx.queryParam("status"));
    DeviceId after = ConsoleInput.deviceId(ctx.queryParam("after"));
    List<DeviceRecord> page = query.isEmpty() ? platform.devices().list(status, after, PAGE_SIZE) : search(query, status, after);
    List<DeviceRow> rows = page.stream().map(d -> ConsoleFormat.device(d, platform.states().state(d.deviceId()))).toList();
    String nextAfter = page.size() == PAGE_SIZE ? page.get(page.size() - 1).deviceId().value() : null;
    List<Count> refusals = new ArrayList<>();
    long total = 0;
    Optional<SecurityEventLog> log = platform.inbox().securityEvents();
    if (log.isPresent()) {
      log.get().counts().forEach((reason, count) -> refusals.add(new Count(reason.name(), count)));
      refusals.sort(Comparator.comparingLong(Count::count).reversed());
      total = log.get().total();
    }
    DevicesView view = new DevicesView(rows, query, status == null ? "" : status.name(), nextAfter, refusals, total);
    renderer.page(ctx, "devices.jte", frame(ctx, "Devices"), view);
  }

  /** The device with id {@code query}, then those whose id starts with it (all sort after it), in id order. */
  private List<DeviceRecord> search(String query, DeviceStatus status, DeviceId after) {
    DeviceId prefix = ConsoleInput.deviceId(query);
    List<DeviceRecord> found = new ArrayList<>(PAGE_SIZE);
    if (after == null) {
      platform.devices().find(prefix).filter(d -> status == null || d.status() == status).ifPresent(found::add);
    }
    DeviceId from = after == null ? prefix : after;
    for (DeviceRecord device : platform.devices().list(status, from, PAGE_SIZE)) {
      if (!device.deviceId().value().startsWith(prefix.value()) || found.size() == PAGE_SIZE) {
        break;
      }
      found.add(device);
    }
    return found;
  }

  private void device(Context ctx) {
    DeviceRecord device = requireDevice(ctx);
    Optional<DeviceState> live = platform.states().state(device.deviceId());
    List<SecurityEvent> events = platform.inbox().securityEvents().map(log -> eventsOf(log, device.deviceId())).orElse(List.of());
    DeviceView view = new DeviceView(ConsoleFormat.device(device, live), ConsoleFormat.time(device.registeredAt()),
        ConsoleFormat.time(device.statusChangedAt()),
        live.filter(s -> s.location() != null).map(s -> s.location().latitudeDeg() + ", " + s.location().longitudeDeg()).orElse(""),
        live.map(DeviceState::messagesReceived).orElse(0L), live.map(DeviceState::highestCounter).orElse(-1L),
        live.map(DeviceState::cloneSuspicion).orElse(""), mandates(device.deviceId()), countByReason(events), latestRefusals(events),
        services.decisions().page(device.deviceId(), Long.MAX_VALUE, RECENT_MAX).stream().map(ConsoleFormat::decision).toList());
    renderer.page(ctx, "device.jte", frame(ctx, "Device " + device.deviceId().value()), view);
  }

  private List<MandateRow> mandates(DeviceId device) {
    LocalDate today = platform.clock().businessDate();
    return platform.mandates().mandatesOf(device).stream().map(m -> ConsoleFormat.mandate(m, m.status() == MandateStatus.REVOKED ? null
        : new ConsoleFormat.Usage(platform.mandates().usedOnMinor(m.id(), today), platform.mandates().usedInMinor(m.id(), YearMonth.from(today)))))
        .toList();
  }

  /** The device's refusals the security log still holds (it keeps the latest ones of every device), oldest first. */
  private static List<SecurityEvent> eventsOf(SecurityEventLog log, DeviceId device) {
    return log.latest().stream().filter(event -> device.value().equals(event.channelDevice())).toList();
  }

  private static List<Count> countByReason(List<SecurityEvent> events) {
    Map<String, Long> counts = new TreeMap<>();
    events.forEach(event -> counts.merge(event.reason(), 1L, Long::sum));
    List<Count> rows = new ArrayList<>();
    counts.forEach((reason, count) -> rows.add(new Count(reason, count)));
    rows.sort(Comparator.comparingLong(Count::count).reversed());
    return rows;
  }

  private static List<RefusalRow> latestRefusals(List<SecurityEvent> events) {
    List<RefusalRow> rows = new ArrayList<>();
    for (int i = events.size() - 1; i >= 0 && rows.size() < RECENT_MAX; i--) {
      SecurityEvent event = events.get(i);
      rows.add(new RefusalRow(ConsoleFormat.time(event.at()), event.transport().name(), event.reason(), event.detail()));
    }
    return rows;
  }

  /** Clear or confirm a clone suspicion: the HTTP API's audited verdict ({@link CloneVerdicts}). */
  private void cloneVerdict(Context ctx) {
    DeviceRecord device = requireDevice(ctx);
    String reason = ConsoleInput.reason(ctx.formParam("reason"));
    String action = ctx.formParam("action");
    try {
      switch (action == null ? "" : action) {
        case "clear" -> verdicts.clear(device.deviceId(), reason);
        case "confirm" -> verdicts.confirm(device.deviceId(), reason);
        default -> throw new ConsoleInputException("action must be clear or confirm");
      }
    } catch (ApiException e) {
      throw new ConsoleInputException(e.status(), "cannot " + action + " the clone suspicion of " + device.deviceId().value() + ": "
          + e.detail());
    } catch (IdentityException e) {
      throw new ConsoleInputException(409, "cannot " + action + " the clone suspicion of " + device.deviceId().value() + ": "
          + e.getMessage());
    }
    redirectToDevice(ctx, device);
  }

  private void changeStatus(Context ctx) {
    DeviceRecord device = requireDevice(ctx);
    String reason = ConsoleInput.reason(ctx.formParam("reason"));
    String action = ctx.formParam("action");
    Instant now = platform.clock().now();
    try {
      switch (action == null ? "" : action) {
        case "suspend" -> platform.identity().suspend(device.deviceId(), reason, now);
        case "resume" -> platform.identity().resume(device.deviceId(), reason, now);
        case "revoke" -> platform.identity().revoke(device.deviceId(), reason, now);
        default -> throw new ConsoleInputException("action must be suspend, resume or revoke");
      }
    } catch (IdentityException e) {
      throw new ConsoleInputException(409, "cannot " + action + " device " + device.deviceId().value() + ": " + e.getMessage());
    }
    redirectToDevice(ctx, device);
  }

  private static void redirectToDevice(Context ctx, DeviceRecord device) {
    ctx.redirect(PATH + "/" + URLEncoder.encode(device.deviceId().value(), StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
  }

  private DeviceRecord requireDevice(Context ctx) {
    DeviceId id = ConsoleInput.deviceId(ctx.pathParam("id"));
    if (id == null) {
      throw new ConsoleInputException("a device id is required");
    }
    return platform.devices().find(id).orElseThrow(() -> new ConsoleInputException(404, "no device " + id.value() + " is registered"));
  }

  static Frame frame(Context ctx, String title) {
    Session session = ConsoleGuard.session(ctx).orElseThrow();
    return new Frame(title, pageOf(ctx.path()), session.csrfToken(), session.operator(), session.readOnly());
  }

  private static String pageOf(String path) {
    String rest = path.substring(OperatorConsole.ROOT.length() + 1);
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
