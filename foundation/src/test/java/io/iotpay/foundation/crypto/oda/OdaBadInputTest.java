package io.iotpay.foundation.crypto.oda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Inputs rejected before any verification: typed {@link OdaException}s naming what was wrong. */
class OdaBadInputTest {

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void caKeyWithAWrongPublishedChecksum_isRejected(AlgorithmSuite suite) {
    CaPublicKey genuine = OdaFixture.of(suite).ca.publicKey();
    byte[] wrong = genuine.checksum();
    wrong[0] ^= 1;

    assertThatThrownBy(() -> CaPublicKey.checked(suite, genuine.rid(), genuine.index(), genuine.key(), wrong))
        .isInstanceOf(OdaException.class).hasMessageContaining("checksum");
    assertThat(CaPublicKey.checked(suite, genuine.rid(), genuine.index(), genuine.key(), genuine.checksum())).isEqualTo(genuine);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void caKeyOfTheOtherSuitesType_isRejected(AlgorithmSuite suite) {
    AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    OdaPublicKey key = OdaFixture.of(suite).ca.publicKey().key();

    assertThatThrownBy(() -> CaPublicKey.of(other, OdaFixture.RID, 1, key)).isInstanceOf(OdaException.class);
    assertThatThrownBy(() -> CaPublicKey.of(suite, new byte[4], 1, key)).isInstanceOf(OdaException.class).hasMessageContaining("RID");
    assertThatThrownBy(() -> CaPublicKey.of(suite, OdaFixture.RID, 256, key)).isInstanceOf(OdaException.class);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void twoDifferentKeysUnderOneIndex_areRejected(AlgorithmSuite suite) {
    CaPublicKey first = OdaFixture.of(suite).ca.publicKey();
    CaPublicKey second = OdaIssuing.newCa(suite, OdaFixture.RID, OdaFixture.CA_INDEX, 1024, OdaFixture.RANDOM).publicKey();

    assertThatThrownBy(() -> OdaTrustStore.of(List.of(first, second))).isInstanceOf(OdaException.class);
    assertThat(OdaTrustStore.of(List.of(first, first)).size()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuingOutsideTheBounds_isRejected(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    assertThatThrownBy(() -> OdaIssuing.newIssuer(f.ca, "62", YearMonth.of(2030, 1), Hex.decode("000001"), 1024, OdaFixture.RANDOM))
        .isInstanceOf(OdaException.class).hasMessageContaining("3 to 8 digits");
    assertThatThrownBy(() -> OdaIssuing.newIssuer(f.ca, "621234", YearMonth.of(2030, 1), Hex.decode("01"), 1024, OdaFixture.RANDOM))
        .isInstanceOf(OdaException.class).hasMessageContaining("serial");
    assertThatThrownBy(() -> OdaIssuing.certifyCard(f.issuer, Hex.decode("6212345678901234567890"), OdaFixture.VALID,
        Hex.decode("000001"), f.icc == null ? null : OdaIssuing.publicKey(f.cardKeys.getPublic()), new byte[0], OdaFixture.RANDOM))
        .isInstanceOf(OdaException.class).hasMessageContaining("PAN");
  }

  @org.junit.jupiter.api.Test
  void rsaSizesOutsideBook2_areRejected() {
    assertThatThrownBy(() -> OdaIssuing.newCa(AlgorithmSuite.INTERNATIONAL, OdaFixture.RID, 1, 2048, OdaFixture.RANDOM))
        .isInstanceOf(OdaException.class).hasMessageContaining("512..1984");
    assertThatThrownBy(() -> OdaIssuing.newCardKeyPair(AlgorithmSuite.INTERNATIONAL, 1020, OdaFixture.RANDOM))
        .isInstanceOf(OdaException.class);
    OdaFixture f = OdaFixture.of(AlgorithmSuite.INTERNATIONAL);
    // An ICC key longer than the issuer's cannot fit its certificate (Book 2: N_IC ≤ N_I).
    OdaPublicKey tooLong = OdaIssuing.publicKey(OdaIssuing.newCardKeyPair(AlgorithmSuite.INTERNATIONAL, 1984, OdaFixture.RANDOM).getPublic());
    assertThatThrownBy(() -> OdaIssuing.certifyCard(f.issuer, OdaFixture.PAN, OdaFixture.VALID, Hex.decode("000001"), tooLong,
        new byte[0], OdaFixture.RANDOM)).isInstanceOf(OdaException.class);
  }

  @org.junit.jupiter.api.Test
  void fddaValuesOfTheWrongLength_andBadRevocationEntries_areRejected() {
    assertThatThrownBy(() -> new FddaData(new byte[3], new byte[6], new byte[2], new byte[7]))
        .isInstanceOf(OdaException.class).hasMessageContaining("9F37");
    assertThatThrownBy(() -> new FddaData(new byte[4], new byte[6], new byte[2], null))
        .isInstanceOf(OdaException.class).hasMessageContaining("9F69");
    assertThatThrownBy(() -> CaRevocationList.builder().revoke(OdaFixture.RID, 1, new byte[2]))
        .isInstanceOf(OdaException.class);
  }
}
