package io.iotpay.card.emv;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Malformed and out-of-order commands answer the status word of docs/emv-card-apdus.md §11 and
 * change nothing: the applet's whole state (persistent and session) is read back before and after.
 */
class EmvStatusWordTest {

  private final EmvIssuer issuer = new EmvIssuer(15);

  private record Case(String name, String apdu, int sw) {}

  /** CDOL1 data with amount 1.00. */
  private static final String CDOL1 = "000000000100" + "000000000000" + "0156" + "0000000000" + "0156" + "261207" + "00"
      + "1A2B3C4D";
  private static final String PDOL_DATA = "36004000" + "000000000100" + "0156" + "0156" + "261207" + "00" + "1A2B3C4D";

  /** In a session after SELECT and GPO (the first GENERATE AC is next). */
  private static final List<Case> AFTER_GPO = List.of(
      new Case("GPO twice", "80A8000018 8316" + PDOL_DATA + "00", 0x6985),
      new Case("GENERATE AC, CDOL1 data one byte short", "80AE80001C" + CDOL1.substring(2) + "00", 0x6700),
      new Case("GENERATE AC, truncated to 20 bytes", "80AE800014" + CDOL1.substring(0, 40) + "00", 0x6700),
      new Case("GENERATE AC, one byte too many", "80AE80001E" + CDOL1 + "FF00", 0x6700),
      new Case("GENERATE AC, P1 RFU (C0)", "80AEC0001D" + CDOL1 + "00", 0x6A86),
      new Case("GENERATE AC, P1 low bits", "80AE81001D" + CDOL1 + "00", 0x6A86),
      new Case("GENERATE AC, P2 not 00", "80AE80011D" + CDOL1 + "00", 0x6A86),
      new Case("GENERATE AC, CDA requested", "80AE90001D" + CDOL1 + "00", 0x6A81),
      new Case("GENERATE AC, amount not BCD", "80AE80001D" + "00000000010A" + CDOL1.substring(12) + "00", 0x6A80),
      new Case("GENERATE AC, class 00", "00AE80001D" + CDOL1 + "00", 0x6E00),
      new Case("EXTERNAL AUTHENTICATE (not supported: the ARPC travels in CDOL2)",
          "008200000A" + "0102030405060708" + "3030", 0x6D00),
      new Case("READ RECORD 2 (merged into record 1)", "00B2020C00", 0x6A83),
      new Case("READ RECORD 3", "00B2030C00", 0x6A83),
      new Case("READ RECORD of SFI 2", "00B2011400", 0x6A82),
      new Case("READ RECORD, P2 without 100", "00B2010800", 0x6A86),
      new Case("READ RECORD 0", "00B2000C00", 0x6A86),
      new Case("GET DATA of an unknown tag", "80CA9F7900", 0x6A88),
      new Case("VERIFY, P2 00", "0020000008241234FFFFFFFFFF", 0x6A86),
      new Case("VERIFY, 7 bytes", "002000800724 1234FFFFFFFF", 0x6700),
      new Case("STORE DATA after personalisation", "80E2800003920000", 0x6985),
      new Case("APPLICATION BLOCK without its MAC", "841E000000", 0x6700),
      new Case("APPLICATION BLOCK, plain class", "001E0000080102030405060708", 0x6E00),
      new Case("unknown instruction", "80F0000000", 0x6D00));

  /** In a session right after SELECT. */
  private static final List<Case> AFTER_SELECT = List.of(
      new Case("GPO, PDOL data one byte short", "80A8000017 8315" + PDOL_DATA.substring(2) + "00", 0x6700),
      new Case("GPO, no 83 template", "80A8000018 7016" + PDOL_DATA + "00", 0x6A80),
      new Case("GPO, 83 length not Lc - 2", "80A8000018 8317" + PDOL_DATA + "00", 0x6A85),
      new Case("GPO, empty", "80A8000000", 0x6A80),
      new Case("GPO, P1 01", "80A8010018 8316" + PDOL_DATA + "00", 0x6A86),
      new Case("GPO, amount not BCD", "80A8000018 8316" + "36004000" + "0000000001F0" + PDOL_DATA.substring(20) + "00",
          0x6A80),
      new Case("GENERATE AC before GPO", "80AE80001D" + CDOL1 + "00", 0x6985),
      new Case("second GENERATE AC data before GPO", "80AE4000293030" + "00000000000000000000" + CDOL1 + "00", 0x6985));

  private static void runAll(EmvCard card, List<Case> cases, Runnable setUp) {
    for (Case c : cases) {
      card.reinsert();
      setUp.run();
      String before = InspectableEmvApplet.last.state();
      int sw = card.channel().transmit(CommandApdu.parseHex(c.apdu().replace(" ", ""))).sw();
      assertThat(String.format("%04X", sw)).as(c.name()).isEqualTo(String.format("%04X", c.sw()));
      assertThat(InspectableEmvApplet.last.state()).as("%s changes nothing", c.name()).isEqualTo(before);
    }
  }

  private EmvCard card(AlgorithmSuite suite) {
    return EmvCard.personalised(suite, issuer, EmvCard.Limits.STANDARD, InspectableEmvApplet.class);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void malformedCommands_answerTheirStatusWord_andChangeNothing(AlgorithmSuite suite) {
    EmvCard card = card(suite);
    runAll(card, AFTER_GPO, () -> {
      card.selectApplication();
      assertThat(card.send("80A8000018 8316" + PDOL_DATA + "00").sw()).isEqualTo(0x9000);
    });
    runAll(card, AFTER_SELECT, card::selectApplication);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void secondAc_withCdol1Length_orWithoutIssuerAuthenticationData_isRefused(AlgorithmSuite suite) {
    EmvCard card = card(suite);
    List<Case> afterArqc = List.of(
        new Case("second GENERATE AC with CDOL1's length", "80AE40001D" + CDOL1 + "00", 0x6700),
        new Case("second GENERATE AC with the old CDOL2 (no 91)", "80AE40001F3030" + CDOL1 + "00", 0x6700),
        new Case("second GENERATE AC one byte short", "80AE4000283030" + "00000000000000000000" + CDOL1.substring(2) + "00", 0x6700),
        new Case("EXTERNAL AUTHENTICATE", "008200000A" + "0102030405060708" + "3030", 0x6D00),
        new Case("first GENERATE AC again", "80AE80001D" + CDOL1 + "00", 0x6700));
    runAll(card, afterArqc, () -> {
      card.selectApplication();
      card.send("80A8000018 8316" + PDOL_DATA + "00");
      assertThat(card.send("80AE80001D" + CDOL1 + "00").sw()).isEqualTo(0x9000);
    });
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void exhaustedAtc_refusesGpo6985(AlgorithmSuite suite) {
    EmvCard card = card(suite);
    InspectableEmvApplet.last.exhaustAtc();
    runAll(card, List.of(new Case("GPO with ATC FFFF", "80A8000018 8316" + PDOL_DATA + "00", 0x6985)),
        card::selectApplication);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void damagedCumulativeAmount_refusesGenerateAc6581(AlgorithmSuite suite) {
    EmvCard card = card(suite);
    InspectableEmvApplet.last.corruptCumulativeAmount();
    runAll(card, List.of(new Case("GENERATE AC over a damaged amount", "80AE40001D" + CDOL1 + "00", 0x6581)), () -> {
      card.selectApplication();
      card.send("80A8000018 8316" + PDOL_DATA + "00");
    });
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void personalisation_refusesWhatIsIncomplete_andChangesNothing(AlgorithmSuite suite) {
    EmvCard card = EmvCard.installedWith(suite, issuer, InspectableEmvApplet.class);
    byte[] record1 = EmvCard.dgi(0x0101, EmvCard.record1(card.pan));
    List<Case> cases = List.of(
        new Case("GPO before personalisation", "80A8000018 8316" + PDOL_DATA + "00", 0x6985),
        new Case("READ RECORD before personalisation", "00B2010C00", 0x6985),
        new Case("unknown DGI", "80E2000003" + "0202" + "00", 0x6A88),
        new Case("last block with DGIs missing", "80E28000" + String.format("%02X", record1.length) + Hex.encode(record1),
            0x6985),
        new Case("record 1 without a PAN", "80E2000007" + "0101" + "04" + "57021234", 0x6A80),
        new Case("record 2 with another CDOL1", "80E2000008" + "0102" + "05" + "8C039F0206", 0x6A80),
        new Case("DGI length not Lc - 3", "80E2000005" + "0101" + "03" + "5A01", 0x6A85),
        new Case("TLV running past its end", "80E2000005" + "0101" + "02" + "5A05", 0x6A85),
        new Case("P1 01", "80E2010003" + "0101" + "00", 0x6A86));
    runAll(card, cases, card::selectApplication);
    card.personalise(EmvCard.Limits.STANDARD);
    assertThat(new PosTerminal(card.channel()).start(100)).as("personalised after all").isEqualTo(0x9000);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void personalisation_refusesRecordsThatWouldNotFitOneReadRecordAnswer(AlgorithmSuite suite) {
    EmvCard card = EmvCard.installedWith(suite, issuer, InspectableEmvApplet.class);
    // Record 2 at its 128-byte limit (a filler object), then record 1 at its own: together
    // 256 content bytes, over the 251 that one READ RECORD answer of 256 bytes with SW can carry.
    byte[] plain2 = EmvCard.record2();
    byte[] record2 = EmvCard.concat(plain2, new byte[] {(byte) 0xDF, 0x01, (byte) (128 - plain2.length - 3)},
        new byte[128 - plain2.length - 3]);
    byte[] plain1 = EmvCard.record1(card.pan);
    byte[] record1 = EmvCard.concat(plain1, new byte[] {(byte) 0xDF, 0x02, (byte) (128 - plain1.length - 3)},
        new byte[128 - plain1.length - 3]);
    assertThat(record2).hasSize(128);
    assertThat(record1).hasSize(128);
    card.selectApplication();
    assertThat(card.storeData(0x00, 0, EmvCard.dgi(0x0102, record2)).sw()).isEqualTo(0x9000);
    runAll(card, List.of(new Case("record 1 that makes the merged record 256 bytes",
        "80E20001" + String.format("%02X", record1.length + 3) + Hex.encode(EmvCard.dgi(0x0101, record1)), 0x6A84)),
        card::selectApplication);
  }
}
