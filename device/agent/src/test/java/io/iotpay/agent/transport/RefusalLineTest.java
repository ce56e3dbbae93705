package io.iotpay.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.protocol.device.RefusalReason;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The platform's unsigned refusal line: parsed strictly, anything else ignored. */
class RefusalLineTest {
  @Test
  void reasonAndCounter_areRead() {
    assertThat(parse("CHANNEL_MISMATCH 7")).isEqualTo(new RefusalLine("CHANNEL_MISMATCH", 7));
    assertThat(parse("MALFORMED")).isEqualTo(new RefusalLine("MALFORMED", -1));
    assertThat(parse("DUPLICATE_IN_PROGRESS 3").retryable()).isTrue();
    assertThat(parse("BAD_SIGNATURE 3").retryable()).isFalse();
  }

  @Test
  void everyPlatformReason_readsBackTyped_andOnlyTheTransientOnesAreRetryable() {
    for (RefusalReason reason : RefusalReason.values()) {
      RefusalLine line = parse(reason.name() + " 9");
      assertThat(line.retryable()).as(reason.name()).isEqualTo(reason == RefusalReason.DUPLICATE_IN_PROGRESS
          || reason == RefusalReason.UNAVAILABLE);
      assertThat(new TransportException(line.reason(), line.retryable(), "refused").refusal()).contains(reason);
    }
    assertThat(new TransportException("TIMEOUT", true, "no answer").refusal()).isEmpty();
    assertThat(parse("SOME_NEWER_REASON 1").retryable()).isFalse();
  }

  @Test
  void anythingElse_isIgnored() {
    assertThat(parse("")).isNull();
    assertThat(parse("lower 1")).isNull();
    assertThat(parse("MALFORMED -1")).isNull();
    assertThat(parse("MALFORMED 1 2")).isNull();
    assertThat(parse("MALFORMED 99999999999999999999")).isNull();
    assertThat(parse("A".repeat(65))).isNull();
  }

  @Property(tries = 2000)
  void randomBytes_parseToAWellFormedLineOrNothing(@ForAll @Size(max = 100) byte[] bytes) {
    RefusalLine line = RefusalLine.parse(bytes, 64);
    if (line != null) {
      assertThat(line.reason()).matches("[A-Z_]{1,40}");
      assertThat(line.counter()).isGreaterThanOrEqualTo(-1);
    }
  }

  private static RefusalLine parse(String text) {
    return RefusalLine.parse(text.getBytes(StandardCharsets.US_ASCII), 64);
  }
}
