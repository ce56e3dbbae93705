package io.iotpay.platform.operator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.access.http.Exchange;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.DeviceStatus;
import io.iotpay.platform.inbox.SecurityEvent;
import io.iotpay.platform.inbox.SecurityEventLog;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.state.CloneEvidence;
import io.iotpay.platform.state.CloneSuspicion;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the operator sees of attacks: the refusals at every door ({@code GET /operator/refusals}, and
 * the metric {@code iotpay_door_refusals_total{door,reason}}), and a device's clone suspicion with its
 * evidence, which the operator clears (a false alarm) or confirms (the key is in two hands: the device
 * is revoked, an audited status change).
 */
final class AttackEndpoints {
  /** Refusals per page when the request names no limit. */
  static final int REFUSALS_LIMIT_DEFAULT = 100;
  private static final Pattern REASON_CODE = Pattern.compile("[A-Z0-9_]{1,40}");

  private final HttpApiServices services;
  private final HttpApiConfig config;
  private final CloneVerdicts verdicts;

  /** @param verdicts the operator's clear and confirm verdicts on clone suspicions */
  AttackEndpoints(HttpApiServices services, HttpApiConfig config, CloneVerdicts verdicts) {
    this.services = services;
    this.config = config;
    this.verdicts = verdicts;
  }

  void register(Javalin app, BearerTokenCheck bearer, MeterRegistry metrics) {
    services.inbox().securityEvents().ifPresent(log -> {
      // One counter per door and reason, read from the log: both come from fixed tables, so the label set is bounded.
      log.onFirstSeen(key -> refusalCounter(metrics, log, key));
      log.doorCounts().keySet().forEach(key -> refusalCounter(metrics, log, key));
    });
    app.get("/operator/refusals", operator(bearer, this::refusals));
    app.get("/v1/devices/{id}/clone", operator(bearer, this::clone));
    app.post("/v1/devices/{id}/clone/clear", operator(bearer, this::clearClone));
    app.post("/v1/devices/{id}/clone/confirm", operator(bearer, this::confirmClone));
  }

  private static void refusalCounter(MeterRegistry metrics, SecurityEventLog log, SecurityEventLog.DoorReason key) {
    FunctionCounter.builder("iotpay.door.refusals", log, l -> l.count(key))
        .description("Refusals at the platform's doors (device messages, MQTT CONNECTs, DTLS handshakes) by door and reason")
        .tag("door", key.door().name().toLowerCase(Locale.ROOT))
        .tag("reason", key.reason())
        .register(metrics);
  }

  private static io.javalin.http.Handler operator(BearerTokenCheck bearer, io.javalin.http.Handler handler) {
    return ctx -> {
      bearer.requireOperator(ctx);
      handler.handle(ctx);
    };
  }

  private void refusals(Context ctx) {
    SecurityEventLog log = services.inbox().securityEvents()
        .orElseThrow(() -> ApiException.notFound("NO_SECURITY_LOG", "this platform's inbox keeps no security log"));
    Transport door = param(ctx, "door", text -> Transport.valueOf(text.toUpperCase(Locale.ROOT)));
    String reason = param(ctx, "reason", text -> {
      if (!REASON_CODE.matcher(text).matches()) {
        throw new IllegalArgumentException("not a reason code");
      }
      return text;
    });
    Instant since = param(ctx, "since", AttackEndpoints::instant);
    Long after = param(ctx, "after", Long::valueOf);
    Integer limit = param(ctx, "limit", Integer::valueOf);
    int pageLimit = limit == null ? REFUSALS_LIMIT_DEFAULT : limit;
    if (pageLimit < 1 || pageLimit > SecurityEventLog.Query.LIMIT_MAX) {
      throw ApiException.badRequest("limit " + pageLimit + " outside 1.." + SecurityEventLog.Query.LIMIT_MAX);
    }
    if (after != null && after < 0) {
      throw ApiException.badRequest("after " + after + " is negative");
    }
    SecurityEventLog.Page page = log.page(new SecurityEventLog.Query(door, reason, since, after == null ? 0 : after, pageLimit));
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode events = body.putArray("refusals");
    for (SecurityEvent event : page.events()) {
      events.addObject()
          .put("sequence", event.sequence())
          .put("at", event.at().toString())
          .put("door", event.transport().name().toLowerCase(Locale.ROOT))
          .put("channel", event.channelDevice())
          .put("reason", event.reason())
          .put("detail", event.detail());
    }
    // A full page may have a successor: the caller asks again with after = next_after.
    if (page.next() == 0) {
      body.putNull("next_after");
    } else {
      body.put("next_after", page.next());
    }
    Exchange.json(ctx, 200, body);
  }

  private void clone(Context ctx) {
    DeviceId id = Exchange.deviceId(ctx.pathParam("id"));
    CloneSuspicion suspicion = verdicts.suspicion(id).orElse(null);
    Exchange.json(ctx, 200, cloneView(services.devices().find(id).orElseThrow(), suspicion));
  }

  private void clearClone(Context ctx) {
    DeviceId id = Exchange.deviceId(ctx.pathParam("id"));
    CloneVerdicts.Verdict verdict = verdicts.clear(id, reason(ctx));
    Exchange.json(ctx, 200, cloneView(verdict.device(), null).put("cleared_evidence", verdict.evidence())
        .put("audit_index", verdict.auditIndex()));
  }

  private void confirmClone(Context ctx) {
    DeviceId id = Exchange.deviceId(ctx.pathParam("id"));
    CloneVerdicts.Verdict verdict = verdicts.confirm(id, reason(ctx));
    Exchange.json(ctx, 200, cloneView(verdict.device(), services.states().cloneSuspicion(id).orElse(null))
        .put("audit_index", verdict.auditIndex()));
  }

  /** The device and its suspicion in force (null: none): the summary, its verdict so far and each evidence row. */
  private static ObjectNode cloneView(DeviceRecord device, CloneSuspicion suspicion) {
    ObjectNode node = Exchange.JSON.createObjectNode();
    node.put("device_id", device.deviceId().value());
    node.put("status", device.status().name());
    node.put("clone_suspected", suspicion != null);
    node.put("evidence", suspicion == null ? null : suspicion.summary());
    node.put("revoked", device.status() == DeviceStatus.REVOKED);
    if (suspicion == null) {
      return node;
    }
    node.put("clone_status", suspicion.status().name());
    node.put("suspected_at", suspicion.suspectedAt().toString());
    node.put("verdict_reason", suspicion.verdictReason());
    ArrayNode rows = node.putArray("evidence_rows");
    for (CloneEvidence row : suspicion.evidence()) {
      ObjectNode r = rows.addObject()
          .put("kind", row.kind().name())
          .put("at", row.at().toString())
          .put("place", row.place())
          .put("session", row.session());
      if (row.kind() == CloneEvidence.Kind.MESSAGE) {
        r.put("counter", row.counter());
      }
    }
    node.put("evidence_dropped", suspicion.evidenceDropped());
    return node;
  }

  private String reason(Context ctx) {
    byte[] body = Exchange.body(ctx, config.jsonBytesMax(), "TOO_LARGE");
    return CloneVerdicts.requireReason(JsonBodies.parse(body, JsonBodies.StatusChange.class).reason());
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A query parameter converted by {@code parse}; null when absent. @throws ApiException 400 when it does not parse */
  private static <T> T param(Context ctx, String name, java.util.function.Function<String, T> parse) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("query parameter " + name + "='" + Exchange.clip(text) + "' is not valid");
    }
  }
}
