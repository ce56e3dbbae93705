package io.iotpay.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.protocol.cose.CoseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeExceptionTest {
  @ParameterizedTest
  @EnumSource(CoseException.Reason.class)
  void of_keepsTheCodecsReasonNameMessageAndCause(CoseException.Reason codecReason) {
    CoseException refused = new CoseException(codecReason, "COSE_Sign1: truncated at offset 3");
    EnvelopeException translated = EnvelopeException.of(refused);
    assertThat(translated.reason().name()).isEqualTo(codecReason.name());
    assertThat(translated.getMessage()).isEqualTo(refused.getMessage())
        .isEqualTo(codecReason.name() + ": COSE_Sign1: truncated at offset 3");
    assertThat(translated.getCause()).isSameAs(refused);
  }
}
