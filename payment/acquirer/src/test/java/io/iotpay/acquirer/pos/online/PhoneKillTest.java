package io.iotpay.acquirer.pos.online;

import static io.iotpay.acquirer.pos.online.OnlineWorld.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.terminal.pos.AuthorisationResponse;
import io.iotpay.terminal.pos.OnlineAuthoriser;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Kill the merchant app at every step" (docs/phone-sdk.md, "Recovery"): the SDK's process dies
 * (an {@link Error} thrown from the step, nothing of the SDK runs after it; what the OS would close —
 * the link's socket, the journal's file — is closed) and a fresh SDK is opened on the same directory.
 * Each payment ends completed or reversed at the acquirer and the issuer, never left hanging, never
 * paid twice; both suites.
 */
class PhoneKillTest {
  @TempDir Path dir;

  /** The process dies here. */
  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;

    Killed(String step) {
      super("killed " + step, null, false, false);
    }
  }

  enum Step {
    /** The card answered the first GENERATE AC; its ARQC is not journaled yet. */
    BEFORE_ARQC_JOURNALED(false, false),
    /** The ARQC is journaled; the 0100 has not left the phone. */
    AFTER_ARQC_JOURNALED(false, false),
    /** The 0100 reached the acquirer; its answer never reaches the phone. */
    AFTER_0100_SENT(true, false),
    /** The 0110 arrived; the card never saw it. */
    AFTER_0110_ARRIVED(true, false),
    /** The card gave its TC in the second GENERATE AC; the final journal line is not written. */
    AFTER_SECOND_GENERATE_AC(true, false),
    /** The final journal line (an approval) is written; the app never showed the outcome. */
    AFTER_FINAL_JOURNALED(true, true);

    final boolean forwarded;
    final boolean completes;

    Step(boolean forwarded, boolean completes) {
      this.forwarded = forwarded;
      this.completes = completes;
    }
  }

  /** The card, dying after its {@code dieAfter}-th GENERATE AC response (0: never). */
  static final class DyingCard implements CardChannel {
    final CardChannel card;
    final int dieAfter;
    int generateAcs;

    DyingCard(CardChannel card, int dieAfter) {
      this.card = card;
      this.dieAfter = dieAfter;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      ResponseApdu r = card.transmit(command);
      if (command.ins() == 0xAE && ++generateAcs == dieAfter) {
        throw new Killed("after GENERATE AC " + dieAfter);
      }
      return r;
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void killedAtEveryStep_aFreshSdkCompletesOrReverses_neverTwice(AlgorithmSuite suite) throws Exception {
    try (PhoneWorld p = new PhoneWorld(suite, dir, 1_000)) {
      PhoneWorld.Phone phone = p.enrol(dir.resolve("phone"));
      long expectedHold = 0;
      long forwarded = p.w.host.stats().forwarded();
      for (Step step : Step.values()) {
        long amount = 100 + step.ordinal();
        PosSdk.OnlineAuthoriserWrap wrap = link -> dyingLink(p, step, link);
        PosSdk doomed = p.open(phone, p.monitoring(), PhoneWorld.genuine(), wrap);
        if (step == Step.AFTER_FINAL_JOURNALED) {
          doomed.onOutcome(o -> {
            throw new Killed("before the app showed the outcome");
          });
        }
        int dieAfterGenerateAc = switch (step) {
          case BEFORE_ARQC_JOURNALED -> 1;
          case AFTER_SECOND_GENERATE_AC -> 2;
          default -> 0;
        };
        DyingCard card = new DyingCard(p.card.channel(), dieAfterGenerateAc);
        assertThatThrownBy(() -> doomed.charge(Money.ofMinor(amount, CurrencyUnit.CNY), card)).as(step.name())
            .isInstanceOf(Killed.class);
        doomed.close(); // the OS closes the dead process's socket and files; no SDK code runs
        p.card.reconnect(); // the card left the field

        try (PosSdk fresh = p.open(phone)) {
          if (step.completes) {
            expectedHold += amount;
            assertThat(fresh.recovered()).as(step.name()).isEmpty();
          } else if (step.forwarded) {
            assertThat(fresh.recovered()).as(step.name()).singleElement()
                .satisfies(r -> assertThat(r.action()).isEqualTo("REVERSED"));
          } else {
            assertThat(fresh.recovered()).as(step.name()).hasSize(step == Step.AFTER_ARQC_JOURNALED ? 1 : 0)
                .allSatisfy(r -> assertThat(r.action()).isEqualTo("NOT_SENT"));
          }
        }
        long hold = expectedHold;
        await(() -> p.w.host.reversalsPending() == 0 && p.w.card().debitsPendingMinor() == hold,
            step + ": the acquirer and the issuer agree with the journal");
        forwarded += step.forwarded ? 1 : 0;
        assertThat(p.w.host.stats().forwarded()).as(step + ": the 0100 went at most once").isEqualTo(forwarded);
        // Opening again changes nothing: what was reversed is not reversed twice.
        try (PosSdk again = p.open(phone)) {
          assertThat(again.recovered()).as(step.name()).isEmpty();
        }
      }
      // Day end presents only the completed payment; the books balance.
      assertThat(p.w.host.dayEnd(OnlineWorld.TODAY)).singleElement()
          .satisfies(pr -> assertThat(pr.amountMinor()).isEqualTo(100 + Step.AFTER_FINAL_JOURNALED.ordinal()));
      assertThat(p.w.card().debitsPendingMinor()).isEqualTo(expectedHold);
      p.w.assertBooksBalance();
    }
  }

  /**
   * The same kill with a real process: the merchant app runs in a child JVM ({@link PhoneProcess},
   * its own SE and card in jCardSim) and is killed with {@code destroyForcibly} after the 0110
   * arrived; an SDK opened on its directory in this JVM reverses the payment.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void childProcessKilledAfterThe0110_aFreshSdkReverses(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      Path phoneDir = dir.resolve("phone");
      Process child = PhoneProcess.startUntilKillpoint(w, phoneDir, dir.resolve("child.err"),
          io.iotpay.foundation.codec.Hex.encode(w.imk.value()), 777);
      try {
        assertThat(w.card().debitsPendingMinor()).as("the issuer approved and holds it").isEqualTo(777);
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      }
      try (PosSdk fresh = PhoneProcess.reopen(w, phoneDir)) {
        assertThat(fresh.recovered()).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("REVERSED"));
      }
      await(() -> w.host.reversalsPending() == 0 && w.card().debitsPendingMinor() == 0, "the hold is released");
      assertThat(w.host.stats().forwarded()).isEqualTo(1);
      assertThat(w.host.dayEnd(OnlineWorld.TODAY)).isEmpty();
      w.assertBooksBalance();
    }
  }

  private static OnlineAuthoriser dyingLink(PhoneWorld p, Step step, OnlineAuthoriser link) {
    return switch (step) {
      case AFTER_ARQC_JOURNALED -> request -> {
        throw new Killed(step.name());
      };
      case AFTER_0100_SENT -> request -> {
        long before = p.w.host.stats().forwarded();
        CompletableFuture<AuthorisationResponse> inFlight = CompletableFuture.supplyAsync(() -> link.authorise(request));
        await(() -> p.w.host.stats().forwarded() > before || inFlight.isDone(), "the 0100 reached the acquirer");
        throw new Killed(step.name()); // the answer, when it comes, finds no one
      };
      case AFTER_0110_ARRIVED -> request -> {
        link.authorise(request);
        throw new Killed(step.name());
      };
      default -> link;
    };
  }
}
