package io.iotpay.terminal.gate;

import io.iotpay.protocol.journal.JournalFile;
import io.iotpay.protocol.journal.JournalLine;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate journal's file format: round trip, a torn last line cut, corruption elsewhere refused. */
class GateJournalTest {
  @TempDir Path dir;

  private static TransitRecord record(long sequence, AlgorithmSuite suite) {
    return new TransitRecord(new RecordId("IN-A", sequence), PartyId.of("METRO-1"), "S01",
        sequence % 2 == 0 ? TransitKind.EXIT : TransitKind.ENTRY, Pan.withCheckDigit("621234567890123"), 1, suite,
        (int) sequence, Money.ofMinor(sequence % 2 == 0 ? 300 : 0, CurrencyUnit.CNY), 4_700, Instant.parse("2026-11-23T08:00:00Z"),
        LocalDate.parse("2026-11-23"), new byte[] {1, 2, 3, (byte) sequence}, new byte[8], sequence == 3);
  }

  private Path withRecords(int count) {
    Path file = dir.resolve("gate.journal");
    try (GateJournal journal = GateJournal.open(file)) {
      for (int i = 1; i <= count; i++) {
        journal.append(record(i, i % 2 == 0 ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL));
      }
    }
    return file;
  }

  @Test
  void records_roundTripThroughTheFile() {
    Path file = withRecords(3);
    try (GateJournal journal = GateJournal.open(file)) {
      assertThat(journal.records()).containsExactly(record(1, AlgorithmSuite.INTERNATIONAL),
          record(2, AlgorithmSuite.NATIONAL), record(3, AlgorithmSuite.INTERNATIONAL));
      assertThat(journal.holds(record(2, AlgorithmSuite.NATIONAL).cardKey())).isTrue();
      assertThat(journal.nextSequence()).isEqualTo(4);
      assertThat(journal.tornBytesCut()).isZero();
    }
  }

  @Test
  void tornLastLineWithoutLineFeed_isCut_andLaterAppendsSurvive() throws Exception {
    Path file = withRecords(3);
    String line = JournalLine.encode(record(4, AlgorithmSuite.NATIONAL));
    Files.writeString(file, line.substring(0, line.length() / 2), StandardOpenOption.APPEND);
    assertThat(JournalFile.readRecords(file)).hasSize(3); // a reader skips the torn tail, cuts nothing
    assertThat(Files.size(file)).isGreaterThan(0);
    try (GateJournal journal = GateJournal.open(file)) {
      assertThat(journal.records()).hasSize(3);
      assertThat(journal.tornBytesCut()).isEqualTo(line.length() / 2);
      journal.append(record(4, AlgorithmSuite.NATIONAL));
    }
    try (GateJournal journal = GateJournal.open(file)) {
      assertThat(journal.records()).hasSize(4).last().isEqualTo(record(4, AlgorithmSuite.NATIONAL));
    }
  }

  @Test
  void damagedLastLineWithLineFeed_isCut() throws Exception {
    Path file = withRecords(2);
    String line = JournalLine.encode(record(3, AlgorithmSuite.INTERNATIONAL)).replace(";S01;", ";S02;");
    Files.writeString(file, line + "\n", StandardOpenOption.APPEND);
    try (GateJournal journal = GateJournal.open(file)) {
      assertThat(journal.records()).hasSize(2);
    }
  }

  @Test
  void damagedLineBeforeTheLast_refusesToOpen_namingTheLine() throws Exception {
    Path file = withRecords(3);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    lines.set(1, lines.get(1).replace(";300;", ";900;"));
    Files.write(file, lines, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> GateJournal.open(file)).isInstanceOf(GateException.class)
        .hasMessageContaining("line 2").hasMessageContaining("CRC");
  }
}
