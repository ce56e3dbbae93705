package io.iotpay.protocol.file;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds valid transit records for tests; TAC bytes are arbitrary (their check is the issuer's). */
final class Records {
  static final PartyId OPERATOR = PartyId.of("METRO-A");
  static final PartyId SWITCH = PartyId.of("SWITCH");
  static final LocalDate DAY = LocalDate.of(2026, 11, 20);

  private Records() {}

  static TransitRecord exit(String terminal, long sequence, String panBody, int atc, long fareMinor) {
    return new TransitRecord(new RecordId(terminal, sequence), OPERATOR, "ST01", TransitKind.EXIT,
        Pan.withCheckDigit(panBody), 1, AlgorithmSuite.NATIONAL, atc, Money.ofMinor(fareMinor, CurrencyUnit.CNY),
        5000 - fareMinor, Instant.parse("2026-11-20T08:15:30.123456789Z"), DAY, new byte[] {1, 2, 3, (byte) 0xFF},
        new byte[] {(byte) 0xA0, 1, 2, 3, 4, 5, 6, 7}, false);
  }

  /** {@code count} distinct random records of day {@link #DAY}, from a seed. */
  static List<TransitRecord> random(long seed, int count) {
    Random random = new Random(seed);
    List<TransitRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(random(random, i + 1));
    }
    return records;
  }

  static TransitRecord random(Random random, long sequence) {
    TransitKind kind = TransitKind.values()[random.nextInt(3)];
    long fare = kind == TransitKind.ENTRY ? 0 : random.nextInt(1_000_000);
    byte[] input = new byte[1 + random.nextInt(TransitRecord.CRYPTOGRAM_INPUT_BYTES_MAX)];
    random.nextBytes(input);
    byte[] tac = new byte[TransitRecord.TAC_BYTES];
    random.nextBytes(tac);
    StringBuilder pan = new StringBuilder("62");
    int length = 11 + random.nextInt(7);
    while (pan.length() < length) {
      pan.append(random.nextInt(10));
    }
    Instant time = Instant.ofEpochSecond(random.nextLong(-1_000_000_000L, 4_000_000_000L), random.nextInt(1_000_000_000));
    return new TransitRecord(new RecordId("G" + random.nextInt(1000), sequence), OPERATOR,
        "S" + random.nextInt(100), kind, Pan.withCheckDigit(pan.toString()), random.nextInt(100),
        AlgorithmSuite.values()[random.nextInt(2)], random.nextInt(0x10000), Money.ofMinor(fare, CurrencyUnit.CNY),
        random.nextLong(0, Long.MAX_VALUE), time, DAY, input, tac, random.nextBoolean());
  }

  static FileHeader header(FileKind kind, List<TransitRecord> records) {
    return TransitFileWriter.headerFor(kind, OPERATOR, SWITCH, DAY, 1, CurrencyUnit.CNY, records);
  }
}
