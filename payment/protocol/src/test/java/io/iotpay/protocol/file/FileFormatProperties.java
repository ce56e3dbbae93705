package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FileFormatProperties {
  private static final FileLimits LIMITS = FileLimits.defaults();

  @Property(tries = 100)
  void transitFile_readOfWrite_isIdentity(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int count) {
    List<TransitRecord> records = Records.random(seed, count);
    assertThat(TransitFileTest.read(TransitFileTest.write(records))).containsExactlyElementsOf(records);
  }

  @Property(tries = 100)
  void settlementFile_readOfWrite_isIdentity(@ForAll("netAmounts") List<Long> amounts, @ForAll @IntRange(min = 0) int settled) {
    List<NetPosition> positions = new ArrayList<>();
    long sum = 0;
    for (int i = 0; i < amounts.size(); i++) {
      positions.add(new NetPosition(PartyId.of("P" + i), Money.ofMinor(amounts.get(i), CurrencyUnit.CNY)));
      sum += amounts.get(i);
    }
    positions.add(new NetPosition(PartyId.of("BALANCE"), Money.ofMinor(-sum, CurrencyUnit.CNY)));
    SettlementReport report = new SettlementReport(Records.DAY, CurrencyUnit.CNY, positions, settled);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SettlementReportFile.write(out, Records.SWITCH, PartyId.of("P0"), 3, report);
    SettlementReportFile.Read read = SettlementReportFile.read(new ByteArrayInputStream(out.toByteArray()), LIMITS);
    assertThat(read.report()).isEqualTo(report);
    assertThat(read.header().sequence()).isEqualTo(3);
  }

  @Provide
  Arbitrary<List<Long>> netAmounts() {
    return Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L).list().ofMaxSize(20);
  }

  @Property(tries = 100)
  void denyListFile_readOfWrite_isIdentity(@ForAll long seed, @ForAll @IntRange(min = 0, max = 50) int count,
      @ForAll @IntRange(min = 1) int version) {
    Random random = new Random(seed);
    TreeSet<Pan> pans = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      pans.add(Pan.withCheckDigit("62" + (100_000_000_000L + random.nextLong(800_000_000_000L))));
    }
    DenyList list = new DenyList(PartyId.of("ISSUER-1"), version, pans);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DenyListFile.write(out, Records.OPERATOR, Records.DAY, list);
    DenyListFile.Read read = DenyListFile.read(new ByteArrayInputStream(out.toByteArray()), LIMITS);
    assertThat(read.denyList()).isEqualTo(list);
    assertThat(read.header().receiver()).isEqualTo(Records.OPERATOR);
  }

  @Property(tries = 300)
  void randomBytes_onlyEverGiveProtocolException(@ForAll @Size(max = 2000) byte[] input) {
    assertOnlyProtocolException(input);
  }

  @Property(tries = 300)
  void randomLinesOfTheRightAlphabet_onlyEverGiveProtocolException(@ForAll("fieldSoup") String input) {
    assertOnlyProtocolException(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Provide
  Arbitrary<String> fieldSoup() {
    Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.of("H", "R", "T", "S", "P", "D", "IOTPAY-FILE", "1",
        "OFFLINE", "CLEARING", "SETTLEMENT", "DENYLIST", "CNY", "2026-11-20", "-5", "99999999999999999999", "",
        "EXIT", "NATIONAL", "6212345678901232", "1795162530.123456789", "0A", "WALLETDAY", "WALLETLIST", "R2",
        "C2", "B", "A", "71000000000000000000000000000000000000009C", "0102030405060708"), Arbitraries.strings().ofMaxLength(6));
    Arbitrary<String> line = field.list().ofMaxSize(18).map(fields -> String.join("|", fields));
    return line.list().ofMaxSize(6).map(lines -> String.join("\n", lines) + "\n");
  }

  /** Mutations of a valid file: a byte changed, removed, duplicated, or the file cut short. */
  @Property(tries = 300)
  void mutatedValidFiles_giveProtocolExceptionOrTheOriginal(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int count,
      @ForAll @IntRange(min = 0, max = 3) int mutation, @ForAll int position, @ForAll byte value) {
    List<TransitRecord> records = Records.random(seed, count);
    byte[] file = TransitFileTest.write(records);
    int at = Math.floorMod(position, file.length);
    byte[] mutated = mutate(file, mutation, at, value);
    try {
      List<TransitRecord> read = TransitFileTest.read(mutated);
      // only a change the format does not see (e.g. the checksum's hex in lower case) may pass
      assertThat(read).containsExactlyElementsOf(records);
    } catch (ProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  /**
   * Mutations of a valid wallet list and day file around their rating lines ({@code R2}, {@code C2}:
   * version, band, allowance, kinds, the 8-byte MACs): a {@link ProtocolException}, or what was written.
   */
  @Property(tries = 300)
  void mutatedWalletRatingLines_giveProtocolExceptionOrTheOriginal(@ForAll boolean list,
      @ForAll @IntRange(min = 0, max = 3) int mutation, @ForAll int position, @ForAll("recordBytes") byte value) {
    byte[] card = {0x62, 0x10, 0, 0, 0, 0, 0, 1};
    byte[] mac = {1, 2, 3, 4, 5, 6, 7, 8};
    byte[] confirmation = new byte[21];
    confirmation[0] = 0x71;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (list) {
      WalletListFile.write(out, PartyId.of("WISSUER"), PartyId.of("WPOS-ALL"), Records.DAY, 2, CurrencyUnit.CNY,
          List.of(), List.of(new WalletListFile.Rating(card, 20_500, 4, 10_000, 0x0F, mac)));
    } else {
      WalletDayFile.write(out, PartyId.of("WPOS-1"), PartyId.of("WISSUER"), Records.DAY, 2, CurrencyUnit.CNY,
          List.of(), List.of(new WalletDayFile.Confirmation(confirmation, mac)));
    }
    byte[] file = out.toByteArray();
    String text = new String(file, java.nio.charset.StandardCharsets.US_ASCII);
    int start = text.indexOf('\n') + 1;
    int at = start + Math.floorMod(position, text.indexOf('\n', start) - start);
    byte[] mutated = mutate(file, mutation, at, value);
    try {
      if (list) {
        WalletListFile.Rating read = WalletListFile.read(new ByteArrayInputStream(mutated), LIMITS).ratings().get(0);
        assertThat(read.issuerMac()).isEqualTo(mac);
        assertThat(read.version()).isEqualTo(20_500);
      } else {
        WalletDayFile.Confirmation read = WalletDayFile.read(new ByteArrayInputStream(mutated), LIMITS)
            .confirmations().get(0);
        assertThat(read.cardMac()).isEqualTo(mac);
        assertThat(read.input()).isEqualTo(confirmation);
      }
    } catch (ProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  /** summary() is the switch's cheap path: it must refuse exactly the records record() refuses. */
  @Property(tries = 1000)
  void summary_refusesExactlyWhatRecordRefuses(@ForAll long seed, @ForAll int position, @ForAll("recordBytes") byte value) {
    List<TransitRecord> records = Records.random(seed, 1);
    String text = TransitFileTest.text(TransitFileTest.write(records));
    int start = text.indexOf('\n') + 1;
    int end = text.indexOf('\n', start);
    byte[] file = TransitFileTest.bytes(text);
    file[start + Math.floorMod(position, end - start)] = value;
    String recordOutcome = outcome(file, false);
    String summaryOutcome = outcome(file, true);
    assertThat(summaryOutcome == null).as("record: %s, summary: %s", recordOutcome, summaryOutcome)
        .isEqualTo(recordOutcome == null);
    if (recordOutcome == null) {
      TransitFileReader reader = TransitFileReader.open(new ByteArrayInputStream(file), FileKind.OFFLINE, LIMITS);
      reader.next();
      TransitRecord record = reader.record();
      RecordSummary summary = reader.summary();
      assertThat(summary).isEqualTo(new RecordSummary(record.id(), record.operator(), record.businessDate(),
          record.pan(), record.panSequence(), record.atc(), record.fare().amountMinor()));
    }
  }

  @Provide
  Arbitrary<Byte> recordBytes() {
    return Arbitraries.of((byte) '0', (byte) '9', (byte) 'A', (byte) 'F', (byte) 'G', (byte) 'Z', (byte) 'a',
        (byte) '-', (byte) '.', (byte) ' ', (byte) 0x7F, (byte) 0xC3);
  }

  /** Null when the first record decodes, else the refusal's message (the file's trailer is not reached). */
  private static String outcome(byte[] file, boolean summary) {
    try {
      TransitFileReader reader = TransitFileReader.open(new ByteArrayInputStream(file), FileKind.OFFLINE, LIMITS);
      reader.next();
      if (summary) {
        reader.summary();
      } else {
        reader.record();
      }
      return null;
    } catch (ProtocolException refused) {
      return refused.getMessage();
    }
  }

  /** Mutation 0: the byte at {@code at} replaced by {@code value}; 1: removed; 2: duplicated; else the file cut there. */
  static byte[] mutate(byte[] file, int mutation, int at, byte value) {
    return switch (mutation) {
      case 0 -> {
        byte[] copy = file.clone();
        copy[at] = value;
        yield copy;
      }
      case 1 -> concat(Arrays.copyOf(file, at), Arrays.copyOfRange(file, at + 1, file.length));
      case 2 -> concat(Arrays.copyOf(file, at + 1), Arrays.copyOfRange(file, at, file.length));
      default -> Arrays.copyOf(file, at);
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void assertOnlyProtocolException(byte[] input) {
    for (FileKind kind : FileKind.values()) {
      try {
        switch (kind) {
          case OFFLINE, CLEARING -> TransitFileReader.readAll(new ByteArrayInputStream(input), kind, LIMITS);
          case SETTLEMENT -> SettlementReportFile.read(new ByteArrayInputStream(input), LIMITS);
          case DENY_LIST -> DenyListFile.read(new ByteArrayInputStream(input), LIMITS);
          case PRESENTMENT -> PresentmentFile.read(new ByteArrayInputStream(input), LIMITS);
          case PRESENTMENT_RESULT -> PresentmentResultFile.read(new ByteArrayInputStream(input), LIMITS);
          case WALLET_DAY -> WalletDayFile.read(new ByteArrayInputStream(input), LIMITS);
          case WALLET_LIST -> WalletListFile.read(new ByteArrayInputStream(input), LIMITS);
          case EXCEPTION -> ExceptionFile.read(new ByteArrayInputStream(input), LIMITS);
        }
      } catch (ProtocolException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }
}
