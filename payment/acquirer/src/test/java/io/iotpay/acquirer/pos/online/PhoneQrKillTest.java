package io.iotpay.acquirer.pos.online;

import static io.iotpay.acquirer.pos.online.OnlineWorld.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.acquirer.pos.online.PhoneKillTest.Killed;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.phone.pos.MonitoringService;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.terminal.pos.AuthorisationResponse;
import io.iotpay.terminal.pos.OnlineAuthoriser;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PhoneKillTest} for consumer-presented QR payments ({@link PosSdk#chargeConsumerCode}): the
 * merchant app dies at every step — after the scan, after the journal entry, after the 0100 is sent,
 * after the answer, before the receipt — and a fresh SDK opened on its directory leaves each payment
 * completed or reversed at the acquirer and the issuer, never hanging, never paid twice; one case with
 * a child JVM killed by {@code destroyForcibly}. Both suites. docs/qr.md, docs/phone-sdk.md.
 */
class PhoneQrKillTest {
  @TempDir Path dir;

  enum Step {
    /** The code is decoded; the app dies while attesting, before anything is journaled. */
    AFTER_SCAN(false, false, null),
    /** The ONLINE_REQUEST line is on disk; the 0100 has not left the phone. */
    AFTER_JOURNAL_ENTRY(false, false, "NOT_SENT"),
    /** The 0100 reached the acquirer; its answer never reaches the app. */
    AFTER_0100_SENT(true, false, "REVERSED"),
    /** The 0110 arrived; the FINAL line is not written. */
    AFTER_ANSWER(true, false, "REVERSED"),
    /** The FINAL line (an approval) is written; the app never showed the receipt. */
    BEFORE_RECEIPT(true, true, null);

    final boolean forwarded;
    final boolean completes;
    final String recovery;

    Step(boolean forwarded, boolean completes, String recovery) {
      this.forwarded = forwarded;
      this.completes = completes;
      this.recovery = recovery;
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void killedAtEveryStep_aFreshSdkCompletesOrReverses_neverTwice(AlgorithmSuite suite) throws Exception {
    try (PhoneWorld p = new PhoneWorld(suite, dir, 1_000)) {
      QrWorld qr = new QrWorld(p.w, suite, dir);
      try {
        PhoneWorld.Phone phone = p.enrol(dir.resolve("phone"));
        long expectedHold = 0;
        long forwarded = p.w.host.stats().forwarded();
        for (Step step : Step.values()) {
          long amount = 100 + step.ordinal();
          String code = qr.app.paymentCode();
          PosSdk doomed = p.open(phone, dyingMonitoring(p.monitoring(), step), PhoneWorld.genuine(),
              link -> dyingLink(p, step, link));
          if (step == Step.BEFORE_RECEIPT) {
            doomed.onQrOutcome(o -> {
              throw new Killed("before the app showed the receipt");
            });
          }
          assertThatThrownBy(() -> doomed.chargeConsumerCode(code, Money.ofMinor(amount, CurrencyUnit.CNY)))
              .as(step.name()).isInstanceOf(Killed.class);
          doomed.close(); // the OS closes the dead process's socket and files; no SDK code runs

          try (PosSdk fresh = p.open(phone)) {
            if (step.recovery == null) {
              assertThat(fresh.recovered()).as(step.name()).isEmpty();
            } else {
              assertThat(fresh.recovered()).as(step.name()).singleElement()
                  .satisfies(r -> assertThat(r.action()).isEqualTo(step.recovery));
            }
          }
          expectedHold += step.completes ? amount : 0;
          long hold = expectedHold;
          await(() -> p.w.host.reversalsPending() == 0 && p.w.card().debitsPendingMinor() == hold,
              step + ": the acquirer and the issuer agree with the journal");
          forwarded += step.forwarded ? 1 : 0;
          assertThat(p.w.host.stats().forwarded()).as(step + ": the 0100 went at most once").isEqualTo(forwarded);
          try (PosSdk again = p.open(phone)) {
            assertThat(again.recovered()).as(step + ": nothing is reversed twice").isEmpty();
          }
        }
        // Day end presents only the completed payment; the books balance.
        assertThat(p.w.host.dayEnd(OnlineWorld.TODAY)).singleElement()
            .satisfies(pr -> assertThat(pr.amountMinor()).isEqualTo(100 + Step.BEFORE_RECEIPT.ordinal()));
        assertThat(p.w.card().debitsPendingMinor()).isEqualTo(expectedHold);
        p.w.assertBooksBalance();
      } finally {
        qr.closeQrParts();
      }
    }
  }

  /**
   * A real process: the merchant app in a child JVM ({@link PhoneProcess}, its own SE in jCardSim)
   * charges a consumer-presented code and is killed with {@code destroyForcibly} after the 0110
   * arrived; an SDK opened on its directory here reverses the payment, and the code stays used.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void childProcessKilledAfterTheAnswer_aFreshSdkReverses(AlgorithmSuite suite) throws Exception {
    try (QrWorld qr = new QrWorld(suite, dir)) {
      OnlineWorld w = qr.world;
      Path phoneDir = dir.resolve("phone");
      Process child = PhoneProcess.startUntilKillpoint(w, phoneDir, dir.resolve("child.err"),
          "qr=" + qr.app.paymentCode(), 777);
      try {
        assertThat(w.card().debitsPendingMinor()).as("the issuer approved and holds it").isEqualTo(777);
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      try (PosSdk fresh = PhoneProcess.reopen(w, phoneDir)) {
        assertThat(fresh.recovered()).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("REVERSED"));
      }
      await(() -> w.host.reversalsPending() == 0 && w.card().debitsPendingMinor() == 0, "the hold is released");
      assertThat(w.host.stats().forwarded()).isEqualTo(1);
      assertThat(w.host.dayEnd(OnlineWorld.TODAY)).isEmpty();
      assertThat(qr.tokens.decisions()).extracting(d -> d.responseCode()).containsExactly("00");
      w.assertBooksBalance();
    }
  }

  private static MonitoringService dyingMonitoring(MonitoringService monitoring, Step step) {
    if (step != Step.AFTER_SCAN) {
      return monitoring;
    }
    return new MonitoringService() {
      @Override
      public byte[] nonce(String terminalId) {
        return monitoring.nonce(terminalId);
      }

      @Override
      public Verdict attest(String terminalId, byte[] token) {
        throw new Killed(step.name());
      }
    };
  }

  private static OnlineAuthoriser dyingLink(PhoneWorld p, Step step, OnlineAuthoriser link) {
    return switch (step) {
      case AFTER_JOURNAL_ENTRY -> request -> {
        throw new Killed(step.name());
      };
      case AFTER_0100_SENT -> request -> {
        long before = p.w.host.stats().forwarded();
        CompletableFuture<AuthorisationResponse> inFlight = CompletableFuture.supplyAsync(() -> link.authorise(request));
        await(() -> p.w.host.stats().forwarded() > before || inFlight.isDone(), "the 0100 reached the acquirer");
        throw new Killed(step.name()); // the answer, when it comes, finds no one
      };
      case AFTER_ANSWER -> request -> {
        link.authorise(request);
        throw new Killed(step.name());
      };
      default -> link;
    };
  }
}
