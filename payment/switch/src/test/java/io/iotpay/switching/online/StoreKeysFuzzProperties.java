package io.iotpay.switching.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Opening a queued advice row is the one place the switch reads bytes back: no input makes it throw. */
class StoreKeysFuzzProperties {
  @Property(tries = 1_000)
  void randomBytes_openToNothing(@ForAll @Size(max = 600) byte[] bytes, @ForAll AlgorithmSuite suite) {
    assertThat(OnlineFixture.storeKeys(suite).open(bytes)).isEmpty();
  }

  @Property(tries = 1_000)
  void mutatedSeals_openToTheirPlainBytesOrNothing(
      @ForAll @Size(min = 1, max = 300) byte[] plain, @ForAll AlgorithmSuite suite, @ForAll int position, @ForAll byte xor) {
    StoreKeys keys = OnlineFixture.storeKeys(suite);
    byte[] sealed = keys.seal(plain);
    sealed[Math.floorMod(position, sealed.length)] ^= xor;
    keys.open(sealed).ifPresent(opened -> assertThat(opened).isEqualTo(plain)); // only when xor was 0
    assertThat(keys.open(sealed).isPresent()).isEqualTo(xor == 0);
  }
}
