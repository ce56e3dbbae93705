package io.iotpay.acquirer.pos.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.pos.merchant.AuditEvent;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.merchant.TerminalState;
import io.iotpay.acquirer.pos.risk.RiskEvent;
import io.iotpay.acquirer.pos.risk.RiskOutcome;
import io.iotpay.acquirer.pos.risk.RiskReason;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.phone.pos.DeviceSensors;
import io.iotpay.phone.pos.MonitoringService;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.SdkOutcome;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.online.Presentment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Phones as terminals end to end (docs/phone-sdk.md, "Tests"): the acquiring SDK with its key in a
 * jCardSim SE, the real EMV card applet, the acquirer host with terminal risk sensing, the switch and
 * the issuer over loopback TCP; both suites. Each attack is refused with a recorded reason and moves
 * no money: the card is never read, nothing reaches the switch, the issuer's ledger is unchanged.
 */
class PhonePosTest {
  @TempDir Path dir;

  /** The monitoring service with a man in the middle that may swap the token the SDK sends. */
  static final class Tapped implements MonitoringService {
    final MonitoringService real;
    final List<byte[]> tokens = new ArrayList<>();
    UnaryOperator<byte[]> swap = UnaryOperator.identity();

    Tapped(MonitoringService real) {
      this.real = real;
    }

    @Override
    public byte[] nonce(String terminalId) {
      return real.nonce(terminalId);
    }

    @Override
    public Verdict attest(String terminalId, byte[] token) {
      tokens.add(token.clone());
      return real.attest(terminalId, swap.apply(token));
    }
  }

  /** Counts the APDUs a card receives. */
  static final class Counting implements CardChannel {
    final CardChannel card;
    int commands;

    Counting(CardChannel card) {
      this.card = card;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      commands++;
      return card.transmit(command);
    }
  }

  record Money0(long pending, long posted, long forwarded) {}

  private static Money0 snapshot(PhoneWorld p) {
    AccountBalance c = p.w.card();
    return new Money0(c.debitsPendingMinor(), c.debitsPostedMinor(), p.w.host.stats().forwarded());
  }

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  private static void assertRefusedBeforeTheCard(PhoneWorld p, SdkOutcome outcome, Counting card, Money0 before,
      RiskReason reason) {
    assertThat(outcome.approved()).isFalse();
    assertThat(outcome.attestation().reason()).as(outcome.attestation().toString()).isEqualTo(reason.name());
    assertThat(outcome.kernel()).isNull();
    assertThat(outcome.receipt().result()).isEqualTo("REFUSED");
    assertThat(card.commands).as("the card is never read").isZero();
    assertThat(snapshot(p)).as("no money moved, nothing reached the switch").isEqualTo(before);
  }

  static Stream<Arguments> suitesAndReaches() {
    return Stream.of(AlgorithmSuite.values()).flatMap(suite -> Stream.of(PhoneWorld.Reach.values())
        .map(reach -> Arguments.of(suite, reach)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("suitesAndReaches")
  void phonePays_refunds_andEveryAttackIsRefusedWithAReason(AlgorithmSuite suite, PhoneWorld.Reach reach)
      throws Exception {
    try (PhoneWorld p = new PhoneWorld(suite, dir, 100, reach)) {
      PhoneWorld.Phone a = p.enrol(dir.resolve("phone-a"));
      PhoneWorld.Phone b = p.enrol(dir.resolve("phone-b"));
      assertThat(a.terminalId()).isNotEqualTo(b.terminalId());
      Tapped tap = new Tapped(p.monitoring());
      PosSdk sdk = p.open(a, tap, PhoneWorld.genuine(), l -> l);
      List<SdkOutcome> delivered = new ArrayList<>();
      sdk.onOutcome(delivered::add);

      // A genuine payment: attested, tapped, approved online; the issuer holds it.
      SdkOutcome paid = sdk.charge(cny(1_000), p.card.channel());
      assertThat(paid.approved()).as(String.valueOf(paid)).isTrue();
      assertThat(paid.attestation().approved()).isTrue();
      assertThat(paid.kernel().reason().name()).isEqualTo("APPROVED_ONLINE");
      assertThat(delivered).containsExactly(paid);
      assertThat(paid.receipt().maskedPan()).isEqualTo(OnlineWorld.PAN.masked());
      assertThat(paid.receipt().text()).doesNotContain(OnlineWorld.PAN.digits()).contains("CNY 10.00");
      assertThat(p.w.card().debitsPendingMinor()).isEqualTo(1_000);
      byte[] used = tap.tokens.get(0);

      // 1. A replayed attestation token.
      Money0 before = snapshot(p);
      Counting card = new Counting(p.card.channel());
      tap.swap = t -> used;
      assertRefusedBeforeTheCard(p, sdk.charge(cny(500), card), card, before, RiskReason.NONCE_NOT_FRESH);

      // 2. A token from another terminal: phone B's SE signs over phone A's nonce.
      tap.swap = t -> b.se().attest(Arrays.copyOfRange(t, 12, 72));
      assertRefusedBeforeTheCard(p, sdk.charge(cny(500), card), card, before, RiskReason.TOKEN_OF_ANOTHER_TERMINAL);
      // ... or a forged one: one bit of A's own token flipped.
      tap.swap = t -> {
        byte[] forged = t.clone();
        forged[20] ^= 1;
        return forged;
      };
      assertRefusedBeforeTheCard(p, sdk.charge(cny(500), card), card, before, RiskReason.BAD_SIGNATURE);
      tap.swap = UnaryOperator.identity();

      // 3. A payment without any attestation (straight to the host's terminal port): 58, not forwarded.
      try (Iso8583Client link = p.link(a.terminalId())) {
        assertThat(send(link, retarget(p.w.purchase(900_001, 500, 40, false), a.terminalId())).responseCode())
            .isEqualTo(ResponseCode.NOT_PERMITTED_TO_TERMINAL);
      }
      assertThat(snapshot(p)).isEqualTo(before);

      // 4. A suspended merchant: refused at attestation, then it transacts again once reactivated.
      p.onboarding().suspend(p.w.merchant, "alice", "documents to check");
      assertRefusedBeforeTheCard(p, sdk.charge(cny(500), card), card, before, RiskReason.TERMINAL_NOT_ALLOWED);
      p.onboarding().reactivate(p.w.merchant, "alice", "documents checked");

      // A refund of part of the genuine payment goes through (attested too).
      SdkOutcome refunded = sdk.refund(paid.receipt(), cny(300));
      assertThat(refunded.approved()).as(String.valueOf(refunded)).isTrue();
      // 5. Refunds above sales: blocked, the refund refused.
      before = snapshot(p);
      SdkOutcome tooMuch = sdk.refund(paid.receipt(), cny(800));
      assertThat(tooMuch.approved()).isFalse();
      assertThat(tooMuch.receipt().reason()).contains("58");
      assertThat(p.onboarding().terminal(new TerminalId(a.terminalId())).state()).isEqualTo(TerminalState.BLOCKED);
      sdk.close();

      // 6. A tampered SDK on phone B: its integrity digest is not an allowed build. Blocked.
      Counting cardB = new Counting(p.card.channel());
      try (PosSdk tampered = p.open(b, p.monitoring(), DeviceSensors.fixed(PhoneWorld.TAMPERED_BUILD, 0,
          PhoneWorld.LAT, PhoneWorld.LON), l -> l)) {
        assertRefusedBeforeTheCard(p, tampered.charge(cny(500), cardB), cardB, before, RiskReason.UNKNOWN_SDK_BUILD);
        assertThat(tampered.charge(cny(500), cardB).attestation().reason()).isEqualTo("TERMINAL_NOT_ALLOWED");
      }
      // 7. A blocked terminal's next payment is refused (58) by the host before it reaches the switch.
      try (Iso8583Client link = p.link(b.terminalId())) {
        assertThat(send(link, retarget(p.w.purchase(900_002, 500, 41, false), b.terminalId())).responseCode())
            .isEqualTo(ResponseCode.NOT_PERMITTED_TO_TERMINAL);
      }
      assertThat(snapshot(p)).isEqualTo(before);
      assertThat(p.onboarding().history(new TerminalId(b.terminalId()))).extracting(AuditEvent::to, AuditEvent::actor)
          .contains(org.assertj.core.groups.Tuple.tuple("BLOCKED", "operator:risk-sensing"));

      // 8. A rooted phone (C) is blocked; a phone (D) that jumps from Shanghai to Beijing in no time is blocked.
      PhoneWorld.Phone c = p.enrol(dir.resolve("phone-c"));
      try (PosSdk rooted = p.open(c, p.monitoring(), DeviceSensors.fixed(PhoneWorld.GENUINE_BUILD,
          DeviceSensors.ROOTED, PhoneWorld.LAT, PhoneWorld.LON), l -> l)) {
        assertRefusedBeforeTheCard(p, rooted.charge(cny(500), cardB), cardB, before, RiskReason.DEVICE_COMPROMISED);
      }
      PhoneWorld.Phone d = p.enrol(dir.resolve("phone-d"));
      try (PosSdk inShanghai = p.open(d)) {
        assertThat(p.risk.attest(new TerminalId(d.terminalId()), new byte[3]).reason())
            .isEqualTo(RiskReason.MALFORMED_TOKEN);
        SdkOutcome ok = inShanghai.charge(cny(200), p.card.channel());
        assertThat(ok.approved()).as(String.valueOf(ok)).isTrue();
      }
      before = snapshot(p);
      try (PosSdk inBeijing = p.open(d, p.monitoring(), DeviceSensors.fixed(PhoneWorld.GENUINE_BUILD, 0,
          39_904_200, 116_407_400), l -> l)) {
        assertRefusedBeforeTheCard(p, inBeijing.charge(cny(500), cardB), cardB, before, RiskReason.IMPOSSIBLE_TRAVEL);
      }

      // Every verdict is recorded with its reason, durably: a new service on the same store reads them.
      TerminalRiskService reopened = new TerminalRiskService(new io.iotpay.acquirer.pos.risk.RiskConfig(Set.of(), 1, 1,
          1, 1, 1, 0), p.riskDb, p.onboarding(), p.w.acquirerClock);
      assertThat(reopened.events(new TerminalId(a.terminalId()))).extracting(RiskEvent::reason).containsSubsequence(
          RiskReason.OK, RiskReason.NONCE_NOT_FRESH, RiskReason.TOKEN_OF_ANOTHER_TERMINAL, RiskReason.BAD_SIGNATURE,
          RiskReason.NO_FRESH_ATTESTATION, RiskReason.TERMINAL_NOT_ALLOWED, RiskReason.REFUNDS_ABOVE_SALES);
      assertThat(reopened.events(new TerminalId(b.terminalId()))).extracting(RiskEvent::outcome, RiskEvent::reason)
          .contains(org.assertj.core.groups.Tuple.tuple(RiskOutcome.BLOCK, RiskReason.UNKNOWN_SDK_BUILD));

      // Only the genuine payments move money: day end presents 1,000 and 200 captured and 300 refunded.
      List<Presentment> presented = p.w.host.dayEnd(OnlineWorld.TODAY);
      assertThat(presented).extracting(Presentment::kind, Presentment::amountMinor).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple(Presentment.Kind.CAPTURE, 1_000L),
          org.assertj.core.groups.Tuple.tuple(Presentment.Kind.CAPTURE, 200L),
          org.assertj.core.groups.Tuple.tuple(Presentment.Kind.REFUND, 300L));
      assertThat(p.w.card().debitsPendingMinor()).isEqualTo(1_200);
      p.w.assertBooksBalance();

      // No file the phones or the risk store wrote holds the PAN's digits (journal, sent requests, keys, store).
      byte[] digits = OnlineWorld.PAN.digits().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      List<Path> written = new ArrayList<>();
      try (var files = java.nio.file.Files.walk(dir)) {
        files.filter(java.nio.file.Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("risk.db")
            || dir.relativize(f).toString().startsWith("phone-")).forEach(written::add);
      }
      assertThat(written).hasSizeGreaterThan(8);
      for (Path f : written) {
        byte[] content = java.nio.file.Files.readAllBytes(f);
        assertThat(indexOf(content, digits)).as(f.toString()).isEqualTo(-1);
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void merchantVelocity_stepsUp_andTheIssuerHoldsNothingForIt(AlgorithmSuite suite) throws Exception {
    try (PhoneWorld p = new PhoneWorld(suite, dir, 1)) {
      PhoneWorld.Phone a = p.enrol(dir.resolve("phone-a"));
      try (PosSdk sdk = p.open(a)) {
        assertThat(sdk.charge(cny(400), p.card.channel()).approved()).isTrue();
        Money0 before = snapshot(p);
        SdkOutcome second = sdk.charge(cny(400), p.card.channel());
        assertThat(second.approved()).isFalse();
        assertThat(second.attestation().approved()).as("the token is fine; the merchant is too fast").isTrue();
        assertThat(second.kernel().reason().name()).isEqualTo("DECLINED_BY_ISSUER");
        assertThat(snapshot(p)).isEqualTo(before);
      }
      assertThat(p.risk.events(new TerminalId(a.terminalId()))).extracting(RiskEvent::outcome, RiskEvent::reason)
          .contains(org.assertj.core.groups.Tuple.tuple(RiskOutcome.STEP_UP, RiskReason.VELOCITY));
      assertThat(p.onboarding().terminal(new TerminalId(a.terminalId())).state()).isEqualTo(TerminalState.ACTIVE);
      p.w.assertBooksBalance();
    }
  }

  static CardTransaction retarget(CardTransaction t, String terminalId) {
    return new CardTransaction(t.pan(), t.processingCode(), t.amount(), t.transmittedAt(), t.stan(), t.localTime(),
        t.expiry(), t.posEntryMode(), t.panSequence(), t.acquirerId(), t.rrn(), terminalId, t.merchantId(), null,
        t.iccData());
  }

  static CardResponse send(Iso8583Client link, CardTransaction t) {
    Outcome outcome = link.send(new AuthorisationRequest(t));
    assertThat(outcome).isInstanceOf(Outcome.Answered.class);
    return (CardResponse) ((Outcome.Answered) outcome).response();
  }
}
