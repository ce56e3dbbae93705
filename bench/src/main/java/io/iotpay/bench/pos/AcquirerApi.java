package io.iotpay.bench.pos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.phone.pos.AcquirerHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The acquiring app's and the operator's side of the acquirer's onboarding API
 * (docs/merchant-onboarding.md), as the bench and the demo drive it: a merchant's online
 * registration, an operator's action. JSON over real HTTP ({@link AcquirerHttp#jdk}).
 */
public final class AcquirerApi {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: its status and JSON body ({@code {"error","detail"}} for a refusal). */
  public record Answer(int status, JsonNode body) {
    public String text(String field) {
      return body.path(field).asText("");
    }
  }

  private final AcquirerHttp http;

  public AcquirerApi(URI base) {
    this.http = AcquirerHttp.jdk(base, Duration.ofSeconds(30));
  }

  /**
   * {@code POST /v1/pos/merchants}: 201 with the merchant's state after the automatic review, its
   * findings and its token ({@code merchant_token}); 200 for a retried request id.
   */
  public Answer register(String requestId, String legalName, String licence, String ownerId, String mcc, String address,
      String bankId, String accountNumber) {
    ObjectNode body = JSON.createObjectNode().put("request_id", requestId).put("legal_name", legalName)
        .put("business_licence_number", licence).put("owner_id_number", ownerId).put("mcc", mcc).put("address", address);
    body.putObject("settlement_account").put("bank_id", bankId).put("account_number", accountNumber);
    return post("/v1/pos/merchants", null, body);
  }

  /** An operator's action on a merchant or terminal, e.g. {@code /v1/pos/merchants/{id}/suspend}, with its reason. */
  public Answer operator(String path, String operatorToken, String reason) {
    return post(path, operatorToken, JSON.createObjectNode().put("reason", reason));
  }

  private Answer post(String path, String token, ObjectNode body) {
    AcquirerHttp.Answer answer = http.post(path, token, body.toString().getBytes(StandardCharsets.UTF_8));
    try {
      return new Answer(answer.status(), JSON.readTree(answer.body()));
    } catch (IOException e) {
      throw new UncheckedIOException("the acquirer's answer to " + path + " is not JSON", e);
    }
  }
}
