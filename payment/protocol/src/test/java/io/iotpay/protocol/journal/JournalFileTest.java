package io.iotpay.protocol.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JournalFileTest {
  static TransitRecord record(long sequence, AlgorithmSuite suite) {
    return new TransitRecord(new RecordId("G01", sequence), PartyId.of("METRO-A"), "S01", TransitKind.EXIT,
        Pan.withCheckDigit("621234000000001"), 1, suite, (int) sequence, Money.ofMinor(300, CurrencyUnit.CNY), 4700,
        Instant.parse("2026-03-02T08:15:30Z"), LocalDate.of(2026, 3, 2), new byte[] {1, 2, 3},
        new byte[] {9, 8, 7, 6, 5, 4, 3, 2}, sequence % 2 == 0);
  }

  static byte[] journal(List<TransitRecord> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (TransitRecord record : records) {
      out.writeBytes((JournalLine.encode(record) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void lines_roundTrip_andTheScanEndsAfterTheLastLine(AlgorithmSuite suite) {
    List<TransitRecord> records = List.of(record(1, suite), record(2, suite), record(3, suite));
    byte[] bytes = journal(records);
    JournalFile.Scan scan = JournalFile.scan("test", bytes);
    assertThat(scan.records()).isEqualTo(records);
    assertThat(scan.goodEnd()).isEqualTo(bytes.length);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tornLastLine_isSkipped_andGoodEndStopsBeforeIt(AlgorithmSuite suite) {
    byte[] good = journal(List.of(record(1, suite), record(2, suite)));
    byte[] torn = JournalLine.encode(record(3, suite)).substring(0, 40).getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[good.length + torn.length];
    System.arraycopy(good, 0, bytes, 0, good.length);
    System.arraycopy(torn, 0, bytes, good.length, torn.length);
    JournalFile.Scan scan = JournalFile.scan("test", bytes);
    assertThat(scan.records()).hasSize(2);
    assertThat(scan.goodEnd()).isEqualTo(good.length);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void damagedLineBeforeTheLast_isCorruption_namingTheLine(AlgorithmSuite suite) {
    String text = new String(journal(List.of(record(1, suite), record(2, suite), record(3, suite))),
        StandardCharsets.UTF_8).replaceFirst(";300;", ";900;");
    assertThatThrownBy(() -> JournalFile.scan("test", text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JournalException.class).hasMessageContaining("line 1").hasMessageContaining("CRC");
  }
}
