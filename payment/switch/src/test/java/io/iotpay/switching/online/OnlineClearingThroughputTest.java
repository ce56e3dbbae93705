package io.iotpay.switching.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.online.Presentment;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Measures presentments cleared per second at the switch: N approved pairs in the message log
 * (written through the log's own batched insert), one acquirer file of N captures taken (read,
 * matched, recorded in one transaction, result file written), then the issuer file written. A
 * measurement, not a check: it runs only with {@code -Diotpay.clearing.presentments=N} (N ≤ 999,999).
 */
class OnlineClearingThroughputTest {
  private static final LocalDate DAY = LocalDate.of(2026, 12, 7);

  @TempDir Path directory;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  @EnabledIfSystemProperty(named = "iotpay.clearing.presentments", matches = "[0-9]{1,6}") // a measurement: only on request
  void presentmentsCleared_perSecond(AlgorithmSuite suite) throws Exception {
    int count = Integer.parseInt(System.getProperty("iotpay.clearing.presentments"));
    StoreKeys keys = OnlineFixture.storeKeys(suite);
    try (Database database = OnlineFixture.database(directory)) {
      OnlineStore store = new OnlineStore(database);
      String panHash = keys.panHash(OnlineFixture.CARD_A);
      List<LogEntry> batch = new ArrayList<>();
      List<Presentment> presentments = new ArrayList<>(count);
      for (int stan = 1; stan <= count; stan++) {
        AuthorisationRequest request = OnlineFixture.authorisation(OnlineFixture.CARD_A, stan, OnlineFixture.cny(100));
        CardTransaction t = request.transaction();
        String code = String.format("A%05d", stan % 100_000);
        batch.add(new LogEntry(0, OnlineFixture.ACQUIRER, OnlineFixture.ISSUER_A, Mti.AUTHORISATION_REQUEST, t, panHash,
            CardResponse.answering(request, ResponseCode.APPROVED, code, null), AnsweredBy.ISSUER, 1, 1, null));
        if (batch.size() == 512) {
          store.insertLog(batch);
          batch.clear();
        }
        presentments.add(new Presentment("P" + stan, Presentment.Kind.CAPTURE, OnlineFixture.ACQUIRER,
            OriginalData.of(Mti.AUTHORISATION_REQUEST, t), t.rrn(), t.terminalId(), t.merchantId(), t.pan(), 100,
            CurrencyUnit.CNY, code, DAY));
      }
      store.insertLog(batch);
      Path file = directory.resolve("presentments.txt");
      try (OutputStream out = Files.newOutputStream(file)) {
        PresentmentFile.write(out, OnlineFixture.ACQUIRER, PartyId.of("SWITCH"), DAY, 1, CurrencyUnit.CNY, presentments);
      }
      OnlineClearing clearing = new OnlineClearing(new OnlineClearing.Config(PartyId.of("SWITCH"), CurrencyUnit.CNY,
          OnlineFixture.RANGES, List.of(OnlineFixture.ACQUIRER), FileLimits.defaults()), database, keys,
          directory.resolve("out"));
      long startNs = System.nanoTime();
      OnlineClearing.Intake intake = clearing.accept(file);
      double intakeSeconds = (System.nanoTime() - startNs) / 1e9;
      assertThat(intake.accepted()).isEqualTo(count);
      long issuerStartNs = System.nanoTime();
      assertThat(clearing.writeIssuerFiles(DAY)).containsOnlyKeys(OnlineFixture.ISSUER_A);
      double issuerSeconds = (System.nanoTime() - issuerStartNs) / 1e9;
      System.out.printf("online clearing (%s): %d presentments taken in %.2f s = %.0f/s; issuer file in %.2f s = %.0f/s%n",
          suite, count, intakeSeconds, count / intakeSeconds, issuerSeconds, count / issuerSeconds);
    }
  }
}
