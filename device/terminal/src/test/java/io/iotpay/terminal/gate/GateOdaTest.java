package io.iotpay.terminal.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.terminal.gate.TapOutcome.Reason;
import io.iotpay.terminal.pos.OdaScheme;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Offline data authentication at the gate (docs/gate.md §2a), both suites, the real transit applet
 * in jCardSim: a genuine card taps in and out in at most 7 commands; four kinds of counterfeit are
 * refused {@link Reason#ODA_FAILED} with nothing journaled: the real certificates without the
 * card's key, a copied static image replaying a captured signature, a broken or expired chain,
 * a revoked issuer certificate. The CA keys are the POS tests' scheme ({@link OdaScheme}).
 */
class GateOdaTest {
  private static final Pan PAN = Pan.withCheckDigit("621234567890123");
  private static final Map<AlgorithmSuite, OdaIssuing.IssuerCredentials> ROGUE = new EnumMap<>(AlgorithmSuite.class);
  @TempDir Path dir;
  private Metro metro;

  @AfterEach
  void tearDown() {
    if (metro != null) { // the status-word test uses no gate
      metro.close();
    }
  }

  private Metro metro(AlgorithmSuite suite, CaRevocationList revocations) {
    metro = new Metro(dir, OdaScheme.of(suite).verifier(revocations));
    return metro;
  }

  private static SimCard card(AlgorithmSuite suite, long seed, SimCard.Oda oda) {
    return new SimCard(suite, PAN, 5_000, 800, seed, oda);
  }

  private static SimCard.Oda genuine(AlgorithmSuite suite) {
    return SimCard.Oda.genuine(OdaScheme.of(suite).issuer);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void genuineCard_tapsInAndOut_inAtMostSevenCommands(AlgorithmSuite suite) {
    Metro m = metro(suite, CaRevocationList.empty());
    SimCard card = card(suite, 1, genuine(suite));
    TapOutcome in = m.gate("IN-A").tap(card.channel());
    assertThat(in).isInstanceOf(TapOutcome.Opened.class);
    assertThat(in.commandCount()).isEqualTo(7); // + READ RECORD of the issuer certificate
    m.clock.advance(Duration.ofMinutes(12));
    TapOutcome out = m.gate("OUT-E").tap(card.channel());
    assertThat(out).isInstanceOf(TapOutcome.Opened.class);
    assertThat(out.commandCount()).isEqualTo(7);
    assertThat(card.quotaMinor()).isEqualTo(5_000 - 300);
    for (TransitRecord r : m.all()) {
      assertThat(card.tacValid(r.atc(), r.cryptogramInput(), r.tac())).as("TAC of " + r).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cloneWithTheRealCertificatesButNotTheCardsKey_isRefused(AlgorithmSuite suite) {
    SimCard clone = card(suite, 2, new SimCard.Oda(OdaScheme.of(suite).issuer, YearMonth.of(2030, 12), true));
    assertCounterfeitRefused(metro(suite, CaRevocationList.empty()), clone.channel(), "DYNAMIC_SIGNATURE_INVALID");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void copiedStaticImageReplayingACapturedSignature_isRefused(AlgorithmSuite suite) {
    Metro m = metro(suite, CaRevocationList.empty());
    SimCard genuine = card(suite, 3, genuine(suite));
    SignatureReplay capture = new SignatureReplay(genuine.channel(), null);
    assertThat(m.gate("IN-A").tap(capture)).isInstanceOf(TapOutcome.Opened.class);
    SimCard image = card(suite, 4, genuine(suite)); // same PAN, records and certificates
    assertCounterfeitRefused(m, new SignatureReplay(image.channel(), capture.captured), "DYNAMIC_SIGNATURE_INVALID");
  }

  /** The gate keeps a card's verified chain for the day; every tap still checks a fresh signature. */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cardWhoseChainTheGateCached_replayingItsOwnSignature_isRefused(AlgorithmSuite suite) {
    Metro m = metro(suite, CaRevocationList.empty());
    SimCard card = card(suite, 10, genuine(suite));
    SignatureReplay capture = new SignatureReplay(card.channel(), null);
    assertThat(m.gate("IN-A").tap(capture)).isInstanceOf(TapOutcome.Opened.class);
    m.clock.advance(Duration.ofMinutes(25)); // past the passback window: the gate closes the journey, then enters
    assertCounterfeitRefused(m, new SignatureReplay(card.channel(), capture.captured), "DYNAMIC_SIGNATURE_INVALID");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void brokenChain_issuerCertifiedByAnotherCa_isRefused(AlgorithmSuite suite) {
    SimCard card = card(suite, 5, SimCard.Oda.genuine(rogueIssuer(suite)));
    assertCounterfeitRefused(metro(suite, CaRevocationList.empty()), card.channel(), "ISSUER_CERT");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void expiredCardCertificate_isRefused(AlgorithmSuite suite) {
    SimCard card = card(suite, 6, new SimCard.Oda(OdaScheme.of(suite).issuer, YearMonth.of(2026, 10), false));
    assertCounterfeitRefused(metro(suite, CaRevocationList.empty()), card.channel(), "ICC_CERT_EXPIRED");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void revokedIssuerCertificate_isRefused(AlgorithmSuite suite) {
    CaRevocationList revoked = CaRevocationList.builder()
        .revoke(OdaScheme.RID, OdaScheme.CA_INDEX, OdaScheme.ISSUER_SERIAL).build();
    assertCounterfeitRefused(metro(suite, revoked), card(suite, 7, genuine(suite)).channel(), "ISSUER_CERT_REVOKED");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cardWithoutOda_isRefused_atAGateThatAuthenticates(AlgorithmSuite suite) {
    assertCounterfeitRefused(metro(suite, CaRevocationList.empty()), card(suite, 8, null).channel(), "NO_ODA");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tornEntryResumedAtTheSameGate_provesTheCardWithInternalAuthenticate(AlgorithmSuite suite) {
    Metro m = metro(suite, CaRevocationList.empty());
    SimCard card = card(suite, 9, genuine(suite));
    TapOutcome torn = m.gate("IN-A").tap(new FaultyCardChannel(card.channel(), 7, FaultyCardChannel.Fault.LOSE_RESPONSE));
    assertThat(torn).isInstanceOf(TapOutcome.Torn.class);
    card.reinsert();
    TapOutcome again = m.gate("IN-A").tap(card.channel());
    assertThat(again).isInstanceOf(TapOutcome.Opened.class);
    assertThat(((TapOutcome.Opened) again).resumed()).isTrue();
    // SELECT, READ CAPP DATA, GPO, GET TRANS PROVE, READ RECORD 2, INTERNAL AUTHENTICATE
    assertThat(again.commandCount()).isEqualTo(6);
    assertThat(card.quotaMinor()).isEqualTo(4_500);
  }

  /** The ODA commands' status words on a personalised card (docs/card-apdus.md §4). */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void odaCommands_refuseWrongLengthsParametersAndLateKeyGeneration(AlgorithmSuite suite) {
    SimCard card = card(suite, 11, genuine(suite));
    CardChannel channel = card.channel();
    assertThat(channel.transmit(GateApdus.select(GateKernel.TRANSIT_AID)).sw()).isEqualTo(0x9000);
    assertThat(channel.transmit(new CommandApdu(0x00, 0x88, 0, 0, new byte[12], 256)).sw()).isEqualTo(0x9000);
    assertThat(channel.transmit(new CommandApdu(0x00, 0x88, 0, 0, new byte[11], 256)).sw()).isEqualTo(0x6700);
    assertThat(channel.transmit(new CommandApdu(0x00, 0x88, 1, 0, new byte[12], 256)).sw()).isEqualTo(0x6A86);
    assertThat(channel.transmit(new CommandApdu(0x80, 0xE0, 0, 0, new byte[0], 256)).sw()).isEqualTo(0x6985);
    ResponseApdu record2 = channel.transmit(GateOda.readIssuerCertificate());
    assertThat(record2.sw()).isEqualTo(0x9000);
    assertThat(record2.data()[0]).isEqualTo((byte) 0x70);
    assertThat(channel.transmit(new CommandApdu(0x00, 0xB2, 3, 0x0C, new byte[0], 256)).sw()).isEqualTo(0x6A83);
  }

  private static void assertCounterfeitRefused(Metro m, CardChannel card, String reason) {
    TapOutcome out = m.gate("IN-A").tap(card);
    assertThat(out).isInstanceOf(TapOutcome.Refused.class);
    TapOutcome.Refused refused = (TapOutcome.Refused) out;
    assertThat(refused.reason()).isEqualTo(Reason.ODA_FAILED);
    assertThat(refused.detail()).startsWith(reason);
    assertThat(out.journaled()).isEmpty();
    assertThat(out.commandCount()).isLessThanOrEqualTo(7);
    assertThat(m.gate("IN-A").journal().records()).hasSizeLessThanOrEqualTo(1); // only a genuine tap before it
  }

  /** An issuer of the same RID and CA index, certified by a CA the gates do not trust. */
  private static synchronized OdaIssuing.IssuerCredentials rogueIssuer(AlgorithmSuite suite) {
    return ROGUE.computeIfAbsent(suite, s -> {
      SecureRandom random = new SecureRandom();
      OdaIssuing.CaKeyPair ca = OdaIssuing.newCa(s, OdaScheme.RID, OdaScheme.CA_INDEX, 1984, random);
      return OdaIssuing.newIssuer(ca, "621234", YearMonth.of(2031, 12), OdaScheme.ISSUER_SERIAL, 1408, random);
    });
  }

  /**
   * A card emulator holding a copy of a card's image: it forwards to {@code inner} and, when given a
   * captured GENERATE AC answer, answers every GENERATE AC with the captured 9F69 and 9F4B in place of
   * the fresh ones. Without one it records the first GENERATE AC answer it sees.
   */
  private static final class SignatureReplay implements CardChannel {
    private final CardChannel inner;
    byte[] captured;
    private final boolean replaying;

    SignatureReplay(CardChannel inner, byte[] captured) {
      this.inner = inner;
      this.captured = captured;
      this.replaying = captured != null;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      ResponseApdu response = inner.transmit(command);
      if ((command.ins() & 0xFF) != 0xAE || response.sw() != 0x9000) {
        return response;
      }
      if (!replaying) {
        captured = captured == null ? response.data() : captured;
        return response;
      }
      byte[] data = response.data();
      byte[] replayed = Arrays.copyOf(data, data.length);
      int at = signatureStart(data);
      System.arraycopy(captured, signatureStart(captured), replayed, at, data.length - at);
      return new ResponseApdu(replayed, response.sw());
    }

    /** Offset of the 9F69 tag in a TC answer (the signature is the answer's tail). */
    private static int signatureStart(byte[] data) {
      for (int i = 0; i + 1 < data.length; i++) {
        if (data[i] == (byte) 0x9F && data[i + 1] == 0x69 && data[i + 2] == 0x07) {
          return i;
        }
      }
      throw new IllegalStateException("no 9F69 in the card's answer");
    }
  }
}
