package io.iotpay.switching.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.CardRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The store keys (PAN hash, sealed advices) under both suites, and the card-range adapter. */
class StoreKeysTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sealedBytes_openToThePlainBytes_andHideThem(AlgorithmSuite suite) {
    StoreKeys keys = OnlineFixture.storeKeys(suite);
    byte[] plain = ("0120 " + OnlineFixture.CARD_A.digits()).getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = keys.seal(plain);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(OnlineFixture.CARD_A.digits());
    assertThat(keys.open(sealed)).hasValueSatisfying(opened -> assertThat(opened).isEqualTo(plain));
    assertThat(keys.seal(plain)).isNotEqualTo(sealed); // a fresh IV each time
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anyFlippedBit_orAnotherKey_opensToNothing(AlgorithmSuite suite) {
    StoreKeys keys = OnlineFixture.storeKeys(suite);
    byte[] sealed = keys.seal("advice".getBytes(StandardCharsets.US_ASCII));
    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] damaged = sealed.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(keys.open(damaged)).as("bit %d", bit).isEmpty();
    }
    AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    assertThat(OnlineFixture.storeKeys(other).open(sealed)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void panHash_isStablePerCard_andDiffersBetweenCards(AlgorithmSuite suite) {
    StoreKeys keys = OnlineFixture.storeKeys(suite);
    assertThat(keys.panHash(OnlineFixture.CARD_A)).isEqualTo(keys.panHash(OnlineFixture.CARD_A)).hasSize(32)
        .isNotEqualTo(keys.panHash(OnlineFixture.CARD_A2)).doesNotContain(OnlineFixture.CARD_A.digits());
  }

  @Test
  void routes_takeTheLongestMatchingRange() {
    PartyId a = PartyId.of("ISSA");
    PartyId b = PartyId.of("ISSB");
    IssuerRoutes routes = new IssuerRoutes(List.of(new CardRange("62", a), new CardRange("621234", b)));
    assertThat(routes.issuerOf(OnlineFixture.CARD_A)).contains(b); // 621234…
    assertThat(routes.issuerOf(OnlineFixture.CARD_B)).contains(a); // 622…
    assertThat(routes.issuerOf(OnlineFixture.CARD_UNKNOWN)).isEmpty();
  }
}
