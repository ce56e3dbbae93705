package io.iotpay.protocol.iso8583;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A MACed write that starts from this thread's plain write of the same message gives the bytes a fresh one does. */
class Iso8583WirePlainReuseTest {
  private static final Iso8583Wire WIRE = Iso8583Wire.load();

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void macedWrite_afterPlainWriteOfTheSameMessage_isByteForByteTheFreshOne(AlgorithmSuite suite) {
    ZoneKeys keys = Samples.zoneKeys(suite);
    AuthorisationRequest request = Samples.authorisation(42);
    CardResponse answer = CardResponse.answering(request, ResponseCode.APPROVED, "123456", Samples.ICC);
    for (Iso8583Message message : List.of(request, answer)) {
      WIRE.write(Samples.authorisation(7)); // this thread's last plain write is another message
      byte[] fresh = WIRE.write(message, keys, keys.current());

      byte[] plain = WIRE.write(message);
      plain[plain.length - 1] ^= 1; // what the caller does with its copy does not reach the wire
      byte[] reused = WIRE.write(message, keys, keys.current());

      assertThat(reused).isEqualTo(fresh);
      Iso8583Wire.Received received = WIRE.read(reused);
      assertThat(received.message()).isEqualTo(message);
      assertThat(Iso8583Wire.verify(received, keys, keys.acceptable(0))).isSameAs(keys.current());
    }
  }
}
