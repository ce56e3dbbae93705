package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.PresentmentFileException.Reason;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.online.PresentmentResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The presentment and result files: round trip, and every corruption refused with a typed reason. */
class PresentmentFileProperties {
  private static final FileLimits LIMITS = FileLimits.defaults();
  private static final PartyId ACQUIRER = PartyId.of("ACQ-1");
  private static final PartyId OTHER_ACQUIRER = PartyId.of("ACQ-2");

  static List<Presentment> random(long seed, int count) {
    Random random = new Random(seed);
    List<Presentment> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PartyId acquirer = random.nextBoolean() ? ACQUIRER : OTHER_ACQUIRER;
      Mti mti = random.nextBoolean() ? Mti.AUTHORISATION_REQUEST : Mti.FINANCIAL_REQUEST;
      MonthDayTime at = MonthDayTime.of(LocalDateTime.of(2026, 11, 20, random.nextInt(24), random.nextInt(60),
          random.nextInt(60)));
      OriginalData original = new OriginalData(mti, 1 + random.nextInt(999_999), at,
          Long.toString(random.nextLong(100_000_000_000L)), random.nextBoolean() ? "0" : "4321");
      out.add(new Presentment("P-" + i + "." + random.nextInt(1000), random.nextInt(4) == 0
          ? Presentment.Kind.REFUND : Presentment.Kind.CAPTURE, acquirer, original,
          String.format("%012d", random.nextLong(1_000_000_000_000L)), "TERM " + (char) ('A' + random.nextInt(26)) + "|1",
          "MERCHANT 000" + random.nextInt(10) + "  ", Pan.withCheckDigit("62" + (100_000_000_000_00L
          + random.nextLong(800_000_000_000_00L))), 1 + random.nextLong(10_000_000L), CurrencyUnit.CNY,
          String.format("%06d", random.nextInt(1_000_000)), Records.DAY));
    }
    return out;
  }

  static byte[] write(List<Presentment> presentments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PresentmentFile.write(out, ACQUIRER, Records.SWITCH, Records.DAY, 7, CurrencyUnit.CNY, presentments);
    return out.toByteArray();
  }

  static PresentmentFile.Read read(byte[] file) {
    return PresentmentFile.read(new ByteArrayInputStream(file), LIMITS);
  }

  @Property(tries = 200)
  void readOfWrite_isIdentity(@ForAll long seed, @ForAll @IntRange(min = 0, max = 30) int count) {
    List<Presentment> presentments = random(seed, count);
    PresentmentFile.Read read = read(write(presentments));
    assertThat(read.presentments()).containsExactlyElementsOf(presentments);
    assertThat(read.header().sequence()).isEqualTo(7);
    assertThat(read.header().kind()).isEqualTo(FileKind.PRESENTMENT);
    assertThat(read.capturesMinor() + read.refundsMinor()).isEqualTo(read.header().totalMinor())
        .isEqualTo(presentments.stream().mapToLong(Presentment::amountMinor).sum());
  }

  /** A byte changed, removed or duplicated, or the file cut short: refused with a reason, or read unchanged. */
  @Property(tries = 1000)
  void anyCorruption_isRefusedWithAReason(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int count,
      @ForAll @IntRange(min = 0, max = 3) int mutation, @ForAll int position, @ForAll byte value) {
    List<Presentment> presentments = random(seed, count);
    byte[] file = write(presentments);
    byte[] mutated = FileFormatProperties.mutate(file, mutation, Math.floorMod(position, file.length), value);
    try {
      // only a change the format cannot see (the checksum's hex in another case) may pass
      assertThat(read(mutated).presentments()).containsExactlyElementsOf(presentments);
    } catch (PresentmentFileException refused) {
      assertThat(refused.reason()).isNotNull();
      assertThat(refused.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 300)
  void cutShort_isTruncated(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int count, @ForAll int position) {
    byte[] file = write(random(seed, count));
    int keep = Math.floorMod(position, file.length);
    assertThatThrownBy(() -> read(Arrays.copyOf(file, keep))).isInstanceOfSatisfying(PresentmentFileException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
  }

  @Property(tries = 300)
  void randomBytes_onlyEverGivePresentmentFileException(@ForAll @Size(max = 2000) byte[] input) {
    assertThatThrownBy(() -> read(input)).isInstanceOf(PresentmentFileException.class);
    assertThatThrownBy(() -> PresentmentResultFile.read(new ByteArrayInputStream(input), LIMITS))
        .isInstanceOf(PresentmentFileException.class);
  }

  @Example
  void duplicatedRecord_withConsistentCountsAndChecksum_isRefusedAsDuplicate() {
    List<Presentment> one = random(1, 1);
    Presentment p = one.get(0);
    String text = new String(write(one), StandardCharsets.US_ASCII);
    String[] lines = text.split("\n");
    long amount = p.amountMinor();
    boolean capture = p.kind() == Presentment.Kind.CAPTURE;
    String header = lines[0].replaceFirst("\\|2\\|CNY\\|" + amount + "$", "|3|CNY|" + (2 * amount));
    String summary = capture ? "S|2|" + (2 * amount) + "|0|0" : "S|0|0|2|" + (2 * amount);
    byte[] forged = reframe(header, summary, lines[2], lines[2]);
    assertThatThrownBy(() -> read(forged)).isInstanceOfSatisfying(PresentmentFileException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_RECORD));
  }

  @Example
  void wrongTotals_withAValidChecksum_areRefusedAsWrongTotal() {
    List<Presentment> one = random(2, 1);
    String[] lines = new String(write(one), StandardCharsets.US_ASCII).split("\n");
    long amount = one.get(0).amountMinor();
    boolean capture = one.get(0).kind() == Presentment.Kind.CAPTURE;
    String summary = capture ? "S|1|" + (amount + 1) + "|0|0" : "S|0|0|1|" + (amount + 1);
    assertThatThrownBy(() -> read(reframe(lines[0], summary, lines[2])))
        .isInstanceOfSatisfying(PresentmentFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_TOTAL));
    String header = lines[0].replaceFirst("\\|" + amount + "$", "|" + (amount + 5));
    assertThatThrownBy(() -> read(reframe(header, lines[1], lines[2])))
        .isInstanceOfSatisfying(PresentmentFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_TOTAL));
  }

  @Example
  void aChangedAmount_isAChecksumRefusal_andAMissingRecord_aCountRefusal() {
    List<Presentment> two = random(3, 2);
    String text = new String(write(two), StandardCharsets.US_ASCII);
    String[] lines = text.split("\n");
    String changed = lines[2].replaceFirst("\\|" + two.get(0).amountMinor() + "\\|", "|" + (two.get(0).amountMinor() + 1) + "|");
    byte[] tampered = text.replace(lines[2], changed).getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> read(tampered)).isInstanceOfSatisfying(PresentmentFileException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.CHECKSUM));
    assertThatThrownBy(() -> read(reframe(lines[0], lines[1], lines[2]))).isInstanceOfSatisfying(
        PresentmentFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_COUNT));
  }

  @Example
  void writer_refusesAPresentmentOfAnotherDay_orTheSameIdTwice() {
    Presentment p = random(4, 1).get(0);
    assertThatThrownBy(() -> write(List.of(p, p))).isInstanceOf(ProtocolException.class);
    Presentment otherDay = new Presentment(p.presentmentId(), p.kind(), p.acquirer(), p.original(), p.rrn(),
        p.terminalId(), p.merchantId(), p.pan(), p.amountMinor(), p.currency(), p.approvalCode(), Records.DAY.plusDays(1));
    assertThatThrownBy(() -> write(List.of(otherDay))).isInstanceOf(ProtocolException.class);
  }

  @Property(tries = 200)
  void resultFile_roundTrip_andCorruptionRefused(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int count,
      @ForAll @IntRange(min = 0, max = 3) int mutation, @ForAll int position, @ForAll byte value) {
    Random random = new Random(seed);
    PresentmentResult.Status[] statuses = PresentmentResult.Status.values();
    List<PresentmentResult> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      results.add(new PresentmentResult(i % 2 == 0 ? ACQUIRER : OTHER_ACQUIRER, "P-" + i,
          statuses[random.nextInt(statuses.length)], 1 + random.nextLong(1_000_000)));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PresentmentResultFile.write(out, PartyId.of("ISSUER-1"), Records.SWITCH, Records.DAY, 3, CurrencyUnit.CNY, results);
    byte[] file = out.toByteArray();
    assertThat(PresentmentResultFile.read(new ByteArrayInputStream(file), LIMITS).results())
        .containsExactlyElementsOf(results);
    byte[] mutated = FileFormatProperties.mutate(file, mutation, Math.floorMod(position, file.length), value);
    try {
      assertThat(PresentmentResultFile.read(new ByteArrayInputStream(mutated), LIMITS).results())
          .containsExactlyElementsOf(results);
    } catch (PresentmentFileException refused) {
      assertThat(refused.reason()).isNotNull();
    }
  }

  /** The lines given, followed by a trailer with their correct SHA-256: a forgery only the content checks can catch. */
  private static byte[] reframe(String... lines) {
    String body = String.join("\n", lines) + "\n";
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    try {
      String sha = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      return (body + "T|" + sha + "\n").getBytes(StandardCharsets.US_ASCII);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
