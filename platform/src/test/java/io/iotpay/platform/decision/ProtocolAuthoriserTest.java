package io.iotpay.platform.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.authorisation.AuthorisationCodec;
import io.iotpay.protocol.authorisation.AuthorisationResponse;
import io.iotpay.protocol.authorisation.ResultCode;
import org.junit.jupiter.api.Test;

/** The client side's handling of answers that decide nothing: each is an {@link AuthoriserException}, never a result. */
class ProtocolAuthoriserTest {
  private static final Money AMOUNT = Money.ofMinor(1_500, CurrencyUnit.CNY);

  @Test
  void unreadableAnswer_isAnUnknownOutcome() {
    ProtocolAuthoriser authoriser = new ProtocolAuthoriser(request -> new byte[] {0x01, 0x02});

    assertThatThrownBy(() -> authoriser.release(5, 4)).isInstanceOf(AuthoriserException.class)
        .hasMessageContaining("release request 5 is unreadable");
  }

  @Test
  void answerToAnotherRequest_isAnUnknownOutcome() {
    ProtocolAuthoriser authoriser = new ProtocolAuthoriser(request -> AuthorisationCodec.encode(AuthorisationResponse.approved(6, 4)));

    assertThatThrownBy(() -> authoriser.capture(5, 4, 100)).isInstanceOf(AuthoriserException.class)
        .hasMessageContaining("answered request 6 instead of capture request 5");
  }

  @Test
  void issuerUnavailableOrMalformed_isAnUnknownOutcome() {
    for (ResultCode undecided : new ResultCode[] {ResultCode.ISSUER_UNAVAILABLE, ResultCode.MALFORMED}) {
      ProtocolAuthoriser authoriser = new ProtocolAuthoriser(
          request -> AuthorisationCodec.encode(AuthorisationResponse.refused(7, undecided, 0, "busy")));

      assertThatThrownBy(() -> authoriser.hold(7, 1, 2, AMOUNT, 60_000, "r")).isInstanceOf(AuthoriserException.class)
          .hasMessageContaining(undecided.name());
    }
  }

  @Test
  void refusal_isReturnedWithItsDetail() {
    ProtocolAuthoriser authoriser = new ProtocolAuthoriser(
        request -> AuthorisationCodec.encode(AuthorisationResponse.refused(7, ResultCode.HOLD_CLOSED, 3, "ledger: PENDING_TRANSFER_ALREADY_POSTED")));

    assertThat(authoriser.release(7, 3)).isEqualTo(new AuthoriserResult(AuthoriserResult.Status.HOLD_CLOSED, 3,
        "ledger: PENDING_TRANSFER_ALREADY_POSTED"));
  }
}
