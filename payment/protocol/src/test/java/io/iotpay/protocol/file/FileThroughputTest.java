package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures write + read of an offline file. A measurement, not a check: it runs only when asked,
 * e.g. {@code -Diotpay.throughput.records=1000000}, because a million records take seconds of the
 * shared 2 cores.
 */
class FileThroughputTest {
  @TempDir Path directory;

  @Test
  @EnabledIfSystemProperty(named = "iotpay.throughput.records", matches = "[0-9]+") // a measurement: only on request, it takes seconds of the shared cores
  void writeThenRead_recordsPerSecond() throws Exception {
    int count = Integer.parseInt(System.getProperty("iotpay.throughput.records"));
    // 1,000 distinct records cycled with new sequence numbers: the generator is not what is measured;
    // a TAC's input is about 64 bytes (docs/card-apdus.md §6: CDOL1 data, AIP, ATC, CID, IAD, quota, record)
    List<TransitRecord> samples = Records.random(42, 1000);
    List<TransitRecord> records = new ArrayList<>(count);
    Random random = new Random(7);
    for (int i = 0; i < count; i++) {
      TransitRecord s = samples.get(random.nextInt(samples.size()));
      records.add(new TransitRecord(new io.iotpay.protocol.transit.RecordId(s.id().terminalId(), i + 1L), s.operator(),
          s.stationId(), s.kind(), s.pan(), s.panSequence(), s.suite(), s.atc(), s.fare(), s.quotaAfterMinor(),
          s.time(), s.businessDate(), java.util.Arrays.copyOf(s.cryptogramInput(), 64), s.tac(), s.recovered()));
    }
    Path file = directory.resolve("offline.txt");
    FileHeader header = TransitFileWriter.headerFor(FileKind.OFFLINE, Records.OPERATOR, Records.SWITCH, Records.DAY, 1,
        CurrencyUnit.CNY, records);
    long writeStart = System.nanoTime();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      TransitFileWriter.writeAll(out, header, records);
    }
    long writeNs = System.nanoTime() - writeStart;
    long verifyStart = System.nanoTime();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      TransitFileReader reader = TransitFileReader.open(in, FileKind.OFFLINE, FileLimits.defaults());
      while (reader.next()) {
        // integrity pass only (the switch's first pass)
      }
    }
    long verifyNs = System.nanoTime() - verifyStart;
    long readStart = System.nanoTime();
    long read = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      TransitFileReader reader = TransitFileReader.open(in, FileKind.OFFLINE, FileLimits.defaults());
      while (reader.next()) {
        reader.record();
        read++;
      }
    }
    long readNs = System.nanoTime() - readStart;
    assertThat(read).isEqualTo(count);
    System.out.printf("offline file: %d records, %d MB; write %.0f records/s, integrity pass %.0f records/s, "
        + "read (decode) %.0f records/s, write+read %.0f records/s%n", count, Files.size(file) >> 20,
        count * 1e9 / writeNs, count * 1e9 / verifyNs, count * 1e9 / readNs, count * 1e9 / (writeNs + readNs));
  }
}
