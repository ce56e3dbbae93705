package io.iotpay.card.emv;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issuer scripts under secure messaging (docs/emv-card-apdus.md §6): the issuer writes them with
 * foundation's host crypto for the ATC and ARQC of the tap that carries them online; the card
 * applies each once, refuses an altered one (6988) or a replay (6985 in the same transaction, 6988
 * in a later one), and changes nothing when it refuses.
 */
class EmvScriptTest {

  private final EmvIssuer issuer = new EmvIssuer(15);

  /** An online tap up to the second GENERATE AC, as the terminal runs it before sending scripts. */
  private record Online(PosTerminal pos, PosTerminal.Ac arqc) {}

  private Online onlineTap(EmvCard card) {
    card.reinsert();
    PosTerminal pos = new PosTerminal(card.channel());
    assertThat(pos.start(1_000)).isEqualTo(0x9000);
    PosTerminal.Ac arqc = pos.firstAc(PosTerminal.P1_ARQC);
    byte[] arpc = issuer.arpc(card, arqc.atc(), arqc.cryptogram(), PosTerminal.ARC_APPROVED);
    assertThat(pos.generateAc(PosTerminal.P1_TC, pos.cdol2Data(PosTerminal.ARC_APPROVED, arpc, PosTerminal.ARC_APPROVED))
        .cid()).isEqualTo(0x40);
    return new Online(pos, arqc);
  }

  private byte[] script(EmvCard card, Online tap, String header, byte[] data) {
    return issuer.script(card, header, tap.arqc().atc(), tap.arqc().cryptogram(), data);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void blockScript_appliedOnce_blocksGpo_andUnblockRestoresIt(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    Online tap = onlineTap(card);
    byte[] block = script(card, tap, "841E0000", new byte[0]);
    assertThat(tap.pos().script(block)).isEqualTo(0x9000);
    assertThat(tap.pos().script(block)).as("the same script again").isEqualTo(0x6985);

    card.reinsert();
    var select = card.selectApplication();
    assertThat(select.sw()).as("SELECT of a blocked application").isEqualTo(0x6283);
    assertThat(PosTerminal.find(select.data(), 0x84).orElseThrow()).isEqualTo(EmvCard.AID_BYTES);
    assertThat(card.send("80A8000018 8316" + "36004000000000001000015601562612070012345678 00").sw())
        .isEqualTo(0x6985);
    card.reinsert();
    assertThat(new PosTerminal(card.channel()).start(100)).as("the terminal stops at SELECT's 6283")
        .isEqualTo(0x6283);

    card.reinsert();
    card.selectApplication();
    byte[] unblock = script(card, tap, "84180000", new byte[0]);
    assertThat(card.channel().transmit(CommandApdu.parse(unblock)).sw()).isEqualTo(0x9000);
    assertThat(card.selectApplication().sw()).isEqualTo(0x9000);
    Online after = onlineTap(card);
    assertThat(after.arqc().atc()).isEqualTo(tap.arqc().atc() + 1);
    assertThat(after.pos().script(block)).as("an old script in a later transaction").isEqualTo(0x6988);
    card.reinsert();
    assertThat(card.selectApplication().sw()).isEqualTo(0x9000);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void alteredScript_isRefused6988_andNothingIsApplied(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    Online tap = onlineTap(card);
    byte[] putData = script(card, tap, "04DA9F14", new byte[] {9});
    for (int bit = 0; bit < putData.length * 8; bit++) {
      byte[] altered = EmvTransactionTest.flip(putData, bit);
      if (bit / 8 == 1 || bit / 8 == 4) {
        continue; // INS or Lc changed: another command or a length error, covered elsewhere
      }
      int sw = card.channel().transmit(CommandApdu.parse(altered)).sw();
      assertThat(sw).as("bit %d", bit).isIn(0x6988, 0x6E00, 0x6A88, 0x6A86, 0x6700);
    }
    assertThat(card.getData(0x9F14)).isEqualTo(new byte[] {2});
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void putData_updatesTheOfflineLimits(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    Online tap = onlineTap(card);
    PosTerminal pos = tap.pos();
    assertThat(pos.script(script(card, tap, "04DA9F5C", Hex.decode("00000000001A"))))
        .as("a MAC-valid amount that is not BCD").isEqualTo(0x6A80);
    assertThat(pos.script(script(card, tap, "04DA9F14", new byte[] {5}))).isEqualTo(0x9000);
    assertThat(pos.script(script(card, tap, "04DA9F23", new byte[] {7}))).isEqualTo(0x9000);
    assertThat(pos.script(script(card, tap, "04DA9F54", Bcd.encodeAmount(50_000)))).isEqualTo(0x9000);
    assertThat(pos.script(script(card, tap, "04DA9F5C", Bcd.encodeAmount(90_000)))).isEqualTo(0x9000);
    assertThat(card.getData(0x9F14)).isEqualTo(new byte[] {5});
    assertThat(card.getData(0x9F23)).isEqualTo(new byte[] {7});
    assertThat(card.getData(0x9F54)).isEqualTo(Bcd.encodeAmount(50_000));
    assertThat(card.getData(0x9F5C)).isEqualTo(Bcd.encodeAmount(90_000));
    // The new lower limit lets five offline taps through where two did before.
    for (int i = 0; i < 5; i++) {
      assertThat(EmvTransactionTest.offlineTap(card, 100).cid()).isEqualTo(0x40);
    }
    assertThat(EmvTransactionTest.offlineTap(card, 100).cid()).isEqualTo(0x80);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void atMostFourScriptsPerTransaction_soNoneCanBeReplayedBeforeTheAtcMoves(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    Online tap = onlineTap(card);
    byte[] pinUnblock = script(card, tap, "84240000", new byte[0]);
    assertThat(tap.pos().script(pinUnblock)).isEqualTo(0x9000);
    for (int limit = 3; limit <= 5; limit++) {
      assertThat(tap.pos().script(script(card, tap, "04DA9F14", new byte[] {(byte) limit}))).isEqualTo(0x9000);
    }
    assertThat(tap.pos().script(script(card, tap, "04DA9F23", new byte[] {9}))).as("a fifth script").isEqualTo(0x6A84);
    assertThat(tap.pos().script(pinUnblock)).as("the first, replayed after three others").isEqualTo(0x6985);
    assertThat(card.getData(0x9F14)).isEqualTo(new byte[] {5});
    assertThat(card.getData(0x9F23)).isEqualTo(new byte[] {4});
    // The next online transaction has a new ATC: four scripts again.
    Online next = onlineTap(card);
    assertThat(next.pos().script(script(card, next, "04DA9F23", new byte[] {9}))).isEqualTo(0x9000);
    assertThat(card.getData(0x9F23)).isEqualTo(new byte[] {9});
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void scriptBeforeAnyArqc_orForAnUnknownTag_isRefused(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    card.selectApplication();
    byte[] block = issuer.script(card, "841E0000", 0, new byte[8], new byte[0]);
    assertThat(card.channel().transmit(CommandApdu.parse(block)).sw()).isEqualTo(0x6985);
    Online tap = onlineTap(card);
    assertThat(tap.pos().script(script(card, tap, "04DA9F36", new byte[] {0, 1}))).isEqualTo(0x6A88);
    assertThat(tap.pos().script(script(card, tap, "841E0100", new byte[0]))).isEqualTo(0x6A86);
    assertThat(tap.pos().script(Hex.decode("841E0000" + "04" + "01020304"))).isEqualTo(0x6700);
    assertThat(tap.pos().script(Hex.decode("041E0000" + "08" + "0102030405060708"))).isEqualTo(0x6E00);
  }
}
