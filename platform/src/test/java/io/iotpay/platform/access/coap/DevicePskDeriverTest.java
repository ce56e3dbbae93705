package io.iotpay.platform.access.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DevicePskDeriverTest {
  private static final byte[] MASTER = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  /** The PSK is the same for devices of both suites: DTLS PSK suites are AES whatever the envelope's suite. */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void derive_matchesBouncyCastleHkdf_asLowercaseHex(AlgorithmSuite suite) {
    String id = "washer-" + suite.name().toLowerCase();
    byte[] expected = new byte[DevicePskDeriver.DERIVED_BYTES];
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(MASTER, "iotpay/coap-psk/v1".getBytes(StandardCharsets.US_ASCII), id.getBytes(StandardCharsets.UTF_8)));
    hkdf.generateBytes(expected, 0, expected.length);

    byte[] psk = new DevicePskDeriver(MASTER).derive(new DeviceId(id));

    assertThat(psk).hasSize(DevicePskDeriver.PSK_BYTES);
    assertThat(new String(psk, StandardCharsets.US_ASCII)).isEqualTo(HexFormat.of().formatHex(expected));
  }

  @Test
  void derive_differsPerDeviceAndPerMasterKey() {
    DevicePskDeriver deriver = new DevicePskDeriver(MASTER);
    byte[] otherMaster = MASTER.clone();
    otherMaster[0] ^= 1;
    assertThat(deriver.derive(new DeviceId("a"))).isNotEqualTo(deriver.derive(new DeviceId("b")));
    assertThat(deriver.derive(new DeviceId("a"))).isNotEqualTo(new DevicePskDeriver(otherMaster).derive(new DeviceId("a")));
    assertThat(deriver.derive(new DeviceId("a"))).isEqualTo(deriver.derive(new DeviceId("a")));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 16, 31, 65, 1024})
  void masterKeyOutsideBounds_refused(int length) {
    assertThatThrownBy(() -> new DevicePskDeriver(new byte[length])).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(length + " bytes");
  }

  @Test
  void toString_hidesTheKey() {
    assertThat(new DevicePskDeriver(MASTER).toString()).doesNotContain("0001020304").contains("hidden");
  }

  @Test
  void config_boundsChecked() {
    assertThatThrownBy(() -> CoapAccessConfig.builder().envelopeBytesMax(CoapAccessConfig.ENVELOPE_BYTES_MAX_LIMIT + 1).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("envelopeBytesMax");
    assertThatThrownBy(() -> CoapAccessConfig.builder().blockSizeBytes(500).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("blockSizeBytes");
    assertThatThrownBy(() -> CoapAccessConfig.builder().dtlsConnectionsMax(0).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("dtlsConnectionsMax");
    assertThatThrownBy(() -> CoapAccessConfig.builder().serverCredentials(null, java.util.List.of()).plainUdpAddress(null)
        .dtlsAddress(null).build()).isInstanceOf(InvalidInputException.class).hasMessageContaining("dtlsAddress");
    assertThat(CoapAccessConfig.builder().build().x509Enabled()).isFalse();
  }
}
