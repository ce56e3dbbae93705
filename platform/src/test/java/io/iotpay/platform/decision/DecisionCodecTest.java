package io.iotpay.platform.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.ledger.LedgerEntry;
import io.iotpay.platform.identity.DeviceId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecisionCodecTest {
  static PaymentDecision sample() {
    PaymentIntent intent = new PaymentIntent(new IdempotencyKey(DeviceId.of("car-1"), 42), "pump-7", Money.ofMinor(31_950, CurrencyUnit.CNY),
        "car.fuel", "pump-session-9", true, false);
    return new PaymentDecision(intent.key(), 0, intent, DecisionOutcome.APPROVED,
        List.of(new DecisionReason("CONFIRMED_ON_DEVICE", "319.50 CNY above threshold, confirmed — 司机确认")),
        "mandate-3", 0x1234_5678_9ABC_DEF0L, Instant.ofEpochMilli(1_793_606_400_123L), 17);
  }

  @Test
  void roundTrip_givesTheSameDecision() {
    PaymentDecision decision = sample();
    assertThat(DecisionCodec.decode(DecisionCodec.encode(decision), 17)).isEqualTo(decision);
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme.meter_7", "a.b.c", "node_1", "._-", "x.y_z-0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrst"})
  void roundTrip_keepsDeviceIdsWithDotsAndUnderscores(String id) {
    PaymentDecision sample = sample();
    PaymentIntent intent = new PaymentIntent(new IdempotencyKey(DeviceId.of(id), 42), "pump-7", sample.intent().amount(), "car.fuel",
        "pump-session-9", true, false);
    PaymentDecision decision = new PaymentDecision(intent.key(), 0, intent, DecisionOutcome.APPROVED, sample.reasons(), "mandate-3",
        sample.holdTransferId(), sample.decidedAt(), 17);

    byte[] entry = DecisionCodec.encode(decision);

    assertThat(DecisionCodec.decode(entry, 17)).isEqualTo(decision);
    assertThat(DecisionCodec.decode(entry, 17).intent().deviceId().value()).isEqualTo(id);
    // Length-prefixed, so '.' and '_' need no escaping: the field is the id's ASCII bytes as they are.
    assertThat(entry[6]).isEqualTo((byte) id.length());
    assertThat(new String(entry, 7, id.length(), StandardCharsets.US_ASCII)).isEqualTo(id);
  }

  @Test
  void aDeviceIdOutsideTheAlphabet_isRefusedNamingTheOffset() {
    byte[] entry = DecisionCodec.encode(sample()); // device id "car-1" sits at bytes 7..11
    entry[10] = '/';
    assertThatThrownBy(() -> DecisionCodec.decode(entry, 0)).isInstanceOf(DecisionInputException.class)
        .hasMessageContaining("decision entry at byte").hasMessageContaining("'/' at position 3");
  }

  @Test
  void layout_isTheDocumentedOne() {
    byte[] entry = DecisionCodec.encode(sample());
    ByteBuffer in = ByteBuffer.wrap(entry);
    byte[] magic = new byte[3];
    in.get(magic);
    assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("IPD");
    assertThat(in.get()).isEqualTo((byte) 1); // format version
    assertThat(in.get()).isEqualTo((byte) 0); // decision version
    assertThat(in.get()).isEqualTo((byte) 1); // APPROVED
    assertThat(in.get()).isEqualTo((byte) 5); // "car-1"
    in.position(in.position() + 5);
    assertThat(in.getLong()).isEqualTo(42);
    assertThat(in.get()).isEqualTo((byte) 6); // "pump-7"
    in.position(in.position() + 6);
    assertThat(in.getLong()).isEqualTo(31_950);
    assertThat(in.getShort()).isEqualTo((short) 156);
  }

  @Test
  void aDecisionLeaf_isNeverMistakenForALedgerEntry() {
    byte[] entry = DecisionCodec.encode(sample());
    assertThat(entry[0]).isNotEqualTo(LedgerEntry.CANONICAL_VERSION);
    assertThat(DecisionCodec.isDecision(entry)).isTrue();
    assertThat(DecisionCodec.isDecision(new byte[LedgerEntry.CANONICAL_LENGTH])).isFalse();
  }

  @Test
  void everyTruncation_isATypedRefusalNamingTheField() {
    byte[] entry = DecisionCodec.encode(sample());
    for (int length = 5; length < entry.length; length++) {
      byte[] cut = Arrays.copyOf(entry, length);
      assertThatThrownBy(() -> DecisionCodec.decode(cut, 0)).isInstanceOf(DecisionInputException.class).hasMessageContaining("decision entry");
    }
  }

  @Test
  void trailingBytesAndBadCodes_areRefused() {
    byte[] entry = DecisionCodec.encode(sample());
    byte[] longer = Arrays.copyOf(entry, entry.length + 1);
    assertThatThrownBy(() -> DecisionCodec.decode(longer, 0)).isInstanceOf(DecisionInputException.class).hasMessageContaining("after the last field");
    byte[] badOutcome = entry.clone();
    badOutcome[5] = 9;
    assertThatThrownBy(() -> DecisionCodec.decode(badOutcome, 0)).isInstanceOf(DecisionInputException.class).hasMessageContaining("outcome code 9");
    assertThatThrownBy(() -> DecisionCodec.decode(new byte[] {1, 2, 3}, 0)).isInstanceOf(DecisionInputException.class);
    assertThatThrownBy(() -> DecisionCodec.decode(null, 0)).isInstanceOf(DecisionInputException.class);
  }

  @Property(tries = 1000)
  void anyOneByteChange_isRefusedOrDecodesToExactlyThoseBytes(@ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll byte value) {
    byte[] entry = DecisionCodec.encode(sample());
    entry[position % entry.length] = value;
    try {
      PaymentDecision decoded = DecisionCodec.decode(entry, 0);
      assertThat(DecisionCodec.encode(decoded)).isEqualTo(entry);
    } catch (DecisionInputException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 300)
  void arbitraryBytes_areRefusedOrDecodeToExactlyThoseBytes(@ForAll @Size(max = 300) byte[] tail) {
    byte[] entry = new byte[4 + tail.length];
    entry[0] = 'I';
    entry[1] = 'P';
    entry[2] = 'D';
    entry[3] = 1;
    System.arraycopy(tail, 0, entry, 4, tail.length);
    try {
      PaymentDecision decoded = DecisionCodec.decode(entry, 0);
      assertThat(DecisionCodec.encode(decoded)).isEqualTo(entry);
    } catch (DecisionInputException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
