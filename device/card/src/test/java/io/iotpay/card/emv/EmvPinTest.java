package io.iotpay.card.emv;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Offline plaintext PIN and the PIN try counter 9F17 (docs/emv-card-apdus.md §5). */
class EmvPinTest {

  private static final byte[] WRONG_PIN = Hex.decode("240000FFFFFFFFFF");
  private final EmvIssuer issuer = new EmvIssuer(15);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void wrongPins_countDownToBlocked_andPinUnblockScriptResetsTheCounter(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    PosTerminal pos = new PosTerminal(card.channel());
    card.selectApplication();
    assertThat(pos.verifyPin(WRONG_PIN)).isEqualTo(0x63C2);
    assertThat(pos.verifyPin(WRONG_PIN)).isEqualTo(0x63C1);
    assertThat(pos.verifyPin(WRONG_PIN)).isEqualTo(0x63C0);
    assertThat(pos.verifyPin(EmvCard.PIN_BLOCK)).as("blocked: even the right PIN").isEqualTo(0x6983);
    assertThat(card.pinTryCounter()).isZero();

    // The exceeded try limit sends the card online; the issuer unblocks the PIN by script.
    card.reinsert();
    pos = new PosTerminal(card.channel());
    pos.start(100);
    PosTerminal.Ac arqc = pos.firstAc(PosTerminal.P1_TC);
    assertThat(arqc.cid()).isEqualTo(0x80);
    assertThat(arqc.cvrByte(2) & EmvApplet.CVR2_PIN_TRY_LIMIT_EXCEEDED).isNotZero();
    byte[] unblock = issuer.script(card, "84240000", arqc.atc(), arqc.cryptogram(), new byte[0]);
    assertThat(pos.script(EmvTransactionTest.flip(unblock, 70))).isEqualTo(0x6988);
    assertThat(card.pinTryCounter()).isZero();
    card.selectApplication();
    assertThat(card.channel().transmit(CommandApdu.parse(unblock)).sw()).isEqualTo(0x9000);
    assertThat(card.pinTryCounter()).isEqualTo(EmvCard.PIN_TRY_LIMIT);
    card.selectApplication();
    assertThat(pos.verifyPin(EmvCard.PIN_BLOCK)).isEqualTo(0x9000);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void pinChangeScript_setsTheNewPin_andRefusesAMalformedOrAlteredOne(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    card.reinsert();
    PosTerminal pos = new PosTerminal(card.channel());
    pos.start(100);
    assertThat(pos.verifyPin(WRONG_PIN)).isEqualTo(0x63C2);
    PosTerminal.Ac arqc = pos.firstAc(PosTerminal.P1_ARQC);
    int atc = arqc.atc();
    byte[] data = issuer.pinChangeData(card, atc, "97531");
    byte[] change = issuer.script(card, "84240002", atc, arqc.cryptogram(), data);
    assertThat(pos.script(EmvTransactionTest.flip(change, 8 * 10 + 3))).as("altered data").isEqualTo(0x6988);
    // Enciphered under SK_AC instead of SK_SMC: the MAC is right, the deciphered block is not a PIN.
    byte[] wrongKey = io.iotpay.foundation.crypto.EmvCryptograms.pinChangeData(suite, issuer.acSessionKey(card, atc),
        io.iotpay.foundation.crypto.EmvCryptograms.pinBlockFormat2("97531".toCharArray()));
    assertThat(pos.script(issuer.script(card, "84240002", atc, arqc.cryptogram(), wrongKey))).isEqualTo(0x6A80);
    assertThat(card.pinTryCounter()).as("nothing applied").isEqualTo(EmvCard.PIN_TRY_LIMIT - 1);
    card.selectApplication();
    assertThat(card.channel().transmit(CommandApdu.parse(change)).sw()).isEqualTo(0x9000);
    assertThat(card.pinTryCounter()).isEqualTo(EmvCard.PIN_TRY_LIMIT);
    card.selectApplication();
    assertThat(pos.verifyPin(EmvCard.PIN_BLOCK)).as("the old PIN").isEqualTo(0x63C2);
    assertThat(pos.verifyPin(Hex.decode("2597531FFFFFFFFF"))).as("the new PIN").isEqualTo(0x9000);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void rightPin_restoresTheCounter_andTheCvrSaysPinWasChecked(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    card.reinsert();
    PosTerminal pos = new PosTerminal(card.channel());
    pos.start(100);
    assertThat(pos.verifyPin(WRONG_PIN)).isEqualTo(0x63C2);
    assertThat(pos.verifyPin(EmvCard.PIN_BLOCK)).isEqualTo(0x9000);
    PosTerminal.Ac ac = pos.firstAc(PosTerminal.P1_ARQC);
    assertThat(ac.cvrByte(1) & EmvApplet.CVR1_OFFLINE_PIN_PERFORMED).isNotZero();
    assertThat(ac.cvrByte(1) & EmvApplet.CVR1_OFFLINE_PIN_FAILED).isZero();
    assertThat(card.pinTryCounter()).isEqualTo(EmvCard.PIN_TRY_LIMIT);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyWhoseResponseIsLost_hasStillSpentTheTry(AlgorithmSuite suite) {
    EmvCard card = EmvCard.personalised(suite, issuer);
    card.selectApplication();
    FaultyCardChannel faulty = new FaultyCardChannel(card.channel(), 1, FaultyCardChannel.Fault.LOSE_RESPONSE);
    try {
      new PosTerminal(faulty).verifyPin(WRONG_PIN);
      throw new AssertionError("the response should have been lost");
    } catch (CardGoneException expected) {
      // Pulling the card after the wrong guess must not give the guess back.
    }
    assertThat(card.pinTryCounter()).isEqualTo(EmvCard.PIN_TRY_LIMIT - 1);
  }
}
