package io.iotpay.phone.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.IccData;
import io.iotpay.protocol.iso8583.MonthDayTime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SDK's sent requests on disk: sealed (no PAN in clear), owner-only, reversed once, tampering refused. */
class DurableSentRequestsTest {
  @TempDir Path dir;
  static final Pan PAN = Pan.withCheckDigit("621234567890123");

  static CardTransaction sent(int stan) {
    MonthDayTime at = new MonthDayTime(MonthDay.of(12, 7), LocalTime.of(9, 0, stan % 60));
    return new CardTransaction(PAN, "000000", Money.ofMinor(1_234, CurrencyUnit.CNY), at, stan, at,
        YearMonth.of(2029, 12), "071", 1, "48020000", String.format("%012d", stan), "12345678", "PHONESHOP1     ",
        null, new IccData(new byte[] {(byte) 0x9F, 0x36, 0x02, 0x00, 0x01}));
  }

  private static RecordSeal seal(AlgorithmSuite suite, int fill) {
    byte[] key = new byte[16];
    java.util.Arrays.fill(key, (byte) fill);
    byte[] mac = new byte[16];
    java.util.Arrays.fill(mac, (byte) (fill + 0x40));
    return new RecordSeal(suite, new SecretKeyBytes(key), new SecretKeyBytes(mac));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void requestsSurviveARestart_sealedAndOwnerOnly_reversedOnce(AlgorithmSuite suite) throws Exception {
    Path sentDir = dir.resolve("sent");
    DurableSentRequests store = new DurableSentRequests(sentDir, seal(suite, 1));
    store.put(1, sent(17));
    store.put(2, sent(18));
    assertThat(Files.getPosixFilePermissions(sentDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    for (Path f : Files.list(sentDir).toList()) {
      assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain(PAN.digits());
    }

    DurableSentRequests reopened = new DurableSentRequests(sentDir, seal(suite, 1));
    assertThat(reopened.get(1)).hasValueSatisfying(t -> {
      assertThat(t.pan()).isEqualTo(PAN);
      assertThat(t.stan()).isEqualTo(17);
      assertThat(t.amount().amountMinor()).isEqualTo(1_234);
    });
    assertThat(reopened.highestStan()).isEqualTo(18);
    assertThat(reopened.resolved(1)).isFalse();
    reopened.remove(1);
    assertThat(reopened.get(1)).isEmpty();
    assertThat(reopened.resolved(1)).isTrue();
    assertThat(reopened.original(1)).as("a refund still finds its purchase").isPresent();
    assertThat(reopened.get(3)).isEmpty();
    reopened.markNotSent(3);
    assertThat(reopened.resolved(3)).isTrue();

    // Another key (another phone's file copied in), or a flipped byte: a typed refusal, not a request.
    assertThatThrownBy(() -> new DurableSentRequests(sentDir, seal(suite, 2)).get(2)).isInstanceOf(SdkException.class)
        .hasMessageContaining("seal");
    Path file = sentDir.resolve("2.req");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> reopened.get(2)).isInstanceOf(SdkException.class);
  }
}
