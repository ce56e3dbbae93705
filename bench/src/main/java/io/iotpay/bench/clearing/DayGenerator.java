package io.iotpay.bench.clearing;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitTac;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One business day of tap-out records with genuine TACs, written as the operators' offline files.
 *
 * <p>Record i: card {@code i mod cards} (so each card taps about R / cards times), ATC {@code 1 +
 * i div cards}, fare 2.00..8.00, operator METRO-B when {@code i mod 3 = 0} else METRO-A, terminal
 * {@code G<i mod 512>}, journal sequence i + 1. The 82-byte cryptogram input is a TC's layout
 * (docs/card-apdus.md §6: CDOL1, AIP, ATC, CID 40, IAD, 9F79 after, DF63 after, CAPP record with
 * journey state 02) and the TAC is computed with the card's formula: counter session key from the
 * card's AC key, then ISO 9797-1 M3 (3DES) or the SM4 CBC-MAC, padding method 2, 8 bytes.
 *
 * <p>Work for de-duplication: every 997th record is followed by its torn-tap twin (same card
 * transaction, another terminal, recovered = 1, a later journal sequence), which the switch must
 * refuse as a repeated card transaction; and METRO-A's second file repeats its first
 * {@link #repeats} records (repeated record ids). Uploading METRO-A's first file twice is the
 * harness's job. TACs are computed in parallel blocks; files are written in order as a stream.
 */
final class DayGenerator {
  static final LocalDate DAY = LocalDate.of(2026, 11, 20);
  static final int INPUT_BYTES = TransitTac.Input.BYTES;
  private static final int BLOCK_RECORDS = 4096;
  private static final int TWIN_EVERY = 997;
  private static final Instant DAY_START = Instant.parse("2026-11-20T05:00:00Z");

  private final BenchParties parties;
  private final long records;
  private final int cards;
  final long repeats;

  DayGenerator(BenchParties parties, long records) {
    this.parties = parties;
    this.records = records;
    this.cards = parties.pans.length;
    this.repeats = Math.max(1, records / 5000);
  }

  /** Fare of record i, 200..800 minor units. */
  static long fareMinor(long i) {
    return 200 + (i * 7919L) % 601;
  }

  static int operatorOf(long i) {
    return i % 3 == 0 ? 1 : 0;
  }

  static boolean hasTwin(long i) {
    return i % TWIN_EVERY == TWIN_EVERY - 1;
  }

  /** Torn-tap twins in a day of {@code records}. */
  static long twins(long records) {
    return records / TWIN_EVERY;
  }

  /** What writing produced: the files in upload order and a sample for the MAC-only reference. */
  record Written(Path operatorA1, Path operatorB1, Path operatorA2, List<TransitRecord> sample, long faresMinor) {}

  /**
   * Writes METRO-A file 1, METRO-B file 1 and METRO-A file 2 into {@code directory}; keeps the
   * records of cards below {@code sampleCards} as the reference sample.
   */
  Written write(Path directory, int threads, int sampleCards, Consumer<String> progress) {
    long[][] countAndTotal = new long[2][2];
    for (long i = 0; i < records; i++) {
      int op = operatorOf(i);
      int lines = hasTwin(i) ? 2 : 1;
      countAndTotal[op][0] += lines;
      countAndTotal[op][1] += lines * fareMinor(i);
    }
    Path a1 = directory.resolve("offline-METRO-A-1.txt");
    Path b1 = directory.resolve("offline-METRO-B-1.txt");
    List<TransitRecord> sample = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (OutputStream outA = new BufferedOutputStream(Files.newOutputStream(a1), 1 << 16);
        OutputStream outB = new BufferedOutputStream(Files.newOutputStream(b1), 1 << 16)) {
      TransitFileWriter[] writers = {
        TransitFileWriter.open(outA, header(0, 1, countAndTotal[0])),
        TransitFileWriter.open(outB, header(1, 1, countAndTotal[1]))
      };
      ArrayDeque<Future<List<TransitRecord>>> pending = new ArrayDeque<>();
      long next = 0;
      long written = 0;
      long progressEvery = Math.max(BLOCK_RECORDS, records / 10);
      while (next < records || !pending.isEmpty()) {
        while (next < records && pending.size() < 4 * threads) {
          long from = next;
          long to = Math.min(records, next + BLOCK_RECORDS);
          pending.add(pool.submit(() -> block(from, to)));
          next = to;
        }
        for (TransitRecord record : take(pending.poll())) {
          writers[record.operator().equals(BenchParties.OPERATORS.get(0)) ? 0 : 1].append(record);
          if (cardOf(record.id().sequence() - 1) < sampleCards && !record.recovered()) {
            sample.add(record);
          }
          if (++written % progressEvery == 0) {
            progress.accept("generated " + written + " lines");
          }
        }
      }
      writers[0].finish();
      writers[1].finish();
    } catch (IOException e) {
      throw new UncheckedIOException("bench: cannot write offline files", e);
    } finally {
      pool.shutdownNow();
    }
    Path a2 = writeRepeats(directory);
    return new Written(a1, b1, a2, sample, countAndTotal[0][1] + countAndTotal[1][1]);
  }

  private FileHeader header(int operator, long sequence, long[] countAndTotal) {
    return new FileHeader(FileKind.OFFLINE, BenchParties.OPERATORS.get(operator), BenchParties.SWITCH, DAY, sequence,
        countAndTotal[0], CurrencyUnit.CNY, countAndTotal[1]);
  }

  /** METRO-A file 2: its first {@link #repeats} records again (a re-upload of part of a day). */
  private Path writeRepeats(Path directory) {
    List<TransitRecord> again = new ArrayList<>();
    for (long i = 0; again.size() < repeats && i < records; i++) {
      if (operatorOf(i) == 0) {
        again.add(record(i));
      }
    }
    Path a2 = directory.resolve("offline-METRO-A-2.txt");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(a2), 1 << 16)) {
      TransitFileWriter.writeAll(out, TransitFileWriter.headerFor(FileKind.OFFLINE, BenchParties.OPERATORS.get(0),
          BenchParties.SWITCH, DAY, 2, CurrencyUnit.CNY, again), again);
    } catch (IOException e) {
      throw new UncheckedIOException("bench: cannot write " + a2, e);
    }
    return a2;
  }

  private List<TransitRecord> block(long from, long to) {
    List<TransitRecord> out = new ArrayList<>((int) (to - from) + 8);
    for (long i = from; i < to; i++) {
      TransitRecord record = record(i);
      out.add(record);
      if (hasTwin(i)) {
        out.add(new TransitRecord(new RecordId("X" + (i % 512), records + i + 1), record.operator(),
            record.stationId(), record.kind(), record.pan(), record.panSequence(), record.suite(), record.atc(),
            record.fare(), record.quotaAfterMinor(), record.time(), DAY, record.cryptogramInput(), record.tac(), true));
      }
    }
    return out;
  }

  private int cardOf(long i) {
    return (int) (i % cards);
  }

  /** Record i with its genuine TAC. */
  TransitRecord record(long i) {
    int c = cardOf(i);
    int atc = (int) (1 + i / cards);
    long fare = fareMinor(i);
    long quotaAfter = Math.max(0, 5000 - 300L * atc);
    PartyId operator = BenchParties.OPERATORS.get(operatorOf(i));
    String station = "ST" + (i % 90);
    String terminal = "G" + (i % 512);
    byte[] input = cryptogramInput(i, atc, fare, quotaAfter, station, TransitTac.Input.acceptor(terminal, operator));
    AlgorithmSuite suite = parties.suites[c];
    byte[] tac = tac(suite, Arrays.copyOfRange(parties.acKeys, c * 16, c * 16 + 16), atc, input);
    return new TransitRecord(new RecordId(terminal, i + 1), operator, station, TransitKind.EXIT,
        parties.pans[c], 1, suite, atc, Money.ofMinor(fare, CurrencyUnit.CNY), quotaAfter,
        DAY_START.plusMillis(i * 57_600_000L / Math.max(1, records)), DAY, input, tac, false);
  }

  /** The TC's cryptogram input of {@link TransitTac.Input}: CDOL1 with the acceptor, AIP … CAPP record. */
  private static byte[] cryptogramInput(long i, int atc, long fare, long quotaAfter, String station, byte[] acceptor) {
    byte[] input = new byte[INPUT_BYTES];
    System.arraycopy(Bcd.encodeAmount(fare), 0, input, TransitTac.Input.AMOUNT, 6); // 9F02; 9F03 zero
    System.arraycopy(Bcd.encode(156, 4), 0, input, 12, 2); // 9F1A terminal country; 95 TVR zero
    System.arraycopy(Bcd.encode(156, 4), 0, input, TransitTac.Input.CURRENCY, 2); // 5F2A currency CNY
    System.arraycopy(Bcd.encodeDate(DAY), 0, input, TransitTac.Input.DATE, 3); // 9A date; 9C type 00
    int un = TransitTac.Input.UN; // 9F37 unpredictable number
    input[un] = (byte) (i >>> 24);
    input[un + 1] = (byte) (i >>> 16);
    input[un + 2] = (byte) (i >>> 8);
    input[un + 3] = (byte) i;
    System.arraycopy(acceptor, 0, input, TransitTac.Input.TERMINAL_ID, acceptor.length);
    input[TransitTac.Input.AIP] = 0x19;
    input[TransitTac.Input.AIP + 1] = (byte) 0x80;
    input[TransitTac.Input.ATC] = (byte) (atc >>> 8);
    input[TransitTac.Input.ATC + 1] = (byte) atc;
    input[TransitTac.Input.CID] = 0x40; // TC
    input[TransitTac.Input.IAD] = 0x06; // IAD (the card's short form)
    input[TransitTac.Input.IAD + 1] = 0x01;
    System.arraycopy(Bcd.encodeAmount(quotaAfter), 0, input, TransitTac.Input.QUOTA_AFTER, 6); // DF63 after zero
    int capp = TransitTac.Input.CAPP;
    input[capp] = 0x02; // journey state exit
    for (int k = 0; k < station.length(); k++) {
      input[capp + 1 + k] = (byte) station.charAt(k);
    }
    return input;
  }

  /** The card's TAC (docs/card-apdus.md §6), from the one host implementation. */
  static byte[] tac(AlgorithmSuite suite, byte[] acKey, int atc, byte[] input) {
    return TransitTac.tac(suite, acKey, atc, input);
  }

  private static <T> T take(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("bench: interrupted while generating", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("bench: generating a block failed", e.getCause());
    }
  }
}
