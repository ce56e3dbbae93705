package io.iotpay.card.chip;

import static io.iotpay.card.chip.ChipFixture.expectSw;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.math.BigInteger;
import java.util.Arrays;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The message counter: strictly increasing, persistent, never chosen or rolled back by the host. */
class ChipCounterTest {

  private static final byte[] MESSAGE = {0x01, 0x02, 0x03};

  private static long signedCounter(ChipFixture chip) {
    return new BigInteger(1, Arrays.copyOf(chip.signMessage(MESSAGE), 4)).longValueExact();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void counter_strictlyIncreases_andSurvivesReselectAndPowerLoss(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    assertThat(chip.counter()).isZero();
    long previous = 0;
    for (int i = 0; i < 9; i++) {
      long counter = signedCounter(chip);
      assertThat(counter).as("signature %d", i).isGreaterThan(previous);
      assertThat(chip.counter()).as("GET DATA after signature %d", i).isEqualTo(counter);
      previous = counter;
      if (i % 3 == 1) {
        chip.select();
      } else if (i % 3 == 2) {
        chip.tear();
        chip.select();
      }
    }
    assertThat(previous).isEqualTo(9);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void counter_whenTheResponseIsLostToATear_isBurnedNotReused(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    assertThat(signedCounter(chip)).isEqualTo(1);
    // The chip signs counter 2, but the reader loses power before the host sees the answer.
    chip.send(0x80, 0x2A, 0, 0, MESSAGE);
    chip.tear();
    chip.select();
    assertThat(chip.counter()).isEqualTo(2);
    assertThat(signedCounter(chip)).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void counter_whenTheCommandIsLostToATear_isUnchanged(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    assertThat(signedCounter(chip)).isEqualTo(1);
    // Power goes before SIGN MESSAGE reaches the chip: nothing was signed, nothing is burned.
    chip.tear();
    chip.select();
    assertThat(chip.counter()).isEqualTo(1);
    assertThat(signedCounter(chip)).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void counter_cannotBeChosenOrRolledBack_byAnyCommand(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    signedCounter(chip);
    signedCounter(chip);
    // Try every instruction with counter-looking data and every P2 GET DATA might take as a tag.
    byte[] zero = {0, 0, 0, 0};
    for (int ins = 0; ins < 256; ins++) {
      if (ins == 0x2A || ins == 0x2E || ins == 0xA4 || ins == 0xB8 || (ins & 0xF0) == 0x60
          || (ins & 0xF0) == 0x90) {
        // 2A and 2E (SIGN ENVELOPE BEGIN) advance it by design; A4 is SELECT; 80 B8 is jCardSim's own install command;
        // 6X and 9X are status bytes, not instructions.
        continue;
      }
      for (int p = 0; p < 4; p++) {
        chip.send(0x80, ins, p, p == 0 ? 2 : p, zero);
      }
    }
    chip.select();
    assertThat(chip.counter()).isEqualTo(2);
    assertThat(signedCounter(chip)).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void signMessage_withP1OrP2Set_isRefused_soTheHostCannotPassACounter(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite);
    expectSw(chip.send(0x80, 0x2A, 0x00, 0x05, MESSAGE), 0x6A86);
    expectSw(chip.send(0x80, 0x2A, 0x05, 0x00, MESSAGE), 0x6A86);
    assertThat(chip.counter()).isZero();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void counter_atItsEnd_refusesToSign_withoutWrapping(AlgorithmSuite suite) {
    ChipFixture chip = ChipFixture.personalised(suite, InspectableChipApplet.class);
    InspectableChipApplet.last.setCounter(0xFFFFFFFE);
    assertThat(signedCounter(chip)).isEqualTo(0xFFFFFFFFL);
    ResponseAPDU exhausted = chip.send(0x80, 0x2A, 0, 0, MESSAGE);
    expectSw(exhausted, 0x6400);
    assertThat(exhausted.getData()).isEmpty();
    assertThat(chip.counter()).isEqualTo(0xFFFFFFFFL);
  }
}
