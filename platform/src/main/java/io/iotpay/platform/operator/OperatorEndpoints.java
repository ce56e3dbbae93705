package io.iotpay.platform.operator;

import static io.iotpay.platform.operator.JsonBodies.required;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.access.http.Exchange;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.Payment;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.DeviceStatus;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.state.GeoPoint;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The operator's endpoints: devices, manufacturer CAs, merchants, capture and void. */
final class OperatorEndpoints {
  /** Longest status-change reason kept, characters. */
  static final int REASON_CHARS_MAX = 256;
  /** Devices per listing page when the request names no limit. */
  static final int LIST_LIMIT_DEFAULT = 100;
  /** Parses SM2 certificates too; passed explicitly, never installed in the JVM's provider list. */
  private static final Provider BC = new BouncyCastleProvider();

  private final HttpApiServices services;
  private final HttpApiConfig config;
  private final DevicePsks psks;

  /** @param psks each device's CoAP PSK, answered once at registration; null: none */
  OperatorEndpoints(HttpApiServices services, HttpApiConfig config, DevicePsks psks) {
    this.services = services;
    this.config = config;
    this.psks = psks;
  }

  void register(Javalin app, BearerTokenCheck bearer) {
    app.post("/v1/devices", operator(bearer, this::registerDevice));
    app.get("/v1/devices", operator(bearer, this::listDevices));
    app.get("/v1/devices/{id}/state", operator(bearer, this::deviceState));
    for (StatusAction action : StatusAction.values()) {
      app.post("/v1/devices/{id}/" + action.name().toLowerCase(Locale.ROOT), operator(bearer, ctx -> changeStatus(ctx, action)));
    }
    app.post("/v1/manufacturer-cas", operator(bearer, this::registerManufacturerCa));
    app.post("/v1/merchants", operator(bearer, this::putMerchant));
    app.post("/v1/payments/{device}/{counter}/capture", operator(bearer, ctx -> closePayment(ctx, services.payments()::capture)));
    app.post("/v1/payments/{device}/{counter}/void", operator(bearer, ctx -> closePayment(ctx, services.payments()::voidPayment)));
  }

  /** {@code handler} behind the operator's token. */
  static io.javalin.http.Handler operator(BearerTokenCheck bearer, io.javalin.http.Handler handler) {
    return ctx -> {
      bearer.requireOperator(ctx);
      handler.handle(ctx);
    };
  }

  private void registerDevice(Context ctx) {
    JsonBodies.RegisterDevice request = JsonBodies.parse(json(ctx), JsonBodies.RegisterDevice.class);
    AlgorithmSuite suite = AlgorithmSuite.byName(required(request.suite(), "suite"));
    byte[] csr = base64(required(request.csr(), "csr"), "csr");
    DeviceRecord device = services.identity().registerFromCsr(suite, csr, now());
    ObjectNode body = Views.device(device, true);
    if (psks != null) {
      // The only time the PSK leaves the node: a second registration of the device is refused (409).
      // The PSK is 32 ASCII characters (docs/coap.md), what coap-client takes as -k.
      byte[] psk = psks.pskOf(device.deviceId());
      body.putObject("coap_psk").put("identity", device.deviceId().value())
          .put("key", new String(psk, java.nio.charset.StandardCharsets.US_ASCII));
      java.util.Arrays.fill(psk, (byte) 0);
    }
    Exchange.json(ctx, 201, body);
  }

  private void registerManufacturerCa(Context ctx) {
    JsonBodies.ManufacturerCa request = JsonBodies.parse(json(ctx), JsonBodies.ManufacturerCa.class);
    AlgorithmSuite suite = AlgorithmSuite.byName(required(request.suite(), "suite"));
    X509Certificate ca = certificate(required(request.certificatePem(), "certificate_pem"));
    boolean added = services.identity().registerManufacturerCa(suite, ca, now());
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.put("suite", suite.name());
    body.put("subject", ca.getSubjectX500Principal().getName());
    body.put("added", added);
    Exchange.json(ctx, added ? 201 : 200, body);
  }

  /** The status changes an operator can ask for, each at {@code POST /v1/devices/{id}/<name in lower case>}. */
  enum StatusAction {
    SUSPEND,
    RESUME,
    REVOKE
  }

  private void changeStatus(Context ctx, StatusAction action) {
    DeviceId id = Exchange.deviceId(ctx.pathParam("id"));
    String reason = reason(json(ctx));
    switch (action) {
      case SUSPEND -> services.identity().suspend(id, reason, now());
      case RESUME -> services.identity().resume(id, reason, now());
      case REVOKE -> services.identity().revoke(id, reason, now());
    }
    Exchange.json(ctx, 200, Views.device(requireDevice(id), false));
  }

  private void deviceState(Context ctx) {
    DeviceId id = Exchange.deviceId(ctx.pathParam("id"));
    Exchange.json(ctx, 200, Views.deviceState(requireDevice(id), services.states().state(id)));
  }

  private void listDevices(Context ctx) {
    DeviceStatus status = query(ctx, "status", text -> DeviceStatus.valueOf(text.toUpperCase(Locale.ROOT)));
    DeviceId after = query(ctx, "after", Exchange::deviceId);
    Integer limit = query(ctx, "limit", Integer::valueOf);
    int pageLimit = limit == null ? LIST_LIMIT_DEFAULT : limit;
    if (pageLimit < 1 || pageLimit > DeviceRegistry.LIST_LIMIT_MAX) {
      throw ApiException.badRequest("limit " + pageLimit + " outside 1.." + DeviceRegistry.LIST_LIMIT_MAX);
    }
    List<DeviceRecord> page = services.devices().list(status, after, pageLimit);
    ObjectNode body = Exchange.JSON.createObjectNode();
    ArrayNode devices = body.putArray("devices");
    page.forEach(device -> devices.add(Views.device(device, false)));
    // A full page may have a successor: the caller asks again with after = next_after.
    body.put("next_after", page.size() == pageLimit ? page.get(page.size() - 1).deviceId().value() : null);
    Exchange.json(ctx, 200, body);
  }

  private void putMerchant(Context ctx) {
    JsonBodies.NewMerchant request = JsonBodies.parse(json(ctx), JsonBodies.NewMerchant.class);
    GeoPoint place = null;
    if (request.location() != null) {
      place = new GeoPoint(required(request.location().latitudeDeg(), "location.latitude_deg"),
          required(request.location().longitudeDeg(), "location.longitude_deg"));
    }
    Merchant merchant = new Merchant(required(request.merchantId(), "merchant_id"), required(request.name(), "name"),
        required(request.category(), "category"), required(request.settlementAccountId(), "settlement_account_id"), place);
    services.merchants().put(merchant);
    Exchange.json(ctx, 200, Views.merchant(merchant));
  }

  private void closePayment(Context ctx, Function<IdempotencyKey, Payment> close) {
    IdempotencyKey key = PaymentKeys.of(ctx);
    if (services.payments().payment(key).isEmpty()) {
      throw ApiException.notFound("UNKNOWN_PAYMENT", "no approved payment " + key);
    }
    Payment payment = close.apply(key);
    Exchange.json(ctx, 200, Views.payment(key, services.payments().versions(key), Optional.of(payment)));
  }

  private DeviceRecord requireDevice(DeviceId id) {
    return services.devices().find(id).orElseThrow(() -> ApiException.notFound("UNKNOWN_DEVICE", "device " + id + " is not registered"));
  }

  private String reason(byte[] body) {
    String reason = required(JsonBodies.parse(body, JsonBodies.StatusChange.class).reason(), "reason");
    if (reason.length() > REASON_CHARS_MAX || !reason.chars().allMatch(c -> c >= 0x20 && c != 0x7F)) {
      throw ApiException.badRequest("reason must have at most " + REASON_CHARS_MAX + " characters and no control characters");
    }
    return reason;
  }

  private byte[] json(Context ctx) {
    return Exchange.jsonBody(ctx, config.jsonBytesMax());
  }

  private Instant now() {
    return services.clock().now();
  }

  /** A query parameter converted by {@code parse}; null when absent. @throws ApiException 400 when it does not parse */
  static <T> T query(Context ctx, String name, Function<String, T> parse) {
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

  private static byte[] base64(String text, String field) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("field '" + field + "' is not standard base64");
    }
  }

  /** One X.509 certificate in PEM. @throws ApiException 400 when it is not */
  private static X509Certificate certificate(String pem) {
    String body = pem.strip();
    String begin = "-----BEGIN CERTIFICATE-----";
    String end = "-----END CERTIFICATE-----";
    if (!body.startsWith(begin) || !body.endsWith(end)) {
      throw ApiException.badRequest("certificate_pem must be one PEM certificate block");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(body.substring(begin.length(), body.length() - end.length()));
      return (X509Certificate) CertificateFactory.getInstance("X.509", BC).generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw ApiException.badRequest("certificate_pem is not an X.509 certificate");
    }
  }
}
