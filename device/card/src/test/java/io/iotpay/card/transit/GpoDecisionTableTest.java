package io.iotpay.card.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The four rows of the seed's GPO decision table (paper section 2.2.1, figure 4), each driven as a
 * terminal would and checked by its effect: who may spend the quota, and who may not.
 */
class GpoDecisionTableTest {

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void row1_pdolWithoutDf60_goesOnlineWhateverTheQuota(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite, TransitApplet.class,
        CardFixture.PDOL_WITHOUT_DF60);
    TestTerminal pos = new TestTerminal(card);
    pos.select();
    pos.readCappData();
    ResponseAPDU gpo = pos.gpo("000000000300", -1);
    assertThat(gpo.getSW()).isEqualTo(0x9000);
    assertThat(CardFixture.find(gpo.getData(), 0x9F79)).as("quota not offered").isNull();
    assertOnlineOnly(card, pos);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void row2_df60Zero_goesOnlineEvenAfterReadCappData(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal pos = new TestTerminal(card);
    pos.select();
    pos.readCappData();
    assertThat(pos.gpo("000000000300", 0).getSW()).isEqualTo(0x9000);
    assertOnlineOnly(card, pos);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void row3_df60OneWithoutReadCappData_declinesAfterGpo(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal pos = new TestTerminal(card);
    pos.select();
    ResponseAPDU gpo = pos.gpo("000000000300", 1);
    assertThat(gpo.getSW()).isEqualTo(0x9000);
    assertThat(CardFixture.find(gpo.getData(), 0x9F79)).isNull();
    assertThat(pos.updateCappCache(TestTerminal.cappRecord(TestTerminal.EXIT, 1)).getSW())
        .isEqualTo(0x6986);
    ResponseAPDU ac = pos.generateAc(TestTerminal.P1_TC, "000000000300");
    assertThat(CardFixture.find(ac.getData(), 0x9F27)).containsExactly(0x00);
    assertThat(CardFixture.find(ac.getData(), 0x9F10))
        .isEqualTo(TestTerminal.iad(card, TransitApplet.CVR_NO_READ_CAPP));
    assertThat(pos.amount(0x9F79)).isEqualTo("000000005000");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void row3_readCappDataAfterGpo_doesNotArmTheOfflinePath(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal pos = new TestTerminal(card);
    pos.select();
    pos.gpo("000000000300", 1);
    pos.readCappData();
    ResponseAPDU ac = pos.generateAc(TestTerminal.P1_TC, "000000000300");
    assertThat(CardFixture.find(ac.getData(), 0x9F27)).containsExactly(0x00);
    assertThat(pos.amount(0x9F79)).isEqualTo("000000005000");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void row4_df60OneAfterReadCappData_runsTheOfflineQuotaPurchase(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    gate.readCappData();
    ResponseAPDU gpo = gate.gpo("000000000300", 1);
    assertThat(CardFixture.find(gpo.getData(), 0x9F79)).isNotNull();
    assertThat(gate.updateCappCache(TestTerminal.cappRecord(TestTerminal.EXIT, 1)).getSW())
        .isEqualTo(0x9000);
    ResponseAPDU ac = gate.generateAc(TestTerminal.P1_TC, "000000000300");
    assertThat(CardFixture.find(ac.getData(), 0x9F27)).containsExactly(0x40);
    assertThat(gate.amount(0x9F79)).isEqualTo("000000004700");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void readCappData_fromAPreviousSession_doesNotCarryOverASelect(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal pos = new TestTerminal(card);
    pos.select();
    pos.readCappData();
    pos.select();
    pos.gpo("000000000300", 1);
    ResponseAPDU ac = pos.generateAc(TestTerminal.P1_TC, "000000000300");
    assertThat(CardFixture.find(ac.getData(), 0x9F27)).containsExactly(0x00);
  }

  /** A normal POS asking for an offline TC gets an ARQC; the quota is untouched. */
  private static void assertOnlineOnly(CardFixture card, TestTerminal pos) {
    assertThat(pos.updateCappCache(TestTerminal.cappRecord(TestTerminal.EXIT, 1)).getSW())
        .isEqualTo(0x6986);
    ResponseAPDU ac = pos.generateAc(TestTerminal.P1_TC, "000000000300");
    assertThat(ac.getSW()).isEqualTo(0x9000);
    assertThat(CardFixture.find(ac.getData(), 0x9F27)).containsExactly(0x80);
    assertThat(CardFixture.find(ac.getData(), 0x9F26)).isEqualTo(TestTerminal.expectedCryptogram(
        card, TestTerminal.cdol1("000000000300"), 1, 0x80,
        TestTerminal.iad(card, TransitApplet.CVR_ONLINE_ONLY), new byte[0]));
    assertThat(pos.amount(0x9F79)).isEqualTo("000000005000");
    card.select();
    assertThat(card.send("00B201F400").getSW()).as("no log record").isEqualTo(0x6A83);
  }
}
