package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The spool writes its records as a complete file in card-transaction order, whatever order they came in. */
class TransitRecordSpoolTest {
  /** PAN text, PSN, ATC: the issuer registry's key order (docs/clearing-files.md §4). */
  private static final Comparator<TransitRecord> CARD_ORDER = Comparator
      .comparing((TransitRecord r) -> r.pan().digits())
      .thenComparingInt(TransitRecord::panSequence)
      .thenComparingInt(TransitRecord::atc);

  @Property(tries = 60)
  void writtenFile_holdsTheSameRecords_inCardOrder_stableForEqualKeys(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 300) int count, @ForAll boolean copyLines) throws IOException {
    Random random = new Random(seed);
    List<TransitRecord> records = Records.random(seed, count);
    // some records share a card key (different ids): equal keys must keep their arrival order
    List<TransitRecord> input = new ArrayList<>(records);
    for (int i = 0; i < count / 10; i++) {
      TransitRecord twin = records.get(random.nextInt(count));
      input.add(random.nextInt(input.size() + 1), new TransitRecord(new io.iotpay.protocol.transit.RecordId(twin.id().terminalId(), 1_000_000L + i),
          twin.operator(), twin.stationId(), twin.kind(), twin.pan(), twin.panSequence(), twin.suite(), twin.atc(),
          twin.fare(), twin.quotaAfterMinor(), twin.time(), twin.businessDate(), twin.cryptogramInput(), twin.tac(),
          twin.recovered()));
    }
    Path body = Files.createTempFile("spool", ".body");
    byte[] written;
    try (TransitRecordSpool spool = new TransitRecordSpool(body, CurrencyUnit.CNY)) {
      append(spool, input, copyLines);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      spool.writeFile(out, FileKind.CLEARING, Records.SWITCH, Records.OPERATOR, Records.DAY, 7);
      written = out.toByteArray();
    }
    List<TransitRecord> read = TransitFileReader.readAll(new ByteArrayInputStream(written), FileKind.CLEARING,
        FileLimits.defaults());
    List<TransitRecord> expected = new ArrayList<>(input);
    expected.sort(CARD_ORDER); // List.sort is stable: equal keys stay in arrival order
    assertThat(read).containsExactlyElementsOf(expected);
    assertThat(Files.exists(body)).isFalse();
  }

  @Property(tries = 40)
  void rollback_takesBackExactlyTheRecordsAfterTheMark(@ForAll long seed, @ForAll @IntRange(min = 0, max = 100) int kept,
      @ForAll @IntRange(min = 0, max = 100) int takenBack, @ForAll @IntRange(min = 0, max = 100) int later,
      @ForAll boolean copyLines) throws IOException {
    List<TransitRecord> all = Records.random(seed, kept + takenBack + later);
    List<TransitRecord> first = all.subList(0, kept);
    List<TransitRecord> dropped = all.subList(kept, kept + takenBack);
    List<TransitRecord> last = all.subList(kept + takenBack, all.size());
    Path body = Files.createTempFile("spool", ".body");
    try (TransitRecordSpool spool = new TransitRecordSpool(body, CurrencyUnit.CNY)) {
      append(spool, first, copyLines);
      TransitRecordSpool.Mark mark = spool.mark();
      append(spool, dropped, copyLines);
      spool.rollback(mark);
      assertThat(spool.count()).isEqualTo(kept);
      append(spool, last, copyLines);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      spool.writeFile(out, FileKind.CLEARING, Records.SWITCH, Records.OPERATOR, Records.DAY, 7);
      List<TransitRecord> expected = new ArrayList<>(first);
      expected.addAll(last);
      expected.sort(CARD_ORDER);
      assertThat(TransitFileReader.readAll(new ByteArrayInputStream(out.toByteArray()), FileKind.CLEARING,
          FileLimits.defaults())).containsExactlyElementsOf(expected);
    }
  }

  private static void append(TransitRecordSpool spool, List<TransitRecord> records, boolean copyLines) {
    if (copyLines) {
      appendByCopy(spool, records);
    } else {
      records.forEach(spool::append);
    }
  }

  /** The switch's path: lines copied as read, from a read-ahead's batches. */
  private static void appendByCopy(TransitRecordSpool spool, List<TransitRecord> records) {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    TransitFileWriter.writeAll(file, Records.header(FileKind.OFFLINE, records), records);
    try (SummaryReadAhead reader = SummaryReadAhead.open(new ByteArrayInputStream(file.toByteArray()),
        FileKind.OFFLINE, FileLimits.defaults())) {
      for (SummaryReadAhead.Batch batch = reader.next(); batch != null; batch = reader.next()) {
        for (int i = 0; i < batch.size(); i++) {
          spool.appendLine(batch.lines(), batch.lineOffset(i), batch.lineLength(i), batch.summary(i));
        }
      }
    }
  }
}
