package io.iotpay.protocol.authorisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.cose.CborWriter;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The authorisation format's fixed points: the documented bytes, and each kind of refusal naming its field. */
class AuthorisationCodecTest {
  private static final AuthorisationRequest.Hold HOLD = new AuthorisationRequest.Hold(5, 10, 200,
      Money.ofMinor(2_000, CurrencyUnit.CNY), 604_800_000, "washer-1:7");

  @Test
  void release_encodesAsTheDocumentedBytes() {
    // [1, 3, 9, 5]: array of 4, version 1, kind 3 (release), request 9, hold 5 (docs/authorisation.md).
    assertThat(HexFormat.of().formatHex(AuthorisationCodec.encode(new AuthorisationRequest.Release(9, 5)))).isEqualTo("8401030905");
  }

  @Test
  void response_encodesAsTheDocumentedBytes() {
    // [1, 16, 5, 0, 5, ""]: array of 6, version 1, kind 16 (response), request 5, APPROVED, hold 5, empty detail.
    assertThat(HexFormat.of().formatHex(AuthorisationCodec.encode(AuthorisationResponse.approved(5, 5)))).isEqualTo("860110050005" + "60");
  }

  @Test
  void decodeRequest_ofAnotherVersion_isRefused() {
    byte[] bytes = new CborWriter().array(4).integer(2).integer(3).integer(9).integer(5).toByteArray();

    assertThatThrownBy(() -> AuthorisationCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("version 2 is not supported");
  }

  @Test
  void decodeRequest_ofAResponse_isRefusedByKind() {
    byte[] bytes = AuthorisationCodec.encode(AuthorisationResponse.approved(5, 5));

    assertThatThrownBy(() -> AuthorisationCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("kind 16 is not hold");
  }

  @Test
  void decodeRequest_withATrailingByte_isRefused() {
    byte[] encoded = AuthorisationCodec.encode(HOLD);
    byte[] bytes = java.util.Arrays.copyOf(encoded, encoded.length + 1);

    assertThatThrownBy(() -> AuthorisationCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("1 trailing bytes");
  }

  @Test
  void decodeRequest_withALongFormInteger_isRefusedAsNotCanonical() {
    // Request id 9 written as 0x18 0x09 instead of 0x09.
    byte[] bytes = HexFormat.of().parseHex("840103180905");

    assertThatThrownBy(() -> AuthorisationCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("not in shortest (canonical) form");
  }

  @Test
  void decodeRequest_beyondTheByteBound_isRefusedBeforeParsing() {
    byte[] bytes = new byte[AuthorisationCodec.REQUEST_BYTES_MAX + 1];

    assertThatThrownBy(() -> AuthorisationCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("more than " + AuthorisationCodec.REQUEST_BYTES_MAX);
  }

  @Test
  void decodeRequest_holdWithZeroAmount_isRefusedNamingTheField_butItsIdCanBePeeked() {
    byte[] bytes = new CborWriter().array(11).integer(1).integer(1).integer(77).integer(10).integer(200).integer(0)
        .text("CNY").integer(156).integer(2).integer(604_800_000).text("r").toByteArray();

    assertThatThrownBy(() -> AuthorisationCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("hold 77: amount");
    assertThat(AuthorisationCodec.peekRequestId(bytes)).hasValue(77);
  }

  @Test
  void decodeRequest_holdWithABadCurrency_isRefusedTyped() {
    byte[] bytes = new CborWriter().array(11).integer(1).integer(1).integer(77).integer(10).integer(200).integer(5)
        .text("cny").integer(156).integer(2).integer(604_800_000).text("r").toByteArray();

    assertThatThrownBy(() -> AuthorisationCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("hold 77").hasMessageContaining("three upper-case letters");
  }

  @Test
  void decodeResponse_withAnUnknownResultCode_isRefused() {
    byte[] bytes = new CborWriter().array(6).integer(1).integer(16).integer(5).integer(99).integer(0).text("").toByteArray();

    assertThatThrownBy(() -> AuthorisationCodec.decodeResponse(bytes)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("result code 99 is unknown");
  }

  @Test
  void hold_withAControlCharacterInItsReference_isRefused() {
    assertThatThrownBy(() -> new AuthorisationRequest.Hold(5, 10, 200, Money.ofMinor(1, CurrencyUnit.CNY), 60_000, "a\nb"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("control character at index 1");
  }

  @Test
  void peekRequestId_ofGarbage_isEmpty() {
    assertThat(AuthorisationCodec.peekRequestId(new byte[] {(byte) 0xFF, 0x01})).isEmpty();
    assertThat(AuthorisationCodec.peekRequestId(null)).isEmpty();
  }
}
