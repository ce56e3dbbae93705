package io.iotpay.switching.transit;

import static io.iotpay.switching.transit.SwitchFixture.DAY;
import static io.iotpay.switching.transit.SwitchFixture.METRO_A;
import static io.iotpay.switching.transit.SwitchFixture.METRO_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.transit.TransitRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random days of uploads with duplicates within and across files, re-uploads, corrupted files and
 * unknown card ranges: every record is counted once or refused with a reason, nothing is lost, and
 * the settlement equals the fares of the distinct accepted card transactions.
 */
class TransitSwitchProperties {
  @Property(tries = 12)
  void intake_countsEveryCardTransactionOnce_andSettlementMatchesTheFares(@ForAll long seed) throws Exception {
    Path directory = Files.createTempDirectory("switch-prop");
    Random random = new Random(seed);
    try (SwitchFixture fixture = new SwitchFixture(directory)) {
      Map<PartyId, List<TransitRecord>> journals = journals(random);
      Map<Object, Long> expectedFares = new HashMap<>(); // card key → fare, over accepted files only
      Map<PartyId, Long> expectedOperator = new HashMap<>();
      long lines = 0;
      long counted = 0;
      for (PartyId operator : List.of(METRO_A, METRO_B)) {
        List<TransitRecord> journal = journals.get(operator);
        for (int sequence = 1; sequence <= 4; sequence++) {
          List<TransitRecord> file = sample(random, journal);
          Path path = fixture.offlineFile(operator, sequence, file);
          boolean corrupt = random.nextInt(4) == 0;
          if (corrupt) {
            byte[] bytes = Files.readAllBytes(path);
            Files.write(path, java.util.Arrays.copyOf(bytes, bytes.length - 1 - random.nextInt(bytes.length / 2)));
          }
          IntakeReceipt receipt = fixture.transitSwitch.receive(path);
          if (random.nextBoolean()) {
            assertThat(fixture.transitSwitch.receive(path).status())
                .isEqualTo(corrupt ? IntakeStatus.REJECTED : IntakeStatus.ALREADY_ACCEPTED);
          }
          if (corrupt) {
            assertThat(receipt.status()).isEqualTo(IntakeStatus.REJECTED);
            continue;
          }
          assertThat(receipt.recordsAccepted() + receipt.recordsRefused()).isEqualTo(file.size());
          lines += file.size();
          counted += receipt.recordsAccepted() + receipt.recordsRefused();
          for (TransitRecord record : file) {
            if (!record.pan().digits().startsWith("999") && expectedFares.putIfAbsent(record.cardKey(),
                record.fare().amountMinor()) == null) {
              expectedOperator.merge(operator, record.fare().amountMinor(), Long::sum);
            }
          }
        }
      }
      assertThat(counted).isEqualTo(lines);
      SettlementRun run = fixture.transitSwitch.settle(DAY, DAY.plusDays(1));
      assertThat(run.report().recordsSettled()).isEqualTo(expectedFares.size());
      for (PartyId operator : List.of(METRO_A, METRO_B)) {
        long net = run.report().positions().stream().filter(p -> p.party().equals(operator)).findFirst().orElseThrow()
            .net().amountMinor();
        assertThat(net).isEqualTo(expectedOperator.getOrDefault(operator, 0L));
      }
      assertThat(run.report().positions().stream().mapToLong(p -> p.net().amountMinor()).sum()).isZero();
      assertThat(fixture.booksBalanced()).isTrue();
      assertThat(fixture.balanceMinor(fixture.transitSwitch.settlementAccountId())).isZero();
    } finally {
      try (var paths = Files.walk(directory)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** Each operator's journal: distinct record ids; some card transactions recovered at a second gate. */
  private static Map<PartyId, List<TransitRecord>> journals(Random random) {
    Map<PartyId, List<TransitRecord>> journals = new HashMap<>();
    Set<String> cards = new HashSet<>();
    int atc = 1;
    for (PartyId operator : List.of(METRO_A, METRO_B)) {
      List<TransitRecord> journal = new ArrayList<>();
      for (int i = 1; i <= 25; i++) {
        String prefix = switch (random.nextInt(10)) {
          case 0 -> "999";
          case 1, 2, 3 -> "622";
          default -> "621";
        };
        String panBody = prefix + String.format("%011d", random.nextInt(20));
        cards.add(panBody);
        TransitRecord record = SwitchFixture.exit(operator, "G" + random.nextInt(3), i, panBody, atc++,
            random.nextInt(5) == 0 ? 0 : 100 + random.nextInt(900));
        journal.add(record);
        if (random.nextInt(6) == 0) { // a torn tap completed at another gate: same card key, new record id
          journal.add(SwitchFixture.exit(operator, "R1", 1000 + i, panBody, record.atc(), record.fare().amountMinor()));
        }
      }
      journals.put(operator, journal);
    }
    return journals;
  }

  /** A random part of the journal, with some records twice. */
  private static List<TransitRecord> sample(Random random, List<TransitRecord> journal) {
    List<TransitRecord> file = new ArrayList<>();
    for (TransitRecord record : journal) {
      int draw = random.nextInt(10);
      if (draw < 4) {
        file.add(record);
      }
      if (draw == 0) {
        file.add(record);
      }
    }
    return file;
  }
}
