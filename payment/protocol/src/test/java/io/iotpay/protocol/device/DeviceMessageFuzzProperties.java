package io.iotpay.protocol.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.protocol.ProtocolException;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Decoders on random and mutated bytes: a valid message or a ProtocolException, never anything else. */
class DeviceMessageFuzzProperties {
  @Property(tries = 1000)
  void decodeRequest_onArbitraryBytes_decodesOrRefusesTyped(@ForAll @Size(max = 300) byte[] bytes) {
    decodeBoth(bytes);
  }

  @Property(tries = 1000)
  void decodeRequest_onMutatedValidMessages_decodesOrRefusesTyped(
      @ForAll("requests") byte[] valid, @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll byte value) {
    byte[] mutated = valid.clone();
    mutated[where % mutated.length] = value;
    decodeBoth(mutated);
  }

  @Property(tries = 300)
  void event_roundTrips(@ForAll("fields") Map<String, String> fields) {
    DeviceRequest.Event event = new DeviceRequest.Event("smart-speaker", fields);
    assertThat(DeviceMessageCodec.decodeRequest(DeviceMessageCodec.encode(event))).isEqualTo(event);
  }

  @Provide
  Arbitrary<Map<String, String>> fields() {
    return Arbitraries.maps(
        Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(1).ofMaxLength(64),
        Arbitraries.strings().withCharRange((char) 0x20, (char) 0x7E).ofMaxLength(256))
        .ofMaxSize(32);
  }

  @Provide
  Arbitrary<byte[]> requests() {
    return Arbitraries.oneOf(
        fields().map(f -> DeviceMessageCodec.encode(new DeviceRequest.Event("washing-machine", f))),
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(c -> DeviceMessageCodec.encode(new DeviceRequest.Delivery(c, c % 2 == 0))),
        Arbitraries.just(DeviceMessageCodec.encode(new DeviceRequest.Status("fw-1", true, 1L, 2L))));
  }

  private static void decodeBoth(byte[] bytes) {
    try {
      assertThat(DeviceMessageCodec.decodeRequest(bytes)).isNotNull();
    } catch (ProtocolException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      assertThat(DeviceMessageCodec.decodeAnswer(bytes)).isNotNull();
    } catch (ProtocolException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
