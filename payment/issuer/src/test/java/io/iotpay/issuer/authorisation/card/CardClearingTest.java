package io.iotpay.issuer.authorisation.card;

import static io.iotpay.issuer.authorisation.card.CardHostWorld.CARD_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.file.PresentmentFileException;
import io.iotpay.protocol.file.PresentmentResultFile;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.online.PresentmentResult;
import io.iotpay.protocol.online.PresentmentResult.Status;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The issuer's intake of a presentment file: each result it writes back, and what it refuses whole. Both suites. */
class CardClearingTest {
  private static final PartyId SWITCH = PartyId.of("SWITCH");
  private static final PartyId ISSUER = PartyId.of("ISSA");
  private static final PartyId ACQUIRER = PartyId.of("ACQ1");
  private static final LocalDate DAY = LocalDate.of(2026, 12, 7);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void eachPresentmentGetsItsResult_andTheFileAgainChangesNothing(AlgorithmSuite suite) throws Exception {
    try (CardHostWorld w = new CardHostWorld(suite, dir)) {
      CardTransaction held = w.purchase(w.nextStan(), 1_000, 80);
      CardTransaction lapsing = w.purchase(w.nextStan(), 2_000, 81);
      CardTransaction posted = w.purchase(w.nextStan(), 500, 82);
      assertThat(w.send(new AuthorisationRequest(held)).responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(w.send(new AuthorisationRequest(lapsing)).responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(w.send(new FinancialRequest(posted)).responseCode()).isEqualTo(ResponseCode.APPROVED);
      w.clock.advance(Duration.ofMillis(CardHostWorld.HOLD_TIMEOUT_MS + 1));
      w.service.expireDue(); // both holds lapse; the 0200 was posted at once
      CardTransaction held2 = w.purchase(w.nextStan(), 1_000, 83);
      assertThat(w.send(new AuthorisationRequest(held2)).responseCode()).isEqualTo(ResponseCode.APPROVED);

      Path file = file("in.txt", ISSUER, List.of(
          presentment("OVER", Presentment.Kind.CAPTURE, Mti.AUTHORISATION_REQUEST, held2, 1_001),
          presentment("EXPIRED", Presentment.Kind.CAPTURE, Mti.AUTHORISATION_REQUEST, lapsing, 2_000),
          presentment("POSTED", Presentment.Kind.CAPTURE, Mti.FINANCIAL_REQUEST, posted, 500),
          presentment("POSTED-LESS", Presentment.Kind.CAPTURE, Mti.FINANCIAL_REQUEST, posted, 400),
          presentment("NONE", Presentment.Kind.CAPTURE, Mti.AUTHORISATION_REQUEST,
              CardHostWorld.transaction(CardHostWorld.PAN, 77, 300, null), 300),
          presentment("PART", Presentment.Kind.CAPTURE, Mti.AUTHORISATION_REQUEST, held2, 600),
          presentment("REFUND", Presentment.Kind.REFUND, Mti.FINANCIAL_REQUEST, posted, 100)));
      CardClearing clearing = new CardClearing(ISSUER, w.service, w.database, FileLimits.defaults(), dir.resolve("out"));
      Path results = clearing.apply(file);
      AccountBalance after = w.balance(CARD_ACCOUNT);
      byte[] first = Files.readAllBytes(results);
      assertThat(Files.readAllBytes(clearing.apply(file))).isEqualTo(first);
      assertThat(w.balance(CARD_ACCOUNT)).isEqualTo(after);

      PresentmentResultFile.Read read;
      try (InputStream in = Files.newInputStream(results)) {
        read = PresentmentResultFile.read(in, FileLimits.defaults());
      }
      assertThat(read.header().sender()).isEqualTo(ISSUER);
      assertThat(read.header().receiver()).isEqualTo(SWITCH);
      assertThat(read.results()).extracting(PresentmentResult::presentmentId, PresentmentResult::status).containsExactly(
          tuple("OVER", Status.EXCEEDS_HOLD), tuple("EXPIRED", Status.HOLD_EXPIRED), tuple("POSTED", Status.ACCEPTED),
          tuple("POSTED-LESS", Status.NOT_CAPTURABLE), tuple("NONE", Status.UNKNOWN), tuple("PART", Status.ACCEPTED),
          tuple("REFUND", Status.ACCEPTED));
      // 5.00 posted by the 0200, 6.00 captured of the 10.00 hold (the rest released), 1.00 refunded.
      assertThat(after.debitsPostedMinor()).isEqualTo(500 + 600);
      assertThat(after.creditsPostedMinor()).isEqualTo(10_000 + 100);
      assertThat(after.debitsPendingMinor()).isZero();
      w.assertBooksBalance();
      w.assertAuditVerifies();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aFileForAnotherIssuer_orADamagedFile_isRefusedWhole(AlgorithmSuite suite) throws Exception {
    try (CardHostWorld w = new CardHostWorld(suite, dir)) {
      CardTransaction held = w.purchase(w.nextStan(), 1_000, 90);
      assertThat(w.send(new AuthorisationRequest(held)).responseCode()).isEqualTo(ResponseCode.APPROVED);
      List<Presentment> capture = List.of(presentment("C", Presentment.Kind.CAPTURE, Mti.AUTHORISATION_REQUEST, held, 1_000));
      CardClearing clearing = new CardClearing(ISSUER, w.service, w.database, FileLimits.defaults(), dir.resolve("out"));
      AccountBalance before = w.balance(CARD_ACCOUNT);
      assertThatThrownBy(() -> clearing.apply(file("other.txt", PartyId.of("ISSB"), capture)))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("ISSB");
      byte[] good = Files.readAllBytes(file("good.txt", ISSUER, capture));
      Path damaged = Files.write(dir.resolve("damaged.txt"), Arrays.copyOf(good, good.length - 3));
      assertThatThrownBy(() -> clearing.apply(damaged)).isInstanceOfSatisfying(PresentmentFileException.class,
          e -> assertThat(e.reason()).isEqualTo(PresentmentFileException.Reason.TRUNCATED));
      assertThat(w.balance(CARD_ACCOUNT)).isEqualTo(before);
      w.assertBooksBalance();
    }
  }

  private static Presentment presentment(String id, Presentment.Kind kind, Mti mti, CardTransaction t, long amountMinor) {
    return new Presentment(id, kind, ACQUIRER, OriginalData.of(mti, t), t.rrn(), t.terminalId(), t.merchantId(), t.pan(),
        amountMinor, CurrencyUnit.CNY, "000000", DAY);
  }

  private Path file(String name, PartyId receiver, List<Presentment> presentments) throws Exception {
    Path path = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(path)) {
      PresentmentFile.write(out, SWITCH, receiver, DAY, 1, CurrencyUnit.CNY, presentments);
    }
    return path;
  }
}
