package io.iotpay.demo.transit;

import io.iotpay.bench.tap.BenchCard;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaTrustStore;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.terminal.gate.GateKernel;
import io.iotpay.terminal.gate.TapOutcome;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The scheme's offline data authentication in the demo (docs/demo-transit.md): one ODA CA per suite
 * (RID A000000333, index 01), each issuer's ODA certificate under it, the gates' trust store and CA
 * revocation list; and a counterfeiter who presents cloned cards of real riders' PANs, one of five
 * kinds in turn. A counterfeit is the real transit applet in jCardSim ({@link BenchCard}) made by
 * the counterfeiter, so it holds whatever the counterfeiter could put on it, never the issuer's keys.
 * Certificates the counterfeiter could only have copied are made here with the issuer's credentials:
 * that is the model of a copy, not something a counterfeiter could sign.
 */
final class Counterfeits {
  static final byte[] RID = Arrays.copyOf(GateKernel.TRANSIT_AID, 5);
  static final int CA_INDEX = 1;
  private static final YearMonth ISSUER_EXPIRY = YearMonth.of(2031, 12);
  private static final byte[] REVOKED_SERIAL = {0x00, 0x00, (byte) 0x99};
  private static final long COUNTERFEIT_QUOTA_MINOR = 50_00;
  private static final long COUNTERFEIT_LIMIT_MINOR = 8_00;

  /** What a counterfeit carries (docs/gate.md §2a lists what refuses each). */
  enum Kind {
    /** The real certificates, the counterfeiter's own key. */
    WITHOUT_THE_CARDS_KEY,
    /** A copy of a card's image answering with a signature skimmed from it earlier. */
    COPIED_IMAGE,
    /** An issuer certificate from a CA the scheme does not run. */
    FOREIGN_CA,
    /** A card certificate past its expiry. */
    EXPIRED,
    /** An issuer certificate the scheme revoked. */
    REVOKED_ISSUER
  }

  private final SecureRandom secure = new SecureRandom();
  private final Map<AlgorithmSuite, OdaIssuing.CaKeyPair> cas = new EnumMap<>(AlgorithmSuite.class);
  private final Map<String, OdaIssuing.IssuerCredentials> issuers = new HashMap<>();
  private final Map<AlgorithmSuite, OdaIssuing.IssuerCredentials> revoked = new EnumMap<>(AlgorithmSuite.class);
  private final Map<AlgorithmSuite, OdaIssuing.IssuerCredentials> foreign = new EnumMap<>(AlgorithmSuite.class);
  private final OdaVerifier verifier;
  private long presented;
  private long refused;
  private long journaled;

  /** @param issuerPrefixes each issuer's BIN (its ODA issuer identifier) */
  Counterfeits(Map<PartyId, String> issuerPrefixes) {
    CaRevocationList.Builder revocations = CaRevocationList.builder();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      OdaIssuing.CaKeyPair ca = OdaIssuing.newCa(suite, RID, CA_INDEX, 1984, secure);
      cas.put(suite, ca);
      int serial = 1;
      for (Map.Entry<PartyId, String> issuer : issuerPrefixes.entrySet()) {
        issuers.put(issuer.getKey().value() + suite, OdaIssuing.newIssuer(ca, issuer.getValue(), ISSUER_EXPIRY,
            new byte[] {0, 0, (byte) serial++}, 1408, secure));
      }
      String firstPrefix = issuerPrefixes.values().iterator().next();
      revoked.put(suite, OdaIssuing.newIssuer(ca, firstPrefix, ISSUER_EXPIRY, REVOKED_SERIAL, 1408, secure));
      revocations.revoke(RID, CA_INDEX, REVOKED_SERIAL);
    }
    verifier = new OdaVerifier(OdaTrustStore.of(cas.values().stream().map(OdaIssuing.CaKeyPair::publicKey).toList()),
        revocations.build());
  }

  /** What every gate holds: both suites' CA keys and the CA revocation list. */
  OdaVerifier gateVerifier() {
    return verifier;
  }

  /** {@code issuer}'s ODA certificate for cards of {@code suite}. */
  OdaIssuing.IssuerCredentials issuerCredentials(PartyId issuer, AlgorithmSuite suite) {
    return issuers.get(issuer.value() + suite);
  }

  /**
   * A counterfeit of {@code victim}'s card, of {@code kind}, ready to present.
   *
   * @param seed the counterfeit card's own (SCP02, AC) keys come from it: never the issuer's
   */
  CardChannel make(Kind kind, AlgorithmSuite suite, PartyId issuer, Pan victim, long seed) {
    OdaIssuing.IssuerCredentials genuine = issuerCredentials(issuer, suite);
    BenchCard.Oda oda = switch (kind) {
      case WITHOUT_THE_CARDS_KEY -> new BenchCard.Oda(genuine, ISSUER_EXPIRY, true);
      case COPIED_IMAGE -> new BenchCard.Oda(genuine, ISSUER_EXPIRY, false);
      case FOREIGN_CA -> new BenchCard.Oda(foreignIssuer(suite, victim), ISSUER_EXPIRY, false);
      case EXPIRED -> new BenchCard.Oda(genuine, YearMonth.of(2025, 12), false);
      case REVOKED_ISSUER -> new BenchCard.Oda(revoked.get(suite), ISSUER_EXPIRY, false);
    };
    BenchCard card = new BenchCard(suite, victim, COUNTERFEIT_QUOTA_MINOR, COUNTERFEIT_LIMIT_MINOR, seed, oda);
    return kind == Kind.COPIED_IMAGE ? new ReplayingImage(card.channel(), skim(card.channel())) : card.channel();
  }

  /**
   * Counts the gate's answer to a counterfeit: refused (ODA_FAILED, or DENIED when the victim's card is
   * deny-listed, which the gate checks first) and what it journaled (nothing, when all is well).
   */
  void presented(TapOutcome outcome) {
    presented++;
    journaled += outcome.journaled().size();
    if (outcome instanceof TapOutcome.Refused) {
      refused++;
    }
  }

  /** The kind of the next counterfeit: each in turn, so a short run shows every one. */
  Kind nextKind() {
    return Kind.values()[(int) (presented % Kind.values().length)];
  }

  long presented() {
    return presented;
  }

  long refused() {
    return refused;
  }

  /** Records counterfeit taps journaled (0 when every one was refused before the journal). */
  long journaled() {
    return journaled;
  }

  private OdaIssuing.IssuerCredentials foreignIssuer(AlgorithmSuite suite, Pan victim) {
    return foreign.computeIfAbsent(suite, s -> OdaIssuing.newIssuer(
        OdaIssuing.newCa(s, RID, CA_INDEX, 1984, secure), victim.digits().substring(0, 6), ISSUER_EXPIRY,
        new byte[] {0, 0, 1}, 1408, secure));
  }

  /** The counterfeiter's reader asks the card once for a signature (INTERNAL AUTHENTICATE) and keeps it. */
  private static byte[] skim(CardChannel card) {
    ok(card.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, GateKernel.TRANSIT_AID, 256)));
    byte[] terminal = new byte[12];
    new Random().nextBytes(terminal);
    byte[] answer = ok(card.transmit(new CommandApdu(0x00, 0x88, 0x00, 0x00, terminal, 256)));
    int header = (answer[1] & 0xFF) == 0x81 ? 3 : 2;
    return Arrays.copyOfRange(answer, header, answer.length); // 9F69 ‖ 9F4B, the tail of every TC too
  }

  private static byte[] ok(ResponseApdu response) {
    if (response.sw() != 0x9000) {
      throw new IllegalStateException(String.format("counterfeit card answered %04X", response.sw()));
    }
    return response.data();
  }

  /** A copied image: every TC goes out with the skimmed 9F69 ‖ 9F4B in place of a fresh signature. */
  private static final class ReplayingImage implements CardChannel {
    private final CardChannel card;
    private final byte[] skimmed;

    ReplayingImage(CardChannel card, byte[] skimmed) {
      this.card = card;
      this.skimmed = skimmed;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      ResponseApdu response = card.transmit(command);
      if (command.ins() != 0xAE || response.sw() != 0x9000 || response.data().length < skimmed.length) {
        return response;
      }
      byte[] data = response.data();
      System.arraycopy(skimmed, 0, data, data.length - skimmed.length, skimmed.length);
      return new ResponseApdu(data, response.sw());
    }
  }
}
