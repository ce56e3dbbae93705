package io.iotpay.card.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.Arrays;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each status word of the seed's table (and the ISO words the applet adds) raised by the command
 * and situation docs/card-apdus.md names for it, on both suites.
 */
class StatusWordTest {

  private static String sw(ResponseAPDU response) {
    return String.format("%04X", response.getSW());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6200_storeDataResentWithTheSameValue(AlgorithmSuite suite) {
    CardFixture card = CardFixture.installed(suite);
    byte[] record = CardFixture.dgi(0x0101, Hex.decode("5A0862123456789012345F340101"));
    assertThat(sw(card.openSecureChannel().storeData(0, 1, record))).isEqualTo("9000");
    // The response was lost; the issuer opens a new session and sends the block again.
    assertThat(sw(card.openSecureChannel().storeData(0, 1, record))).isEqualTo("6200");
    HostSession session = card.openSecureChannel();
    byte[] keys = CardFixture.dgi(0x8000,
        session.encryptWithDek(HostCrypto.concat(card.acKey, card.macSubKey)));
    assertThat(sw(session.storeData(0, 0, keys))).isEqualTo("9000");
    session = card.openSecureChannel();
    keys = CardFixture.dgi(0x8000,
        session.encryptWithDek(HostCrypto.concat(card.acKey, card.macSubKey)));
    assertThat(sw(session.storeData(0, 0, keys))).isEqualTo("6200");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6281_logRecordOrProofFailingItsCheckByte_isReturnedWithTheWarning(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite, FaultyTransitApplet.class,
        CardFixture.PDOL_WITH_DF60);
    FaultyTransitApplet applet = FaultyTransitApplet.last;
    TestTerminal gate = new TestTerminal(card);
    byte[] tac = CardFixture.find(gate.tap(TestTerminal.ENTRY, "000000000800", 1).getData(),
        0x9F26);
    card.select();
    assertThat(sw(card.send("00B201F400"))).isEqualTo("9000");
    applet.flipLogByte(3);
    ResponseAPDU damaged = card.send("00B201F400");
    assertThat(sw(damaged)).isEqualTo("6281");
    assertThat(damaged.getData()).hasSize(TransitApplet.LOG_LENGTH);
    assertThat(Arrays.copyOfRange(damaged.getData(), 28, 36)).isEqualTo(tac);

    applet.flipProofByte(20);
    assertThat(sw(gate.getTransProve(1))).isEqualTo("6281");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6400_gpoWithTheAtcExhausted(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite, FaultyTransitApplet.class,
        CardFixture.PDOL_WITH_DF60);
    FaultyTransitApplet.last.exhaustAtc();
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    gate.readCappData();
    assertThat(sw(gate.gpo("000000000100", 1))).isEqualTo("6400");
    assertThat(gate.atc()).isEqualTo(0xFFFF);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6581_storedQuotaNoLongerValidBcd(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite, FaultyTransitApplet.class,
        CardFixture.PDOL_WITH_DF60);
    FaultyTransitApplet.last.corruptQuota();
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    gate.readCappData();
    assertThat(sw(gate.gpo("000000000100", 1))).isEqualTo("6581");
    assertThat(sw(card.send("80CA9F7900"))).isEqualTo("6581");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6700_wrongLengths(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    assertThat(sw(card.send("80B401BC03545200"))).isEqualTo("6700");
    byte[] shortPdol = Hex.decode("830F" + "000000000100015626112200000000");
    assertThat(sw(card.send(new CommandAPDU(0x80, 0xA8, 0, 0, shortPdol, 256))))
        .isEqualTo("6700");
    gate.readCappData();
    gate.gpo("000000000100", 1);
    assertThat(sw(card.send(new CommandAPDU(0x80, 0xAE, 0x40, 0,
        Arrays.copyOf(TestTerminal.cdol1("000000000100"), 28), 256)))).isEqualTo("6700");
    // The CDOL1 of before the acceptor was bound (29 bytes, no terminal and operator id) is refused.
    assertThat(sw(card.send(new CommandAPDU(0x80, 0xAE, 0x40, 0,
        Arrays.copyOf(TestTerminal.cdol1("000000000100"), 29), 256)))).isEqualTo("6700");
    // INTERNAL AUTHENTICATE: a card personalised without ODA has no key to answer with.
    assertThat(sw(card.send(new CommandAPDU(0x00, 0x88, 0, 0, new byte[12], 256)))).isEqualTo("6985");
    assertThat(sw(card.send("805A00000300010200"))).isEqualTo("6700");
    assertThat(sw(card.send("80500000070102030405060700"))).isEqualTo("6700");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6882_secureMessagingClassOnAPlainCommand(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    card.select();
    assertThat(sw(card.send("0CB201F400"))).isEqualTo("6882");
    assertThat(sw(card.send("84A800000383010000"))).isEqualTo("6882");
    assertThat(sw(card.send("0CDA000000"))).isEqualTo("6882");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6982_storeDataWithoutSecureChannel(AlgorithmSuite suite) {
    CardFixture card = CardFixture.installed(suite);
    card.select();
    assertThat(sw(card.send("84E200000E" + "010103010203" + "00".repeat(8)))).isEqualTo(
        "6982");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6986_commandsOutOfOrderOrState(AlgorithmSuite suite) {
    CardFixture installed = CardFixture.installed(suite);
    TestTerminal fresh = new TestTerminal(installed);
    fresh.select();
    assertThat(sw(fresh.gpo("000000000100", 1))).as("GPO before personalisation").isEqualTo("6986");
    assertThat(sw(fresh.readCappData())).isEqualTo("6986");

    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    assertThat(sw(gate.generateAc(TestTerminal.P1_TC, "000000000100")))
        .as("GENERATE AC before GPO").isEqualTo("6986");
    assertThat(sw(gate.updateCappCache(TestTerminal.cappRecord(1, 1)))).isEqualTo("6986");
    gate.readCappData();
    gate.gpo("000000000100", 1);
    assertThat(sw(gate.gpo("000000000100", 1))).as("second GPO").isEqualTo("6986");
    gate.updateCappCache(TestTerminal.cappRecord(1, 1));
    gate.generateAc(TestTerminal.P1_TC, "000000000100");
    assertThat(sw(gate.generateAc(TestTerminal.P1_TC, "000000000100")))
        .as("second GENERATE AC").isEqualTo("6986");
    HostSession session = card.openSecureChannel();
    assertThat(sw(session.storeData(0x80, 0, CardFixture.dgi(0x0101, Hex.decode("5A0100")))))
        .as("STORE DATA after personalisation").isEqualTo("6986");
    assertThat(sw(card.send("8482010010" + "00".repeat(16)))).as("EXTERNAL AUTH without INIT")
        .isEqualTo("6986");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6987_macMissing(AlgorithmSuite suite) {
    CardFixture card = CardFixture.installed(suite);
    card.openSecureChannel();
    assertThat(sw(card.send("80E2000003010100"))).isEqualTo("6987");
    assertThat(sw(card.send("8482010008" + "00".repeat(8)))).isEqualTo("6986");
    CardFixture personalised = CardFixture.personalised(suite);
    personalised.openSecureChannel();
    assertThat(sw(personalised.send("00DA000004000100AA"))).isEqualTo("6987");
    card.openSecureChannel();
    assertThat(sw(card.send(new CommandAPDU(0x84, 0xE2, 0, 0, new byte[5])))).as("Lc below 8")
        .isEqualTo("6987");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6988_wrongCMac_closesTheSession(AlgorithmSuite suite) {
    CardFixture card = CardFixture.installed(suite);
    HostSession session = card.openSecureChannel();
    CommandAPDU good = session.wrap(0x84, 0xE2, 0, 1,
        CardFixture.dgi(0x0101, Hex.decode("5A0862123456789012345F340101")));
    byte[] bytes = good.getBytes();
    bytes[bytes.length - 1] ^= 0x01;
    assertThat(sw(card.send(new CommandAPDU(bytes)))).isEqualTo("6988");
    assertThat(sw(card.send(good))).as("session closed").isEqualTo("6982");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6300_wrongHostCryptogram(AlgorithmSuite suite) {
    CardFixture card = CardFixture.installed(suite);
    card.select();
    assertThat(sw(card.send("80500000081122334455667788" + "00"))).isEqualTo("9000");
    assertThat(sw(card.send("8482010010" + "00".repeat(16)))).isEqualTo("6300");
    assertThat(sw(card.send("80500000081122334455667788" + "00"))).isEqualTo("9000");
    assertThat(sw(card.send("8482030010" + "00".repeat(16)))).isEqualTo("6A86");
    assertThat(sw(card.send("80501F00081122334455667788" + "00"))).isEqualTo("6A88");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6985_personalisationClosedWithDataMissing(AlgorithmSuite suite) {
    CardFixture card = CardFixture.installed(suite);
    HostSession session = card.openSecureChannel();
    assertThat(sw(session.storeData(0x80, 0, CardFixture.dgi(0x9200,
        CardFixture.applicationData(CardFixture.PDOL_WITH_DF60, CardFixture.QUOTA_5000,
            CardFixture.LIMIT_0800))))).isEqualTo("6985");
    card.select();
    assertThat(sw(card.send("80CA9F7900"))).isEqualTo("6986");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6A80_wrongData(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    gate.readCappData();
    assertThat(sw(gate.gpo("000000000100", 2))).as("DF60 = 2").isEqualTo("6A80");
    assertThat(sw(gate.gpo("0000000001A0", 1))).as("amount not BCD").isEqualTo("6A80");
    assertThat(sw(card.send("80A800000300010200"))).as("not tag 83").isEqualTo("6A80");
    gate.gpo("000000000100", 1);
    assertThat(sw(gate.updateCappCache(TestTerminal.cappRecord(7, 1)))).isEqualTo("6A80");
    CardFixture installed = CardFixture.installed(suite);
    HostSession session = installed.openSecureChannel();
    assertThat(sw(session.storeData(0, 0, CardFixture.dgi(0x0101, Hex.decode("5F340101")))))
        .as("no PAN").isEqualTo("6A80");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6A81_functionNotSupported(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    assertThat(sw(card.send("80B401BC02999900"))).as("unknown CAPP id").isEqualTo("6A81");
    gate.readCappData();
    gate.gpo("000000000100", 1);
    assertThat(sw(gate.generateAc(0x50, "000000000100"))).as("CDA").isEqualTo("6A81");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6A84_dataLongerThanItsSpace(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    gate.readCappData();
    gate.gpo("000000000100", 1);
    assertThat(sw(gate.updateCappCache(new byte[33]))).isEqualTo("6A84");
    CardFixture installed = CardFixture.installed(suite);
    HostSession session = installed.openSecureChannel();
    byte[] longRecord = HostCrypto.concat(Hex.decode("5A0862123456789012345F2040"),
        new byte[64]);
    assertThat(sw(session.storeData(0, 0, CardFixture.dgi(0x0101, longRecord))))
        .isEqualTo("6A84");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sw6A85_lcInconsistentWithTlv(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    card.select();
    assertThat(sw(card.send("80A800000483030102"))).isEqualTo("6A85");
    CardFixture installed = CardFixture.installed(suite);
    HostSession session = installed.openSecureChannel();
    assertThat(sw(session.storeData(0, 0, Hex.decode("01010A5A08")))).isEqualTo("6A85");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void isoWords_unknownInsClaFileAndP1P2(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    card.select();
    assertThat(sw(card.send("80F2000000"))).isEqualTo("6D00");
    assertThat(sw(card.send("A0B201F400"))).isEqualTo("6E00");
    assertThat(sw(card.send("00A8000000"))).isEqualTo("6E00");
    assertThat(sw(card.send("00B2010400"))).as("SFI 0: no current EF").isEqualTo("6A82");
    assertThat(sw(card.send("00B201F000"))).isEqualTo("6A86");
    assertThat(sw(card.send("00B2011400"))).isEqualTo("6A82");
    assertThat(sw(card.send("00A4040005A00000000100"))).isEqualTo("6A82");
    assertThat(sw(card.send("805A010002000100"))).isEqualTo("6A86");
    assertThat(sw(card.send("80CADF6100"))).isEqualTo("6A88");
  }
}
