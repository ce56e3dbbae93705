package io.iotpay.protocol.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheme's conventions on top of the codec: merchant codes and the consumer code's chip data. */
class QrMerchantTest {
  private static final Pan ACCOUNT = Pan.withCheckDigit("629999000000001");

  @Test
  void dynamicCode_carriesAccountAmountAndReference_andDecodesBack() {
    MerchantPresentedCode code = QrMerchant.code("Noodle Stall", "Shanghai", "5812", ACCOUNT,
        Money.ofMinor(2_500, CurrencyUnit.CNY), "Q00000000042");
    MerchantPresentedCode decoded = MpmCodec.decode(code.text());
    assertThat(decoded.isDynamic()).isTrue();
    assertThat(QrMerchant.account(decoded)).isEqualTo(ACCOUNT);
    assertThat(decoded.amount()).contains(Money.ofMinor(2_500, CurrencyUnit.CNY));
    assertThat(QrMerchant.reference(decoded)).contains("Q00000000042");
  }

  @Test
  void staticCode_hasNoAmountNorReference() {
    MerchantPresentedCode code = MpmCodec.decode(QrMerchant.code("Noodle Stall", "Shanghai", "5812", ACCOUNT, null,
        null).text());
    assertThat(code.isDynamic()).isFalse();
    assertThat(code.amount()).isEmpty();
    assertThat(QrMerchant.reference(code)).isEmpty();
  }

  @Test
  void dynamicCodeWithoutReference_isRefusedByTag() {
    assertThatThrownBy(() -> QrMerchant.code("Noodle Stall", "Shanghai", "5812", ACCOUNT,
        Money.ofMinor(1, CurrencyUnit.CNY), null))
        .isInstanceOfSatisfying(QrException.class, e -> assertThat(e.tag()).isEqualTo("62.05"));
  }

  @Test
  void codeOfAnotherScheme_hasNoAccount() {
    // The EMVCo example (QrExamples) carries templates 29 and 31 of other GUIDs only.
    MerchantPresentedCode other = MpmCodec.decode(QrExamples.MPM_SPEC_EXAMPLE);
    assertThatThrownBy(() -> QrMerchant.account(other))
        .isInstanceOfSatisfying(QrException.class, e -> assertThat(e.error()).isEqualTo(QrError.MANDATORY_MISSING));
  }

  @Test
  void paymentData_roundTripsThroughField55_andCoversDateTimeUnAndAtc() {
    QrPaymentData data = new QrPaymentData(Instant.parse("2026-12-07T09:15:30Z"), Hex.decode("1A2B3C4D"), 0x0102,
        Hex.decode("0011223344556677"));
    assertThat(Hex.encode(data.cryptogramInput())).isEqualTo("261207091530" + "1A2B3C4D" + "0102");
    QrPaymentData back = QrPaymentData.fromField55(data.encoded()).orElseThrow();
    assertThat(back.madeAt()).isEqualTo(data.madeAt());
    assertThat(back.atc()).isEqualTo(0x0102);
    assertThat(back.cryptogram()).isEqualTo(data.cryptogram());
  }

  @Test
  void field55ThatIsNotPaymentData_isEmpty_neverAnException() {
    assertThat(QrPaymentData.fromField55(Hex.decode("9F2608001122334455667"  + "7"))).isEmpty();
    assertThat(QrPaymentData.fromField55(new byte[QrPaymentData.FIELD_55_BYTES_MAX + 1])).isEmpty();
    assertThat(QrPaymentData.fromField55(Hex.decode("FFFFFFFF"))).isEmpty();
    assertThat(QrPaymentData.from(List.of())).isEmpty();
  }
}
