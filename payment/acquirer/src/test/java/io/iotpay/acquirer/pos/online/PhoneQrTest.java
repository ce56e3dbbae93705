package io.iotpay.acquirer.pos.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.risk.RiskReason;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.phone.pos.DeviceSensors;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.QrCheckout;
import io.iotpay.terminal.pos.PosJournal;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Consumer-presented QR payments through the acquiring SDK ({@link PosSdk#chargeConsumerCode}) on
 * {@link PhoneWorld} (the acquirer's risk service over HTTP) with {@link QrWorld}'s token vault and
 * jCardSim token applet: each payment is attested first, and a tampered SDK, a suspended merchant
 * and a blocked terminal are refused before the scheme — nothing forwarded, the code not consumed.
 * Both suites. docs/qr.md, docs/phone-sdk.md.
 */
class PhoneQrTest {
  @TempDir Path dir;

  record Snapshot(long pending, long posted, long forwarded, int decisions) {}

  private static Snapshot snapshot(PhoneWorld p, QrWorld qr) {
    return new Snapshot(p.w.card().debitsPendingMinor(), p.w.card().debitsPostedMinor(), p.w.host.stats().forwarded(),
        qr.tokens.decisions().size());
  }

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void consumerCode_isAttestedFirst_andRefusedTerminalsNeverReachTheScheme(AlgorithmSuite suite) throws Exception {
    try (PhoneWorld p = new PhoneWorld(suite, dir, 1_000)) {
      QrWorld qr = new QrWorld(p.w, suite, dir);
      try {
        PhoneWorld.Phone a = p.enrol(dir.resolve("phone-a"));
        PhoneWorld.Phone b = p.enrol(dir.resolve("phone-b"));
        Snapshot start = snapshot(p, qr);

        // A genuine phone: attested, then the 0100; journaled ONLINE_REQUEST then FINAL.
        try (PosSdk sdk = p.open(a)) {
          PosSdk.QrPayment paid = sdk.chargeConsumerCode(qr.app.paymentCode(), cny(1_234));
          assertThat(paid.approved()).as(String.valueOf(paid)).isTrue();
          assertThat(paid.attestation().reason()).isEqualTo(RiskReason.OK.name());
          assertThat(paid.receipt().result()).isEqualTo("APPROVED");
          assertThat(paid.receipt().maskedPan()).doesNotContain(QrWorld.TOKEN.digits());
          assertThat(snapshot(p, qr)).isEqualTo(new Snapshot(1_234, 0, start.forwarded() + 1, 1));
        }
        try (PosJournal journal = PosJournal.open(a.dir().resolve(PosSdk.JOURNAL_FILE))) {
          assertThat(journal.entries()).extracting(PosJournal.Entry::stage)
              .containsExactly(PosJournal.Stage.ONLINE_REQUEST, PosJournal.Stage.FINAL);
          assertThat(journal.reversalsDue()).isEmpty();
        }

        String code = qr.app.paymentCode();
        Snapshot before = snapshot(p, qr);
        // A tampered SDK (phone B): blocked at attestation.
        try (PosSdk tampered = p.open(b, p.monitoring(), DeviceSensors.fixed(PhoneWorld.TAMPERED_BUILD, 0,
            PhoneWorld.LAT, PhoneWorld.LON), l -> l)) {
          assertRefusedBeforeTheScheme(p, qr, tampered.chargeConsumerCode(code, cny(500)), before,
              RiskReason.UNKNOWN_SDK_BUILD);
          // Its terminal is now blocked: the next QR payment is refused too.
          assertRefusedBeforeTheScheme(p, qr, tampered.chargeConsumerCode(code, cny(500)), before,
              RiskReason.TERMINAL_NOT_ALLOWED);
        }
        // A suspended merchant (phone A is genuine).
        p.onboarding().suspend(p.w.merchant, "alice", "documents to check");
        try (PosSdk sdk = p.open(a)) {
          assertRefusedBeforeTheScheme(p, qr, sdk.chargeConsumerCode(code, cny(500)), before,
              RiskReason.TERMINAL_NOT_ALLOWED);
        }
        p.onboarding().reactivate(p.w.merchant, "alice", "documents checked");
        // A terminal the acquirer's operator blocked.
        p.onboarding().blockTerminal(new TerminalId(a.terminalId()), "alice", "lost phone");
        try (PosSdk sdk = p.open(a)) {
          assertRefusedBeforeTheScheme(p, qr, sdk.chargeConsumerCode(code, cny(500)), before,
              RiskReason.TERMINAL_NOT_ALLOWED);
          // A bad code is refused before any attestation is asked.
          PosSdk.QrPayment bad = sdk.chargeConsumerCode("not a code", cny(500));
          assertThat(bad.outcome().result()).isEqualTo(QrCheckout.Result.REFUSED);
          assertThat(bad.outcome().responseCode()).isEqualTo("30");
          assertThat(bad.attestation()).isNull();
        }
        assertThat(snapshot(p, qr)).isEqualTo(before);

        // None of the refusals consumed the code: a genuine phone of the merchant (C) still pays it.
        PhoneWorld.Phone c = p.enrol(dir.resolve("phone-c"));
        try (PosSdk sdk = p.open(c)) {
          PosSdk.QrPayment paid = sdk.chargeConsumerCode(code, cny(500));
          assertThat(paid.approved()).as(String.valueOf(paid)).isTrue();
        }
        assertThat(snapshot(p, qr)).isEqualTo(new Snapshot(1_734, 0, before.forwarded() + 1, 2));
        p.w.assertBooksBalance();
      } finally {
        qr.closeQrParts();
      }
    }
  }

  private static void assertRefusedBeforeTheScheme(PhoneWorld p, QrWorld qr, PosSdk.QrPayment payment,
      Snapshot before, RiskReason reason) {
    assertThat(payment.approved()).isFalse();
    assertThat(payment.attestation().reason()).as(payment.attestation().toString()).isEqualTo(reason.name());
    assertThat(payment.outcome().result()).isEqualTo(QrCheckout.Result.REFUSED);
    assertThat(payment.receipt().result()).isEqualTo("REFUSED");
    assertThat(snapshot(p, qr)).as("nothing forwarded, no hold, no decision at the issuer").isEqualTo(before);
  }
}
