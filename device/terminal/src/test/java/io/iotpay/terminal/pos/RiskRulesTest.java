package io.iotpay.terminal.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.terminal.pos.CardSw.Action;
import io.iotpay.terminal.pos.CardSw.Command;
import io.iotpay.terminal.pos.PosConfig.RandomSelection;
import io.iotpay.terminal.pos.RiskRules.Method;
import io.iotpay.terminal.pos.RiskRules.Request;
import io.iotpay.terminal.pos.Tvr.Bit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pure decision rules: random selection (EMV Book 3 §10.6.2), CVM conditions, action analysis, SW table. */
class RiskRulesTest {
  private static final PosConfig CONFIG = PosConfig.defaults("T1", "M1", Till.TOKEN_KEY);

  /** Fraction of 200,000 draws (1..99, seeded) that select a transaction of {@code amount}. */
  private static double selectedFraction(long amount, RandomSelection rule) {
    SplittableRandom random = new SplittableRandom(42);
    int selected = 0;
    for (int i = 0; i < 200_000; i++) {
      selected += RiskRules.selectedRandomly(amount, 10_000, rule, random.nextInt(1, 100)) ? 1 : 0;
    }
    return selected / 200_000.0;
  }

  @Test
  void randomSelection_belowThreshold_hitsTheTargetPercentage() {
    // With draws 1..99, "draw <= 25" selects 25 of 99 values.
    assertThat(selectedFraction(1_000, new RandomSelection(5_000, 25, 75))).isCloseTo(25 / 99.0,
        org.assertj.core.data.Offset.offset(0.005));
  }

  @Test
  void randomSelection_betweenThresholdAndFloor_risesLinearlyToTheMaximum() {
    RandomSelection rule = new RandomSelection(5_000, 25, 75);
    // Halfway from the threshold (50.00) to the floor limit (100.00): 25 + (75 - 25) / 2 = 50 %.
    assertThat(selectedFraction(7_500, rule)).isCloseTo(50 / 99.0, org.assertj.core.data.Offset.offset(0.005));
    assertThat(selectedFraction(9_999, rule)).isCloseTo(74 / 99.0, org.assertj.core.data.Offset.offset(0.005));
    assertThat(selectedFraction(10_000, rule)).as("at the floor limit the floor check applies").isZero();
    assertThat(selectedFraction(1_000, RandomSelection.OFF)).isZero();
  }

  @Test
  void cvmConditions_amountsInTheApplicationCurrencyOnly() {
    assertThat(RiskRules.conditionHolds(0x06, Method.SIGNATURE, CONFIG, 999, 1_000, 0, true)).isTrue();
    assertThat(RiskRules.conditionHolds(0x06, Method.SIGNATURE, CONFIG, 999, 1_000, 0, false)).isFalse();
    assertThat(RiskRules.conditionHolds(0x07, Method.SIGNATURE, CONFIG, 1_001, 1_000, 0, true)).isTrue();
    assertThat(RiskRules.conditionHolds(0x09, Method.SIGNATURE, CONFIG, 1_000, 0, 1_000, true)).isFalse();
    assertThat(RiskRules.conditionHolds(0x03, Method.ENCIPHERED_PIN_BY_ICC, CONFIG, 1, 0, 0, true))
        .as("offline PIN is never supported contactless").isFalse();
    assertThat(RiskRules.conditionHolds(0x03, Method.SIGNATURE, CONFIG.withCvms(false, true), 1, 0, 0, true)).isFalse();
    assertThat(RiskRules.conditionHolds(0x01, Method.NO_CVM_REQUIRED, CONFIG, 1, 0, 0, true)).isFalse();
    assertThat(RiskRules.conditionHolds(0x0A, Method.NO_CVM_REQUIRED, CONFIG, 1, 0, 0, true)).isFalse();
    assertThat(RiskRules.amountX(Hex.decode("000003E8000007D01F00"))).isEqualTo(1_000);
    assertThat(RiskRules.amountY(Hex.decode("000003E8000007D01F00"))).isEqualTo(2_000);
    assertThatThrownBy(() -> RiskRules.checkCvmList(Hex.decode("00000000000000001F"))).isInstanceOf(PosException.class);
  }

  @Test
  void actionAnalysis_denialBeforeOnline_defaultOnlyWhenOffline() {
    Tvr tvr = new Tvr();
    assertThat(RiskRules.firstAction(tvr, CONFIG, RiskRules.IAC_DENIAL_ABSENT, new byte[5])).isEqualTo(Request.TC);
    tvr.set(Bit.ODA_NOT_PERFORMED);
    assertThat(RiskRules.firstAction(tvr, CONFIG, RiskRules.IAC_DENIAL_ABSENT, new byte[5])).isEqualTo(Request.TC);
    assertThat(RiskRules.firstAction(tvr, CONFIG, RiskRules.IAC_DENIAL_ABSENT, RiskRules.IAC_ONLINE_ABSENT))
        .as("an absent IAC online is all ones").isEqualTo(Request.ARQC);
    tvr.set(Bit.EXCEEDS_FLOOR_LIMIT);
    assertThat(RiskRules.firstAction(tvr, CONFIG, RiskRules.IAC_DENIAL_ABSENT, new byte[5])).isEqualTo(Request.ARQC);
    assertThat(RiskRules.defaultAction(tvr, CONFIG, new byte[5])).isEqualTo(Request.AAC);
    tvr.set(Bit.EXPIRED_APPLICATION);
    assertThat(RiskRules.firstAction(tvr, CONFIG, RiskRules.IAC_DENIAL_ABSENT, new byte[5])).isEqualTo(Request.AAC);
    assertThat(tvr.toString()).isEqualTo("8040008000");
  }

  @Test
  void cardMayOnlyAnswerLowerThanAsked() {
    assertThat(Request.TC.allows(0x80)).isTrue();
    assertThat(Request.ARQC.allows(0x40)).isFalse();
    assertThat(Request.AAC.allows(0x80)).isFalse();
    assertThat(Request.AAC.allows(0x00)).isTrue();
  }

  @Test
  void statusWordTable() {
    assertThat(CardSw.action(Command.SELECT_AID, 0x6283)).isEqualTo(Action.NEXT_APPLICATION);
    assertThat(CardSw.action(Command.SELECT_AID, 0x6F00)).isEqualTo(Action.END_APPLICATION);
    assertThat(CardSw.action(Command.SELECT_PPSE, 0x6A82)).isEqualTo(Action.TRY_ANOTHER_INTERFACE);
    assertThat(CardSw.action(Command.GET_PROCESSING_OPTIONS, 0x6985)).isEqualTo(Action.TRY_ANOTHER_INTERFACE);
    assertThat(CardSw.action(Command.EXTERNAL_AUTHENTICATE, 0x6300)).isEqualTo(Action.ISSUER_AUTHENTICATION_FAILED);
    assertThat(CardSw.action(Command.ISSUER_SCRIPT, 0x6283)).isEqualTo(Action.CONTINUE);
    assertThat(CardSw.action(Command.ISSUER_SCRIPT, 0x6988)).isEqualTo(Action.SCRIPT_FAILED);
  }

  @Test
  void configurationBounds() {
    assertThatThrownBy(() -> CONFIG.withLimits(-1, 0, RandomSelection.OFF)).isInstanceOf(PosException.class);
    assertThatThrownBy(() -> CONFIG.withLimits(1_000, 0, new RandomSelection(2_000, 10, 20)))
        .isInstanceOf(PosException.class);
    assertThatThrownBy(() -> new RandomSelection(0, 50, 40)).isInstanceOf(PosException.class);
    assertThatThrownBy(() -> CONFIG.withTacs("00", "0000000000", "0000000000")).isInstanceOf(PosException.class);
    assertThatThrownBy(() -> PosConfig.defaults("t-1", "M1", Till.TOKEN_KEY)).isInstanceOf(PosException.class);
    assertThat(CONFIG.toString()).doesNotContain("panTokenKey");
  }
}
