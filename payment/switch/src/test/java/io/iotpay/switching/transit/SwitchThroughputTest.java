package io.iotpay.switching.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the switch's intake (both passes, de-duplication, routing, spooling) and settlement of
 * one operator's day. A measurement, not a check: it runs only with
 * {@code -Diotpay.throughput.records=N}, because it takes seconds of the shared 2 cores.
 */
class SwitchThroughputTest {
  @TempDir Path directory;

  @Test
  @EnabledIfSystemProperty(named = "iotpay.throughput.records", matches = "[0-9]+") // a measurement: only on request, it takes seconds of the shared cores
  void intakeAndSettlement_recordsPerSecond() throws Exception {
    int count = Integer.parseInt(System.getProperty("iotpay.throughput.records"));
    List<TransitRecord> records = new ArrayList<>(count);
    Pan[] pans = new Pan[100_000];
    for (int i = 0; i < pans.length; i++) {
      pans[i] = Pan.withCheckDigit((i % 2 == 0 ? "621" : "622") + String.format("%012d", i));
    }
    byte[] input = new byte[64];
    for (int i = 0; i < count; i++) {
      records.add(new TransitRecord(new RecordId("G" + (i % 500), i + 1L), SwitchFixture.METRO_A, "ST" + (i % 90),
          TransitKind.EXIT, pans[i % pans.length], 0, AlgorithmSuite.values()[i % 2], i / pans.length,
          Money.ofMinor(200 + i % 500, CurrencyUnit.CNY), 1000, Instant.parse("2026-11-20T08:00:00Z"),
          SwitchFixture.DAY, input, new byte[8], false));
    }
    FileHeader header = TransitFileWriter.headerFor(FileKind.OFFLINE, SwitchFixture.METRO_A, SwitchFixture.SWITCH,
        SwitchFixture.DAY, 1, CurrencyUnit.CNY, records);
    Path file = directory.resolve("offline.txt");
    long writeStart = System.nanoTime();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      TransitFileWriter.writeAll(out, header, records);
    }
    long writeNs = System.nanoTime() - writeStart;
    records = null; // let the generator's records go before the intake is measured
    try (SwitchFixture fixture = new SwitchFixture(directory)) {
      long intakeStart = System.nanoTime();
      IntakeReceipt receipt = fixture.transitSwitch.receive(file);
      long intakeNs = System.nanoTime() - intakeStart;
      long settleStart = System.nanoTime();
      SettlementRun run = fixture.transitSwitch.settle(SwitchFixture.DAY, SwitchFixture.DAY.plusDays(1));
      long settleNs = System.nanoTime() - settleStart;
      assertThat(receipt.recordsAccepted()).isEqualTo(count);
      assertThat(run.report().recordsSettled()).isEqualTo(count);
      System.out.printf("switch: %d records; write %.0f records/s; intake %.0f records/s (%.1f s); settlement with "
          + "clearing files %.1f s; write+intake+settle %.0f records/s%n", count, count * 1e9 / writeNs,
          count * 1e9 / intakeNs, intakeNs / 1e9, settleNs / 1e9, count * 1e9 / (writeNs + intakeNs + settleNs));
    }
  }
}
