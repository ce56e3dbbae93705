package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.transport.HttpDeviceTransport;
import io.iotpay.agent.transport.TransportException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.http.DeviceMessages;
import io.iotpay.platform.operator.HttpApiFixture.Device;
import io.iotpay.platform.operator.HttpApiFixture.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Device envelopes over HTTP, both suites: sealed by the SDK, through the API to the inbox on the real
 * envelope service, the signed answer checked by the SDK; refusals typed; the device-side
 * {@link HttpDeviceTransport} against the real API.
 */
class DeviceMessagesHttpTest {
  @TempDir Path tempDir;

  private static Response post(HttpApiFixture f, String device, byte[] envelope) throws Exception {
    return f.call("POST", "/v1/devices/" + device + "/messages", null, DeviceMessages.COSE, envelope);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void envelope_reachesTheInbox_andTheSdkVerifiesTheSignedAnswer(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      Device device = f.enrol("head-unit-1");
      for (boolean encrypt : new boolean[] {false, true}) {
        SealedMessage sent = device.client().seal("pay fuel 42".getBytes(StandardCharsets.UTF_8), encrypt);
        Response answer = post(f, "head-unit-1", sent.bytes());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo(DeviceMessages.COSE);
        assertThat(new String(device.client().openAnswer(sent, answer.body()), StandardCharsets.UTF_8)).isEqualTo("ack:pay fuel 42");

        Response duplicate = post(f, "head-unit-1", sent.bytes());
        assertThat(duplicate.status()).isEqualTo(200);
        assertThat(duplicate.headers().get("iotpay-duplicate")).containsExactly("true");
        assertThat(duplicate.body()).isEqualTo(answer.body());
      }
      assertThat(f.inbox.delivered).hasSize(2);
      assertThat(f.inbox.delivered.get(1).encrypted()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void refusals_carryTheRefusalReason_andReachNoHandler(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      Device device = f.enrol("speaker-2");
      f.enrol("speaker-3");
      SealedMessage sent = device.client().seal("hello".getBytes(StandardCharsets.UTF_8), false);

      Response garbage = post(f, "speaker-2", new byte[] {1, 2, 3});
      assertThat(garbage.status()).isEqualTo(400);
      assertThat(garbage.error()).isEqualTo("MALFORMED");
      byte[] forged = sent.bytes();
      forged[forged.length - 1] ^= 1;
      Response badSignature = post(f, "speaker-2", forged);
      assertThat(badSignature.status()).isEqualTo(401);
      assertThat(badSignature.error()).isEqualTo("BAD_SIGNATURE");
      Response oversized = post(f, "speaker-2", new byte[HttpApiConfig.ENVELOPE_BYTES_MAX_DEFAULT + 1]);
      assertThat(oversized.status()).isEqualTo(413);
      assertThat(oversized.error()).isEqualTo("OVERSIZED");
      assertThat(post(f, "bad%20id%21", sent.bytes()).error()).isEqualTo("MALFORMED");
      assertThat(f.inbox.delivered).isEmpty();

      Response otherChannel = post(f, "speaker-3", sent.bytes());
      assertThat(otherChannel.status()).isEqualTo(403);
      assertThat(otherChannel.error()).isEqualTo("CHANNEL_MISMATCH");
      assertThat(f.inbox.delivered).isEmpty();

      SealedMessage next = device.client().seal("again".getBytes(StandardCharsets.UTF_8), false);
      f.call("POST", "/v1/devices/speaker-2/suspend", f.operatorToken, "{\"reason\":\"stolen\"}");
      Response suspended = post(f, "speaker-2", next.bytes());
      assertThat(suspended.status()).isEqualTo(403);
      assertThat(suspended.error()).isEqualTo("DEVICE_SUSPENDED");
      f.call("POST", "/v1/devices/speaker-2/resume", f.operatorToken, "{\"reason\":\"found\"}");
      assertThat(post(f, "speaker-2", next.bytes()).status()).isEqualTo(200);
      Response replay = post(f, "speaker-2", sent.bytes());
      assertThat(replay.status()).isEqualTo(409);
      assertThat(replay.error()).isEqualTo("REPLAYED_COUNTER");
      assertThat(f.inbox.delivered).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void httpDeviceTransport_sendsToTheRealApi_andMapsRefusals(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      Device device = f.enrol("head-unit-4");
      HttpDeviceTransport.Config config = new HttpDeviceTransport.Config(f.base, "head-unit-4", Duration.ofSeconds(10), 3,
          Duration.ofMillis(10), null);
      try (HttpDeviceTransport transport = new HttpDeviceTransport(config)) {
        SealedMessage sent = device.client().seal("charge 7 kWh".getBytes(StandardCharsets.UTF_8), true);
        byte[] answer = transport.send(sent.bytes()).get(30, TimeUnit.SECONDS);
        assertThat(new String(device.client().openAnswer(sent, answer), StandardCharsets.UTF_8)).isEqualTo("ack:charge 7 kWh");
        byte[] forged = device.client().seal("x".getBytes(StandardCharsets.UTF_8), false).bytes();
        forged[forged.length - 1] ^= 1;
        assertThatThrownBy(() -> transport.send(forged).get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause().isInstanceOfSatisfying(TransportException.class, e -> {
              assertThat(e.reason()).isEqualTo("BAD_SIGNATURE");
              assertThat(e.retryable()).isFalse();
            });
      }
      assertThat(f.inbox.delivered).hasSize(1);
    }
  }
}
