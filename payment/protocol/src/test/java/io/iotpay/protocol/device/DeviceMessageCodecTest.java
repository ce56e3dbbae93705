package io.iotpay.protocol.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.cose.CborWriter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceMessageCodecTest {
  @Test
  void event_roundTrips_andHasTheDocumentedBytes() {
    DeviceRequest event = new DeviceRequest.Event("washing-machine", Map.of("detergentLevelPercent", "12"));
    byte[] bytes = DeviceMessageCodec.encode(event);
    // [1, 1, "washing-machine", {"detergentLevelPercent": "12"}] — the example of docs/device-messages.md.
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
        "8401016f77617368696e672d6d616368696e65a175646574657267656e744c6576656c50657263656e74623132");
    assertThat(DeviceMessageCodec.decodeRequest(bytes)).isEqualTo(event);
  }

  @Test
  void deliveryAndStatus_roundTrip() {
    for (DeviceRequest request : List.of(
        new DeviceRequest.Delivery(42, true),
        new DeviceRequest.Delivery(0, false),
        new DeviceRequest.Status("wm-2.4.1", Boolean.TRUE, 31_230_400L, 121_473_700L),
        new DeviceRequest.Status(null, null, null, null),
        new DeviceRequest.Status(null, Boolean.FALSE, -33_868_800L, -151_209_300L))) {
      assertThat(DeviceMessageCodec.decodeRequest(DeviceMessageCodec.encode(request))).isEqualTo(request);
    }
  }

  @Test
  void answer_roundTrips() {
    PlatformAnswer answer = new PlatformAnswer(PlatformAnswer.Status.OK, "1 decision", List.of(
        new PlatformAnswer.Decision(7, "APPROVED", "HELD", "detergent-shop", 3_990, "CNY", List.of()),
        new PlatformAnswer.Decision(8, "DECLINED", "NONE", "pump-7", 90_000, "CNY", List.of("PER_PAYMENT_LIMIT", "VELOCITY"))));
    assertThat(DeviceMessageCodec.decodeAnswer(DeviceMessageCodec.encode(answer))).isEqualTo(answer);
  }

  @Test
  void refusals_areTypedAndNameTheProblem() {
    assertThatThrownBy(() -> DeviceMessageCodec.decodeRequest(new byte[0])).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("0 bytes");
    assertThatThrownBy(() -> DeviceMessageCodec.decodeRequest(new byte[DeviceMessageCodec.BYTES_MAX + 1]))
        .isInstanceOf(ProtocolException.class);
    byte[] version2 = new CborWriter().array(4).integer(2).integer(2).integer(1).integer(1).toByteArray();
    assertThatThrownBy(() -> DeviceMessageCodec.decodeRequest(version2)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("version 2");
    byte[] unknownKind = new CborWriter().array(2).integer(1).integer(9).toByteArray();
    assertThatThrownBy(() -> DeviceMessageCodec.decodeRequest(unknownKind)).hasMessageContaining("unknown kind 9");
    byte[] twice = new CborWriter().array(4).integer(1).integer(1).text("car-head-unit").map(2)
        .text("a").text("1").text("a").text("2").toByteArray();
    assertThatThrownBy(() -> DeviceMessageCodec.decodeRequest(twice)).hasMessageContaining("field a given twice");
    byte[] flag = new CborWriter().array(4).integer(1).integer(2).integer(5).integer(3).toByteArray();
    assertThatThrownBy(() -> DeviceMessageCodec.decodeRequest(flag)).hasMessageContaining("delivered flag is 3");
    byte[] trailing = java.util.Arrays.copyOf(DeviceMessageCodec.encode(new DeviceRequest.Delivery(1, true)), 7);
    assertThatThrownBy(() -> DeviceMessageCodec.decodeRequest(trailing)).hasMessageContaining("trailing");
    byte[] badType = new CborWriter().array(4).integer(1).integer(1).text("Car Unit").map(0).toByteArray();
    assertThatThrownBy(() -> DeviceMessageCodec.decodeRequest(badType)).hasMessageContaining("device type");
    assertThatThrownBy(() -> new DeviceRequest.Status(null, null, 91_000_000L, 0L)).hasMessageContaining("off the globe");
  }
}
