package io.iotpay.platform.access.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceIdException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;

/**
 * Our own parsing of CoAP input: the Uri-Path of the uplink resource and the DTLS PSK identity.
 * Junk never throws, and a device comes out only for exactly {@code devices/{valid id}/up} or a
 * valid id.
 */
class CoapIdentityFuzzProperties {

  @Property(tries = 2000)
  void uriPath_junkNeverThrows_deviceOnlyForExactShape(@ForAll("paths") List<String> path) {
    Optional<DeviceId> device = DeviceUplinkPath.deviceOf(path);
    boolean exactShape = path.size() == 3 && "devices".equals(path.get(0)) && "up".equals(path.get(2)) && validId(path.get(1));
    assertThat(device.isPresent()).isEqualTo(exactShape);
    device.ifPresent(id -> assertThat(id.value()).isEqualTo(path.get(1)));
  }

  @Property(tries = 2000)
  void pskIdentity_junkNeverThrows_deviceOnlyForValidId(@ForAll("identities") String identity) {
    Optional<DeviceId> device = ChannelIdentity.deviceOf(new PreSharedKeyIdentity(identity));
    assertThat(device.isPresent()).isEqualTo(validId(identity));
    device.ifPresent(id -> assertThat(id.value()).isEqualTo(identity));
  }

  @Property(tries = 200)
  void nullsAndOversizedPathsAreRefused(@ForAll @Size(max = 300) List<@Size(max = 3) String> extra) {
    List<String> path = new ArrayList<>(List.of("devices", "washer-1", "up"));
    path.addAll(extra);
    assertThat(DeviceUplinkPath.deviceOf(path).isPresent()).isEqualTo(extra.isEmpty());
    List<String> withNull = new ArrayList<>(path);
    withNull.set(1, null);
    assertThat(DeviceUplinkPath.deviceOf(withNull)).isEmpty();
    assertThat(DeviceUplinkPath.deviceOf(null)).isEmpty();
    assertThat(ChannelIdentity.deviceOf(null)).isEmpty();
  }

  @Provide
  Arbitrary<List<String>> paths() {
    Arbitrary<String> segment = Arbitraries.oneOf(
        Arbitraries.of("devices", "up", "washer-1", "", ".", "..", "+", "#", "devices/washer-1", "DEVICES", "up\u0000"),
        identities());
    return segment.list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> identities() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('\u0000', '\u024f').ofMaxLength(80),
        Arbitraries.strings().withChars("abcXYZ019._-/ %").ofMinLength(0).ofMaxLength(70),
        Arbitraries.strings().ascii().ofMinLength(60).ofMaxLength(300));
  }

  private static boolean validId(String text) {
    if (text == null) {
      return false;
    }
    try {
      new DeviceId(text);
      return true;
    } catch (DeviceIdException e) {
      return false;
    }
  }
}
