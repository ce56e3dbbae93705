package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The read-ahead gives what reading in turn gives: the same summaries and refusals, line numbers,
 * raw lines and checksum, and the same file defect at the same place, across batch boundaries.
 */
class SummaryReadAheadProperties {
  /** One record as read: summary or refusal message, line number, raw line. */
  private record Seen(RecordSummary summary, String refusal, long line, String raw) {}

  /** What a whole read gave: the records before the end, then the checksum or the defect. */
  private record Outcome(List<Seen> records, String checksumHex, String defect) {}

  @Property(tries = 40)
  void readAhead_givesWhatReadingInTurnGives(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 5000) int count, @ForAll @IntRange(min = 0, max = 4) int mutation,
      @ForAll int position, @ForAll byte value) {
    List<TransitRecord> records = Records.random(seed, count);
    byte[] file = TransitFileTest.write(records);
    int at = Math.floorMod(position, file.length);
    byte[] bytes = switch (mutation) {
      case 0 -> file; // intact
      case 1 -> {
        byte[] copy = file.clone();
        copy[at] = value;
        yield copy;
      }
      case 2 -> Arrays.copyOf(file, at); // truncated
      case 3 -> { // records with a bad terminal id, the file resealed: refusals inside batches, the file whole
        String text = TransitFileTest.text(file);
        String body = text.substring(0, text.lastIndexOf("\nT|") + 1).replace("\nR|G1", "\nR|g1");
        yield resealed(body);
      }
      default -> { // a bad checksum only: every record is read before the defect shows
        byte[] copy = file.clone();
        copy[copy.length - 2] = (byte) (copy[copy.length - 2] == '0' ? '1' : '0');
        yield copy;
      }
    };
    assertThat(readAhead(bytes)).isEqualTo(inTurn(bytes));
  }

  @Property(tries = 5)
  void closingEarly_stopsTheWorker(@ForAll long seed) {
    // more batches than the queue holds: the worker is still blocked on the queue when the caller stops
    byte[] file = TransitFileTest.write(Records.random(seed,
        (SummaryReadAhead.BATCHES_AHEAD + 4) * SummaryReadAhead.BATCH_RECORDS));
    SummaryReadAhead reader = SummaryReadAhead.open(new ByteArrayInputStream(file), FileKind.OFFLINE,
        FileLimits.defaults());
    assertThat(reader.next()).isNotNull();
    assertThat(reader.workerAlive()).isTrue();
    reader.close();
    assertThat(reader.workerAlive()).isFalse();
  }

  private static byte[] resealed(String withoutTrailer) {
    try {
      return TransitFileTest.resealed(withoutTrailer);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Outcome inTurn(byte[] bytes) {
    List<Seen> seen = new ArrayList<>();
    try {
      TransitFileReader reader = TransitFileReader.open(new ByteArrayInputStream(bytes), FileKind.OFFLINE,
          FileLimits.defaults());
      while (reader.next()) {
        byte[] line = new byte[reader.currentLineLength()];
        reader.copyCurrentLine(line, 0);
        RecordSummary summary = null;
        String refusal = null;
        try {
          summary = reader.summary();
        } catch (ProtocolException e) {
          refusal = e.getMessage();
        }
        seen.add(new Seen(summary, refusal, reader.lineNumber(), new String(line, java.nio.charset.StandardCharsets.US_ASCII)));
      }
      return new Outcome(seen, java.util.HexFormat.of().formatHex(reader.checksum()), null);
    } catch (ProtocolException e) {
      return new Outcome(seen, null, e.getMessage());
    }
  }

  private static Outcome readAhead(byte[] bytes) {
    List<Seen> seen = new ArrayList<>();
    try (SummaryReadAhead reader = SummaryReadAhead.open(new ByteArrayInputStream(bytes), FileKind.OFFLINE,
        FileLimits.defaults())) {
      for (SummaryReadAhead.Batch batch = reader.next(); batch != null; batch = reader.next()) {
        for (int i = 0; i < batch.size(); i++) {
          seen.add(new Seen(batch.summary(i), batch.refusal(i) == null ? null : batch.refusal(i).getMessage(),
              batch.lineNumber(i), new String(batch.lines(), batch.lineOffset(i), batch.lineLength(i),
                  java.nio.charset.StandardCharsets.US_ASCII)));
        }
      }
      return new Outcome(seen, java.util.HexFormat.of().formatHex(reader.checksum()), null);
    } catch (ProtocolException e) {
      return new Outcome(seen, null, e.getMessage());
    }
  }
}
