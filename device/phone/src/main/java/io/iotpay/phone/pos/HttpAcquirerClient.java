package io.iotpay.phone.pos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The SDK's side of the acquirer's HTTP API (docs/phone-sdk.md, "The acquirer's HTTP API"), as an
 * {@link Enroller} and a {@link MonitoringService}: enrolment sends the SE-signed CSR and takes the
 * certificate; before each payment, a nonce, then the attestation token. Every call carries the
 * merchant's bearer token. An answer outside the contract (unexpected status, a body that is not
 * the expected JSON) is an {@link AcquirerApiException} or {@link SdkException}; {@link PosSdk} turns
 * either into a refused payment (fail closed).
 */
public final class HttpAcquirerClient implements Enroller, MonitoringService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TERMINAL_ID = Pattern.compile("[0-9]{8}");
  private static final Pattern PEM_ARMOUR = Pattern.compile("-----(BEGIN|END) CERTIFICATE-----");
  static final String ENROL_PATH = "/v1/pos/merchant/terminals";

  private final AcquirerHttp http;
  private final String merchantToken;
  private final AlgorithmSuite suite;

  /**
   * @param merchantToken the token the acquirer gave at registration ({@code mt1.…}); never logged
   * @param suite the suite of the phone's SE key (sent with the CSR)
   */
  public HttpAcquirerClient(AcquirerHttp http, String merchantToken, AlgorithmSuite suite) {
    this.http = Assert.notNull(http, "http");
    this.merchantToken = Assert.notNull(merchantToken, "merchantToken");
    this.suite = Assert.notNull(suite, "suite");
  }

  /** {@code POST /v1/pos/merchant/terminals}: 201 with the terminal id and its certificate. */
  @Override
  public Enrolled enrol(byte[] csrDer) {
    ObjectNode request = JSON.createObjectNode().put("suite", suite.name())
        .put("csr", Base64.getEncoder().encodeToString(csrDer));
    JsonNode answer = post(ENROL_PATH, request, 201);
    String terminalId = text(answer, "terminal_id");
    if (!TERMINAL_ID.matcher(terminalId).matches()) {
      throw new SdkException("the acquirer's terminal id is not 8 digits");
    }
    return new Enrolled(terminalId, certificateDer(text(answer, "certificate_pem")));
  }

  /** {@code POST …/terminals/{id}/nonce}: 201 with 16 bytes of nonce. */
  @Override
  public byte[] nonce(String terminalId) {
    byte[] nonce = base64(text(post(terminalPath(terminalId) + "/nonce", null, 201), "nonce"), "nonce");
    if (nonce.length != 16) {
      throw new SdkException("the acquirer's nonce is " + nonce.length + " bytes, not 16");
    }
    return nonce;
  }

  /** {@code POST …/terminals/{id}/attestations}: 200 with the verdict (refusals included). */
  @Override
  public Verdict attest(String terminalId, byte[] token) {
    JsonNode answer = post(terminalPath(terminalId) + "/attestations",
        JSON.createObjectNode().put("token", Base64.getEncoder().encodeToString(token)), 200);
    return new Verdict(text(answer, "outcome"), text(answer, "reason"), text(answer, "detail"));
  }

  private static String terminalPath(String terminalId) {
    if (terminalId == null || !TERMINAL_ID.matcher(terminalId).matches()) {
      throw new SdkException("terminal id must be 8 digits");
    }
    return ENROL_PATH + "/" + terminalId;
  }

  private JsonNode post(String path, ObjectNode body, int expected) {
    byte[] json = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
    AcquirerHttp.Answer answer = http.post(path, merchantToken, json);
    JsonNode node = parse(answer.body());
    if (answer.status() != expected) {
      String code = node != null && node.path("error").isTextual() ? node.get("error").asText() : "HTTP_" + answer.status();
      String detail = node != null && node.path("detail").isTextual() ? node.get("detail").asText() : "";
      throw new AcquirerApiException(answer.status(), code, detail);
    }
    if (node == null || !node.isObject()) {
      throw new SdkException("the acquirer's answer to " + path + " is not a JSON object");
    }
    return node;
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new SdkException("the acquirer's answer has no text field '" + field + "'");
    }
    return value.asText();
  }

  private static byte[] base64(String text, String what) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new SdkException("the acquirer's " + what + " is not base64");
    }
  }

  private static byte[] certificateDer(String pem) {
    String body = PEM_ARMOUR.matcher(pem).replaceAll("");
    try {
      return Base64.getMimeDecoder().decode(body.strip());
    } catch (IllegalArgumentException e) {
      throw new SdkException("the acquirer's certificate is not PEM");
    }
  }
}
