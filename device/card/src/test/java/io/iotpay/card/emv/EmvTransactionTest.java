package io.iotpay.card.emv;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole contactless transactions between the applet (in jCardSim, through CardChannel), the test
 * terminal and an issuer that uses only foundation's host crypto: both sides agree on every
 * cryptogram, a one-bit change anywhere fails, card risk management sends the card online, and
 * issuer authentication decides the second GENERATE AC. docs/emv-card-apdus.md §3-§6.
 */
class EmvTransactionTest {

  private final EmvIssuer issuer = new EmvIssuer(15);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void ppse_listsThePaymentApplication(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    var fci = card.channel().transmit(new io.iotpay.foundation.codec.CommandApdu(0x00, 0xA4, 0x04, 0x00,
        EmvCard.PPSE_NAME, 256));
    assertThat(fci.sw()).isEqualTo(0x9000);
    assertThat(PosTerminal.find(fci.data(), 0x84).orElseThrow()).isEqualTo(EmvCard.PPSE_NAME);
    assertThat(PosTerminal.find(fci.data(), 0x4F).orElseThrow()).isEqualTo(EmvCard.AID_BYTES);
    assertThat(PosTerminal.find(fci.data(), 0x87).orElseThrow()).isEqualTo(new byte[] {1});
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void onlineTransaction_cardAndIssuerAgreeOnArqcArpcAndTc(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    PosTerminal pos = new PosTerminal(card.channel());
    assertThat(pos.start(12_34)).isEqualTo(0x9000);
    assertThat(pos.value(0x5A)).isEqualTo(Hex.decode(card.pan));
    PosTerminal.Ac arqc = pos.firstAc(PosTerminal.P1_ARQC);
    assertThat(arqc.sw()).isEqualTo(0x9000);
    assertThat(arqc.cid()).isEqualTo(0x80);
    assertThat(arqc.atc()).isEqualTo(1);
    assertThat(arqc.iad()).hasSize(7);
    assertThat(arqc.iad()[2]).isEqualTo(suite == AlgorithmSuite.INTERNATIONAL ? (byte) 0x01 : (byte) 0x04);
    assertThat(arqc.cvrByte(1) & 0xF0).as("second AC not requested, first ARQC").isEqualTo(0xA0);
    assertThat(issuer.cryptogramValid(card, arqc.cdolData(), arqc.atc(), arqc.iad(), arqc.cryptogram())).isTrue();

    byte[] arpc = issuer.arpc(card, arqc.atc(), arqc.cryptogram(), PosTerminal.ARC_APPROVED);
    PosTerminal.Ac tc = pos.generateAc(PosTerminal.P1_TC,
        pos.cdol2Data(PosTerminal.ARC_APPROVED, arpc, PosTerminal.ARC_APPROVED));
    assertThat(tc.cid()).isEqualTo(0x40);
    assertThat(tc.atc()).as("both ACs of one transaction share the ATC").isEqualTo(arqc.atc());
    assertThat(tc.cdolData()).hasSize(EmvApplet.CDOL2_DATA_LENGTH);
    assertThat(issuer.cryptogramValid(card, tc.cdolData(), tc.atc(), tc.iad(), tc.cryptogram())).isTrue();
    assertThat(tc.cvrByte(1) & 0xF0).as("second TC, first ARQC").isEqualTo(0x60);
    assertThat(tc.cdolData()).as("91 = ARPC ‖ ARC after the ARC")
        .startsWith(EmvCard.concat(PosTerminal.ARC_APPROVED, arpc, PosTerminal.ARC_APPROVED));
    assertThat(pos.commands).as("PPSE, SELECT, GPO, READ RECORD, GEN AC, GEN AC with the ARPC").isEqualTo(6);
    System.out.printf("EMV online tap %s: %d command APDUs, %d bytes to card, %d bytes from card%n", suite,
        pos.commands, pos.bytesToCard, pos.bytesFromCard);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void oneBitChange_inCdolDataAtcKeyOrArqc_failsTheIssuersCheck(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    PosTerminal pos = new PosTerminal(card.channel());
    pos.start(500);
    PosTerminal.Ac arqc = pos.firstAc(PosTerminal.P1_ARQC);
    assertThat(issuer.cryptogramValid(card, arqc.cdolData(), arqc.atc(), arqc.iad(), arqc.cryptogram())).isTrue();
    for (int bit = 0; bit < arqc.cdolData().length * 8; bit += 7) {
      assertThat(issuer.cryptogramValid(card, flip(arqc.cdolData(), bit), arqc.atc(), arqc.iad(), arqc.cryptogram()))
          .as("CDOL bit %d", bit).isFalse();
    }
    for (int bit = 0; bit < 16; bit++) {
      assertThat(issuer.cryptogramValid(card, arqc.cdolData(), arqc.atc() ^ (1 << bit), arqc.iad(), arqc.cryptogram()))
          .as("ATC bit %d", bit).isFalse();
    }
    for (int bit = 0; bit < 64; bit++) {
      assertThat(issuer.cryptogramValid(card, arqc.cdolData(), arqc.atc(), arqc.iad(), flip(arqc.cryptogram(), bit)))
          .as("ARQC bit %d", bit).isFalse();
    }
    assertThat(issuer.cryptogramValid(card, arqc.cdolData(), arqc.atc(), flip(arqc.iad(), 30), arqc.cryptogram()))
        .isFalse();
    // A card master key one bit off (the issuer's key for another card) disagrees too.
    byte[] input = EmvCryptograms.cryptogramInput(arqc.cdolData(), EmvApplet.AIP, arqc.atc(), arqc.iad());
    SecretKeyBytes mk = card.masterKey(issuer.imkAc(suite));
    // Bit 4 of each byte: the low bit of a DES key byte is parity, which DES ignores.
    for (int bit = 4; bit < 128; bit += 8) {
      SecretKeyBytes other = EmvCryptograms.sessionKey(suite, new SecretKeyBytes(flip(mk.value(), bit)), arqc.atc());
      assertThat(EmvCryptograms.isCryptogramValid(suite, other, input, arqc.cryptogram())).as("key bit %d", bit).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void wrongArpc_isRefused_declinesTheSecondAc_andSendsTheNextTapOnline(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    PosTerminal pos = new PosTerminal(card.channel());
    pos.start(500);
    PosTerminal.Ac arqc = pos.firstAc(PosTerminal.P1_ARQC);
    byte[] arpc = issuer.arpc(card, arqc.atc(), arqc.cryptogram(), PosTerminal.ARC_APPROVED);
    PosTerminal.Ac second = pos.generateAc(PosTerminal.P1_TC,
        pos.cdol2Data(PosTerminal.ARC_APPROVED, flip(arpc, 5), PosTerminal.ARC_APPROVED));
    assertThat(second.cid()).isEqualTo(0x00);
    assertThat(second.cvrByte(1) & EmvApplet.CVR1_ISSUER_AUTH_FAILED).isNotZero();
    assertThat(issuer.cryptogramValid(card, second.cdolData(), second.atc(), second.iad(), second.cryptogram())).isTrue();
    assertThat(pos.generateAc(PosTerminal.P1_TC, pos.cdol2Data(PosTerminal.ARC_APPROVED, arpc,
        PosTerminal.ARC_APPROVED)).sw()).as("only one try").isEqualTo(0x6985);

    card.reinsert();
    PosTerminal next = new PosTerminal(card.channel());
    next.start(100);
    PosTerminal.Ac forced = next.firstAc(PosTerminal.P1_TC);
    assertThat(forced.cid()).as("issuer authentication failed last time: online").isEqualTo(0x80);
    assertThat(forced.cvrByte(2) & EmvApplet.CVR2_ISSUER_AUTH_FAILED_LAST).isNotZero();
    // An ARPC over another ARC than the one in 91, or 91's ARC not the ARC of 8A, fails; the right one clears the flag.
    byte[] good = issuer.arpc(card, forced.atc(), forced.cryptogram(), PosTerminal.ARC_APPROVED);
    PosTerminal.Ac mixed = next.generateAc(PosTerminal.P1_TC,
        next.cdol2Data(PosTerminal.ARC_APPROVED, good, PosTerminal.ARC_DECLINED));
    assertThat(mixed.cid()).isZero();
    assertThat(mixed.cvrByte(1) & EmvApplet.CVR1_ISSUER_AUTH_FAILED).isNotZero();
    card.reinsert();
    next = new PosTerminal(card.channel());
    next.start(100);
    forced = next.firstAc(PosTerminal.P1_TC);
    good = issuer.arpc(card, forced.atc(), forced.cryptogram(), PosTerminal.ARC_APPROVED);
    PosTerminal.Ac otherArc = next.generateAc(PosTerminal.P1_TC,
        next.cdol2Data(PosTerminal.ARC_DECLINED, good, PosTerminal.ARC_APPROVED));
    assertThat(otherArc.cid()).as("91's ARC is not the ARC of 8A").isZero();
    assertThat(otherArc.cvrByte(1) & EmvApplet.CVR1_ISSUER_AUTH_FAILED).isNotZero();
    card.reinsert();
    next = new PosTerminal(card.channel());
    next.start(100);
    forced = next.firstAc(PosTerminal.P1_TC);
    good = issuer.arpc(card, forced.atc(), forced.cryptogram(), PosTerminal.ARC_APPROVED);
    assertThat(next.generateAc(PosTerminal.P1_TC, next.cdol2Data(PosTerminal.ARC_APPROVED, good,
        PosTerminal.ARC_APPROVED)).cid()).isEqualTo(0x40);
    assertThat(card.getData(0xDF13)[0] & EmvApplet.FLAG_ISSUER_AUTH_FAILED).isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void approvedArcWithoutIssuerAuthentication_givesAac(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    PosTerminal pos = new PosTerminal(card.channel());
    pos.start(500);
    pos.firstAc(PosTerminal.P1_ARQC);
    PosTerminal.Ac second = pos.generateAc(PosTerminal.P1_TC, pos.cdol2Data(PosTerminal.ARC_APPROVED));
    assertThat(second.cid()).isEqualTo(0x00);
    assertThat(second.cvrByte(2) & EmvApplet.CVR2_ISSUER_AUTH_NOT_PERFORMED).isNotZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void consecutiveOfflineLimit_sendsTheCardOnline_andAnOnlineApprovalResetsIt(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer); // lower consecutive limit 2
    for (int i = 1; i <= 2; i++) {
      PosTerminal.Ac tc = offlineTap(card, 100);
      assertThat(tc.cid()).as("offline tap %d", i).isEqualTo(0x40);
      assertThat(issuer.cryptogramValid(card, tc.cdolData(), tc.atc(), tc.iad(), tc.cryptogram())).isTrue();
    }
    assertThat(card.getData(0xDF11)).isEqualTo(new byte[] {0, 2});
    assertThat(card.getData(0xDF12)).isEqualTo(Hex.decode("000000000200"));
    PosTerminal.Ac third = offlineTap(card, 100);
    assertThat(third.cid()).isEqualTo(0x80);
    assertThat(third.cvrByte(2) & EmvApplet.CVR2_VELOCITY_EXCEEDED).isNotZero();
    onlineApproval(card, 100);
    assertThat(card.getData(0xDF11)).isEqualTo(new byte[] {0, 0});
    assertThat(card.getData(0xDF12)).isEqualTo(new byte[6]);
    assertThat(offlineTap(card, 100).cid()).isEqualTo(0x40);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cumulativeAmountOverItsLowerLimit_sendsTheCardOnline(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer); // cumulative lower limit 100.00
    assertThat(offlineTap(card, 9_000).cid()).isEqualTo(0x40);
    PosTerminal.Ac over = offlineTap(card, 1_001);
    assertThat(over.cid()).isEqualTo(0x80);
    assertThat(over.cvrByte(2) & EmvApplet.CVR2_VELOCITY_EXCEEDED).isNotZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void unableToGoOnline_approvesOfflineUpToTheUpperLimit_thenDeclines(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer); // lower 2, upper 4 consecutive
    offlineTap(card, 100);
    offlineTap(card, 100);
    for (int i = 3; i <= 5; i++) {
      card.reinsert();
      PosTerminal pos = new PosTerminal(card.channel());
      pos.start(100);
      PosTerminal.Ac first = pos.firstAc(PosTerminal.P1_TC);
      assertThat(first.cid()).isEqualTo(0x80);
      PosTerminal.Ac second = pos.generateAc(PosTerminal.P1_TC, pos.cdol2Data(PosTerminal.ARC_UNABLE_ONLINE));
      assertThat(second.cvrByte(1) & EmvApplet.CVR1_UNABLE_TO_GO_ONLINE).isNotZero();
      assertThat(issuer.cryptogramValid(card, second.cdolData(), second.atc(), second.iad(), second.cryptogram()))
          .isTrue();
      if (i <= 4) {
        assertThat(second.cid()).as("tap %d within the upper limit", i).isEqualTo(0x40);
      } else {
        assertThat(second.cid()).as("tap %d over the upper limit", i).isEqualTo(0x00);
        assertThat(second.cvrByte(3) & EmvApplet.CVR3_UPPER_LIMIT_EXCEEDED).isNotZero();
      }
    }
    assertThat(card.getData(0xDF11)).isEqualTo(new byte[] {0, 4});
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void terminalAskingForAac_getsAac_andDeclinedArcGivesAac(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    PosTerminal pos = new PosTerminal(card.channel());
    pos.start(100);
    PosTerminal.Ac aac = pos.firstAc(PosTerminal.P1_AAC);
    assertThat(aac.cid()).isZero();
    assertThat(issuer.cryptogramValid(card, aac.cdolData(), aac.atc(), aac.iad(), aac.cryptogram())).isTrue();
    card.reinsert();
    pos = new PosTerminal(card.channel());
    pos.start(100);
    PosTerminal.Ac arqc = pos.firstAc(PosTerminal.P1_ARQC);
    byte[] arpc = issuer.arpc(card, arqc.atc(), arqc.cryptogram(), PosTerminal.ARC_DECLINED);
    PosTerminal.Ac declined = pos.generateAc(PosTerminal.P1_TC,
        pos.cdol2Data(PosTerminal.ARC_DECLINED, arpc, PosTerminal.ARC_DECLINED));
    assertThat(declined.cid()).isZero();
    assertThat(declined.cvrByte(1) & EmvApplet.CVR1_ISSUER_AUTH_FAILED).as("a valid ARPC for a decline").isZero();
  }

  /** A tap whose terminal asks for a TC and, if the card asks online, ends with an AAC request. */
  static PosTerminal.Ac offlineTap(EmvCard card, long amountMinor) {
    card.reinsert();
    PosTerminal pos = new PosTerminal(card.channel());
    assertThat(pos.start(amountMinor)).isEqualTo(0x9000);
    return pos.firstAc(PosTerminal.P1_TC);
  }

  /** A tap approved online with a valid ARPC; returns the ARQC. */
  PosTerminal.Ac onlineApproval(EmvCard card, long amountMinor) {
    card.reinsert();
    PosTerminal pos = new PosTerminal(card.channel());
    assertThat(pos.start(amountMinor)).isEqualTo(0x9000);
    PosTerminal.Ac arqc = pos.firstAc(PosTerminal.P1_ARQC);
    byte[] arpc = issuer.arpc(card, arqc.atc(), arqc.cryptogram(), PosTerminal.ARC_APPROVED);
    assertThat(pos.generateAc(PosTerminal.P1_TC, pos.cdol2Data(PosTerminal.ARC_APPROVED, arpc, PosTerminal.ARC_APPROVED))
        .cid()).isEqualTo(0x40);
    return arqc;
  }

  static byte[] flip(byte[] value, int bit) {
    byte[] out = Arrays.copyOf(value, value.length);
    out[(bit / 8) % out.length] ^= (byte) (1 << (bit % 8));
    return out;
  }
}
