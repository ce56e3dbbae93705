package io.iotpay.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Issuer#clearFile}: a streamed clearing file of genuine journeys (real applet) clears like
 * {@link Issuer#clear}; a resend is all duplicates and debits nothing; a damaged file books nothing.
 */
class ClearFileTest {
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void clearFile_clearsEveryGenuineRecordOnce_resendIsDuplicates(AlgorithmSuite suite) throws Exception {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      List<TransitRecord> records = journeys(world, suite);
      long fares = records.stream().mapToLong(r -> r.fare().amountMinor()).sum();
      Path file = write(records, "clearing.txt");

      ClearingReport first = world.issuer.clearFile(file, FileLimits.defaults());
      assertThat(first.refusals()).isEmpty();
      assertThat(first.accepted()).isEqualTo(records.size());
      assertThat(first.debitedMinor()).isEqualTo(fares);
      assertThat(dueToSwitch(world)).isEqualTo(fares);

      ClearingReport again = world.issuer.clearFile(file, FileLimits.defaults());
      assertThat(again.accepted()).isZero();
      assertThat(again.refusals()).hasSize(records.size())
          .allMatch(r -> r.reason() == RefusalReason.DUPLICATE);
      assertThat(dueToSwitch(world)).isEqualTo(fares);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void clearFile_damagedFile_booksNothing(AlgorithmSuite suite) throws Exception {
    try (IssuerWorld world = new IssuerWorld(dir)) {
      Path file = write(journeys(world, suite), "clearing.txt");
      byte[] bytes = Files.readAllBytes(file);
      int secondLine = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).indexOf('\n') + 1;
      bytes[secondLine + 2] = (byte) (bytes[secondLine + 2] == 'Z' ? 'Y' : 'Z'); // the terminal id's first letter
      Files.write(file, bytes);
      assertThatThrownBy(() -> world.issuer.clearFile(file, FileLimits.defaults()))
          .isInstanceOf(ProtocolException.class);
      assertThat(dueToSwitch(world)).isZero();
    }
  }

  private static List<TransitRecord> journeys(IssuerWorld world, AlgorithmSuite suite) {
    List<TransitRecord> records = new ArrayList<>();
    for (int rider = 1; rider <= 2; rider++) {
      IssuerWorld.Rider r = world.rider(rider, suite, 500_00);
      var decision = world.issuer.apply(new io.iotpay.protocol.enrolment.ServiceApplication("a" + rider,
          r.issued().pan(), 1, "METRO"));
      world.runPush(decision.script().orElseThrow(), r.card(), c -> c);
      TestGate gate = new TestGate(r.card(), r.issued(), world.aid());
      for (int j = 0; j < 3; j++) {
        records.addAll(Arrays.asList(gate.journey(8_00, 2_00 + j)));
      }
    }
    return records;
  }

  private Path write(List<TransitRecord> records, String name) throws Exception {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      TransitFileWriter.writeClearingFile(out, SWITCH, CurrencyUnit.CNY,
          new ClearingFile(IssuerWorld.ISSUER, TestGate.DAY, 1, records));
    }
    return file;
  }

  private static long dueToSwitch(IssuerWorld world) {
    return world.ledger.balance(world.issuer.dueToSwitchAccountId()).map(AccountBalance::creditBalanceMinor).orElse(0L);
  }
}
