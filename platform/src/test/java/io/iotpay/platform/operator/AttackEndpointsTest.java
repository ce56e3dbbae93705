package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.http.DeviceMessages;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.inbox.SecurityEventLog;
import io.iotpay.platform.operator.HttpApiFixture.Device;
import io.iotpay.platform.operator.HttpApiFixture.Response;
import io.iotpay.platform.state.DeviceObservation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Attacks visible to the operator, both suites, on the real API: refusals at the HTTP door logged once
 * (a captured WARN line with fields), counted in {@code /metrics} and listed page by page; a clone
 * suspicion's evidence shown, cleared and confirmed (the device revoked) through the API.
 */
class AttackEndpointsTest {
  @TempDir Path tempDir;

  private static Response post(HttpApiFixture f, String device, byte[] envelope) throws Exception {
    return f.call("POST", "/v1/devices/" + device + "/messages", null, DeviceMessages.COSE, envelope);
  }

  private static double metric(HttpApiFixture f, String door, String reason) throws Exception {
    Response scrape = f.call("GET", "/metrics", f.operatorToken, null);
    assertThat(scrape.status()).isEqualTo(200);
    Matcher m = Pattern.compile("(?m)^iotpay_door_refusals_total\\{door=\"" + door + "\",reason=\"" + reason + "\"[^}]*} (\\S+)$")
        .matcher(scrape.text());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void httpRefusals_areLoggedOnce_counted_andListedPageByPage(AlgorithmSuite suite) throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(SecurityEventLog.class);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      Device device = f.enrol("speaker-1");
      SealedMessage sent = device.client().seal("hello".getBytes(StandardCharsets.UTF_8), false);
      for (int i = 0; i < 3; i++) {
        assertThat(post(f, "speaker-1", new byte[] {1, 2, (byte) i}).error()).isEqualTo("MALFORMED");
      }
      assertThat(post(f, "speaker-1", sent.bytes()).status()).isEqualTo(200);
      assertThat(post(f, "speaker-1", device.client().seal("x".getBytes(StandardCharsets.UTF_8), false).bytes()).status()).isEqualTo(200);
      assertThat(post(f, "speaker-1", sent.bytes()).error()).isEqualTo("REPLAYED_COUNTER");

      // Logged once each, at WARN, with the door, channel and reason as fields.
      List<String> lines = captured.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines.stream().filter(l -> l.contains("door=HTTP, channel=speaker-1, reason=MALFORMED"))).hasSize(3);
      assertThat(lines.stream().filter(l -> l.contains("door=HTTP, channel=speaker-1, reason=REPLAYED_COUNTER"))).hasSize(1);

      assertThat(metric(f, "http", "MALFORMED")).isEqualTo(3.0);
      assertThat(metric(f, "http", "REPLAYED_COUNTER")).isEqualTo(1.0);

      Response first = f.call("GET", "/operator/refusals?door=http&reason=MALFORMED&limit=2", f.operatorToken, null);
      assertThat(first.status()).as(first.toString()).isEqualTo(200);
      JsonNode page = first.json();
      assertThat(page.get("refusals")).hasSize(2);
      assertThat(page.get("refusals").get(0).get("door").asText()).isEqualTo("http");
      assertThat(page.get("refusals").get(0).get("channel").asText()).isEqualTo("speaker-1");
      assertThat(page.get("refusals").get(0).get("reason").asText()).isEqualTo("MALFORMED");
      long after = page.get("next_after").asLong();
      JsonNode second = f.call("GET", "/operator/refusals?door=http&reason=MALFORMED&limit=2&after=" + after, f.operatorToken, null).json();
      assertThat(second.get("refusals")).hasSize(1);
      assertThat(second.get("next_after").isNull()).isTrue();
      assertThat(f.call("GET", "/operator/refusals?door=coap", f.operatorToken, null).json().get("refusals")).isEmpty();
      assertThat(f.call("GET", "/operator/refusals?since=2999-01-01T00:00:00Z", f.operatorToken, null).json().get("refusals")).isEmpty();

      assertThat(f.call("GET", "/operator/refusals", null, null).status()).isEqualTo(401);
      assertThat(f.call("GET", "/operator/refusals?door=pigeon", f.operatorToken, null).status()).isEqualTo(400);
      assertThat(f.call("GET", "/operator/refusals?limit=0", f.operatorToken, null).status()).isEqualTo(400);
      assertThat(f.call("GET", "/operator/refusals?reason=drop%20table", f.operatorToken, null).status()).isEqualTo(400);
    } finally {
      logger.detachAppender(captured);
    }
  }

  private static void flagAsCloned(HttpApiFixture f, DeviceId id, long counter) {
    // Fresh counters from two places at once: what only a second holder of the key produces.
    f.platform.states.observe(new DeviceObservation.Message(id, f.platform.clock.now(), "a", "http:198.51.100.7", counter));
    f.platform.states.observe(new DeviceObservation.Message(id, f.platform.clock.now(), "b", "http:203.0.113.9", counter + 1));
    f.platform.states.observe(new DeviceObservation.Message(id, f.platform.clock.now(), "a", "http:198.51.100.7", counter + 2));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cloneEvidence_isShown_andTheOperatorClearsOrConfirmsIt(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      f.enrol("car-1");
      DeviceId id = DeviceId.of("car-1");
      String reason = "{\"reason\":\"checked with the owner\"}";
      assertThat(f.call("GET", "/v1/devices/car-1/clone", f.operatorToken, null).json().get("clone_suspected").asBoolean()).isFalse();
      assertThat(f.call("POST", "/v1/devices/car-1/clone/clear", f.operatorToken, reason).status()).isEqualTo(409);

      flagAsCloned(f, id, 1);
      JsonNode shown = f.call("GET", "/v1/devices/car-1/clone", f.operatorToken, null).json();
      assertThat(shown.get("clone_suspected").asBoolean()).isTrue();
      assertThat(shown.get("evidence").asText()).contains("http:198.51.100.7", "http:203.0.113.9", "counter 3");
      assertThat(shown.get("clone_status").asText()).isEqualTo("SUSPECTED");
      assertThat(shown.get("evidence_rows")).hasSize(3);
      assertThat(shown.get("evidence_rows").get(1).get("kind").asText()).isEqualTo("MESSAGE");
      assertThat(shown.get("evidence_rows").get(1).get("place").asText()).isEqualTo("http:203.0.113.9");
      assertThat(shown.get("evidence_rows").get(1).get("session").asText()).isEqualTo("b");
      assertThat(shown.get("evidence_rows").get(1).get("counter").asLong()).isEqualTo(2);
      assertThat(shown.get("evidence_dropped").asLong()).isZero();

      assertThat(f.call("POST", "/v1/devices/car-1/clone/clear", null, reason).status()).isEqualTo(401);
      assertThat(f.call("POST", "/v1/devices/car-1/clone/clear", f.operatorToken, "{\"reason\":\"\"}").status()).isEqualTo(400);
      long auditSize = f.platform.auditLog.size();
      Response cleared = f.call("POST", "/v1/devices/car-1/clone/clear", f.operatorToken, reason);
      assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
      // The verdict is a leaf of the signed audit log, written before the flag is cleared.
      assertThat(f.platform.auditLog.size()).isEqualTo(auditSize + 1);
      assertThat(cleared.json().get("audit_index").asLong()).isEqualTo(auditSize);
      assertThat(cleared.json().get("cleared_evidence").asText()).contains("interleaved places");
      assertThat(f.platform.states.state(id).orElseThrow().cloneSuspicion()).isNull();

      flagAsCloned(f, id, 10);
      Response confirmed = f.call("POST", "/v1/devices/car-1/clone/confirm", f.operatorToken, "{\"reason\":\"two cars seen\"}");
      assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
      assertThat(confirmed.json().get("status").asText()).isEqualTo("REVOKED");
      assertThat(confirmed.json().get("audit_index").asLong()).as("the confirmation, a leaf after the clearing")
          .isGreaterThan(cleared.json().get("audit_index").asLong());
      // The revocation is the registry's recorded status change, with the reason and the evidence.
      assertThat(f.registry.find(id).orElseThrow().status().name()).isEqualTo("REVOKED");
      assertThat(f.registry.find(id).orElseThrow().statusReason()).startsWith("clone confirmed: two cars seen (evidence: ");
      // A confirmed clone stays in force: shown as such, and neither verdict applies to it again.
      JsonNode final_ = f.call("GET", "/v1/devices/car-1/clone", f.operatorToken, null).json();
      assertThat(final_.get("clone_status").asText()).isEqualTo("CONFIRMED");
      assertThat(final_.get("verdict_reason").asText()).isEqualTo("two cars seen");
      Response again = f.call("POST", "/v1/devices/car-1/clone/clear", f.operatorToken, reason);
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.error()).isEqualTo("CLONE_CONFIRMED");
      assertThat(f.call("GET", "/v1/devices/nobody/clone", f.operatorToken, null).status()).isEqualTo(404);
    }
  }
}
