package io.iotpay.terminal.pos;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.OdaTrustStore;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import io.iotpay.terminal.pos.PosOutcome.Reason;
import io.iotpay.terminal.pos.Tvr.Bit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * fDDA in the POS kernel: the EMV applet personalised with certificates of an {@link OdaScheme}
 * signs 9F4B at the first GENERATE AC through the card's {@code DynamicSigner}; the kernel verifies
 * it with foundation's {@code OdaVerifier}. Both suites.
 */
class PosOdaTest {
  @TempDir Path dir;
  Till till;

  @BeforeEach
  void setUp() {
    till = new Till(dir);
  }

  @AfterEach
  void tearDown() {
    till.close();
  }

  private static boolean tvrHas(PosOutcome o, Bit bit) {
    byte[] tvr = Hex.decode(o.entry().tvr());
    return (tvr[bit.index] & bit.mask) != 0;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void genuineCard_fddaVerifies_approvedOnline_tenCommands(AlgorithmSuite suite) {
    OdaScheme scheme = OdaScheme.of(suite);
    till.withOda(scheme.verifier(CaRevocationList.empty()));
    PosCard card = PosCard.withOda(suite, till.issuer, Till.PAN, scheme);
    PosOutcome outcome = till.charge(card, 2_000);
    assertThat(outcome.reason()).as(outcome.detail()).isEqualTo(Reason.APPROVED_ONLINE);
    assertThat(outcome.commandCount()).isEqualTo(8); // two more READ RECORDs for the certificates
    assertThat(tvrHas(outcome, Bit.ODA_NOT_PERFORMED)).isFalse();
    assertThat(tvrHas(outcome, Bit.DDA_FAILED)).isFalse();
    assertThat(Integer.parseInt(outcome.entry().tsi().substring(0, 2), 16) & PosKernel.TSI_ODA_PERFORMED).isNotZero();
    assertThat(till.issuer.arqcsValid).isEqualTo(1); // the AIP with DDA is in the cryptogram and field 55
    assertThat(till.charge(card, 2_000).reason()).as("a second tap signs a new nonce").isEqualTo(Reason.APPROVED_ONLINE);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void counterfeit_certificatesForAnotherKey_declinedNeverOnline_cardClosed(AlgorithmSuite suite) {
    OdaScheme scheme = OdaScheme.of(suite);
    till.withOda(scheme.verifier(CaRevocationList.empty()));
    PosCard card = PosCard.counterfeitWithOda(suite, till.issuer, Till.PAN, scheme);
    PosOutcome outcome = till.charge(card, 2_000);
    assertThat(outcome.reason()).isEqualTo(Reason.DECLINED_ODA_FAILED);
    assertThat(outcome.detail()).contains("DYNAMIC_SIGNATURE_INVALID");
    assertThat(tvrHas(outcome, Bit.DDA_FAILED)).isTrue();
    assertThat(till.issuer.requests).isZero();
    assertThat(outcome.entry().cid2() & 0xC0).as("the ARQC closed with an AAC").isZero();
    assertThat(outcome.entry().reversal()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void unknownCaOrRevokedIssuer_declined(AlgorithmSuite suite) {
    OdaScheme scheme = OdaScheme.of(suite);
    PosCard card = PosCard.withOda(suite, till.issuer, Till.PAN, scheme);
    till.withOda(new OdaVerifier(OdaTrustStore.of(List.of()), CaRevocationList.empty()));
    PosOutcome unknown = till.charge(card, 2_000);
    assertThat(unknown.reason()).isEqualTo(Reason.DECLINED_ODA_FAILED);
    assertThat(unknown.detail()).contains("CA_KEY_UNKNOWN");

    till.withOda(scheme.verifier(CaRevocationList.builder()
        .revoke(OdaScheme.RID, OdaScheme.CA_INDEX, OdaScheme.ISSUER_SERIAL).build()));
    PosOutcome revoked = till.charge(card, 2_000);
    assertThat(revoked.reason()).isEqualTo(Reason.DECLINED_ODA_FAILED);
    assertThat(revoked.detail()).contains("ISSUER_CERT_REVOKED");
    assertThat(till.issuer.requests).isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void odaCard_atTerminalWithoutOda_odaNotPerformed_stillApprovedOnline(AlgorithmSuite suite) {
    PosCard card = PosCard.withOda(suite, till.issuer, Till.PAN, OdaScheme.of(suite));
    PosOutcome outcome = till.charge(card, 2_000);
    assertThat(outcome.reason()).isEqualTo(Reason.APPROVED_ONLINE);
    assertThat(tvrHas(outcome, Bit.ODA_NOT_PERFORMED)).isTrue();
  }
}
