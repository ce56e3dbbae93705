package io.iotpay.card.transit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.Arrays;
import javax.smartcardio.ResponseAPDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Entry and exit through javax.smartcardio, with every TAC recomputed independently. */
class TransitTransactionTest {

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void select_returnsFciWithPdolHoldingDf60AndTheLogEntry(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    byte[] fci = card.select().getData();
    String hex = Hex.encode(fci).toUpperCase();
    assertThat(fci[0]).isEqualTo((byte) 0x6F);
    assertThat(hex).contains("9F380E" + Hex.encode(CardFixture.PDOL_WITH_DF60).toUpperCase());
    assertThat(hex).contains("9F4D021E0A");
    assertThat(hex).contains("8408A000000333010101");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void entryThenExit_locksMaxFareThenSettlesRealFare_withIndependentlyVerifiedTacs(
      AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);

    ResponseAPDU entry = gate.tap(TestTerminal.ENTRY, "000000000800", 0x0101);
    assertThat(entry.getSW()).isEqualTo(0x9000);
    byte[] entryData = entry.getData();
    assertThat(CardFixture.find(entryData, 0x9F27)).containsExactly(0x40);
    assertThat(Hex.encode(CardFixture.find(entryData, 0x9F79))).isEqualTo("000000004200");
    assertThat(Hex.encode(CardFixture.find(entryData, 0xDF63))).isEqualTo("000000000800");
    byte[] entryTail = HostCrypto.concat(Hex.decode("000000004200" + "000000000800"),
        TestTerminal.cappRecord(TestTerminal.ENTRY, 0x0101));
    assertThat(CardFixture.find(entryData, 0x9F26)).isEqualTo(TestTerminal.expectedCryptogram(
        card, TestTerminal.cdol1("000000000800"), 1, 0x40, TestTerminal.iad(card, 0), entryTail));

    gate.commandCount = 0;
    gate.bytesToCard = 0;
    gate.bytesFromCard = 0;
    ResponseAPDU exit = gate.tap(TestTerminal.EXIT, "000000000300", 0x0205);
    assertThat(gate.commandCount).as("tap-out command APDUs").isLessThanOrEqualTo(6);
    System.out.printf("%s tap-out: %d command APDUs, %d bytes to card, %d bytes from card%n",
        suite, gate.commandCount, gate.bytesToCard, gate.bytesFromCard);
    assertThat(exit.getSW()).isEqualTo(0x9000);
    byte[] exitData = exit.getData();
    assertThat(Hex.encode(CardFixture.find(exitData, 0x9F79))).isEqualTo("000000004700");
    assertThat(Hex.encode(CardFixture.find(exitData, 0xDF63))).isEqualTo("000000000000");
    byte[] exitTail = HostCrypto.concat(Hex.decode("000000004700" + "000000000000"),
        TestTerminal.cappRecord(TestTerminal.EXIT, 0x0205));
    assertThat(CardFixture.find(exitData, 0x9F26)).isEqualTo(TestTerminal.expectedCryptogram(
        card, TestTerminal.cdol1("000000000300"), 2, 0x40, TestTerminal.iad(card, 0), exitTail));

    assertThat(gate.amount(0x9F79)).isEqualTo("000000004700");
    assertThat(gate.amount(0xDF63)).isEqualTo("000000000000");
    assertThat(gate.atc()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void exit_whenFareAboveLock_deductsTheDifferenceFromTheQuota(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    assertThat(gate.tap(TestTerminal.ENTRY, "000000000200", 1).getSW()).isEqualTo(0x9000);
    ResponseAPDU exit = gate.tap(TestTerminal.EXIT, "000000000550", 2);
    assertThat(Hex.encode(CardFixture.find(exit.getData(), 0x9F79))).isEqualTo("000000004450");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void entry_refusals_returnAacWithTheReasonAndChangeNothing(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    ResponseAPDU overLimit = gate.tap(TestTerminal.ENTRY, "000000000900", 1);
    assertAac(card, overLimit, TransitApplet.CVR_LOCK_OVER_LIMIT, "000000000900", 1);
    assertThat(gate.amount(0x9F79)).isEqualTo("000000005000");

    assertThat(gate.tap(TestTerminal.ENTRY, "000000000800", 1).getSW()).isEqualTo(0x9000);
    ResponseAPDU open = gate.tap(TestTerminal.ENTRY, "000000000100", 1);
    assertAac(card, open, TransitApplet.CVR_JOURNEY_OPEN, "000000000100", 3);

    ResponseAPDU tooMuch = gate.tap(TestTerminal.EXIT, "000000005100", 1);
    assertAac(card, tooMuch, TransitApplet.CVR_QUOTA_INSUFFICIENT, "000000005100", 4);
    assertThat(gate.amount(0x9F79)).isEqualTo("000000004200");
    assertThat(gate.amount(0xDF63)).isEqualTo("000000000800");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void entry_whenQuotaBelowLock_isDeclined(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    for (int i = 0; i < 6; i++) {
      gate.tap(TestTerminal.ENTRY, "000000000800", 1);
      gate.tap(TestTerminal.EXIT, "000000000800", 2);
    }
    assertThat(gate.amount(0x9F79)).isEqualTo("000000000200");
    ResponseAPDU entry = gate.tap(TestTerminal.ENTRY, "000000000800", 1);
    assertAac(card, entry, TransitApplet.CVR_QUOTA_INSUFFICIENT, "000000000800", 13);
    assertThat(gate.amount(0x9F79)).as("quota never negative").isEqualTo("000000000200");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void generateAc_withoutCappUpdate_declines(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    gate.readCappData();
    gate.gpo("000000000800", 1);
    assertAac(card, gate.generateAc(TestTerminal.P1_TC, "000000000800"),
        TransitApplet.CVR_NO_CAPP_UPDATE, "000000000800", 1);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void generateAc_arqcRequestedOnTheExtensionPath_isAnArqcAndSpendsNothing(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.select();
    gate.readCappData();
    gate.gpo("000000000300", 1);
    ResponseAPDU arqc = gate.generateAc(TestTerminal.P1_ARQC, "000000000300");
    assertThat(CardFixture.find(arqc.getData(), 0x9F27)).containsExactly(0x80);
    assertThat(CardFixture.find(arqc.getData(), 0x9F26)).isEqualTo(TestTerminal.expectedCryptogram(
        card, TestTerminal.cdol1("000000000300"), 1, 0x80, TestTerminal.iad(card, 0),
        new byte[0]));
    assertThat(gate.amount(0x9F79)).isEqualTo("000000005000");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void readRecord_logIsReadableStraightAfterSelect_newestFirst(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    card.select();
    assertThat(card.send("00B201F400").getSW()).isEqualTo(0x6A83);
    ResponseAPDU entry = gate.tap(TestTerminal.ENTRY, "000000000800", 0x0101);
    gate.tap(TestTerminal.EXIT, "000000000300", 0x0205);
    card.tear();
    card.select();
    byte[] newest = card.send("00B201F400").getData();
    byte[] older = card.send("00B202F400").getData();
    assertThat(newest).hasSize(TransitApplet.LOG_LENGTH);
    assertThat(Hex.encode(Arrays.copyOfRange(newest, 0, 21)))
        .isEqualTo("0002" + "40" + "000000000300" + "000000004700" + "000000000000");
    assertThat(Hex.encode(Arrays.copyOfRange(older, 0, 3))).isEqualTo("000140");
    assertThat(Arrays.copyOfRange(older, 28, 36))
        .isEqualTo(CardFixture.find(entry.getData(), 0x9F26));
    assertThat(Arrays.copyOfRange(older, 36, 68))
        .isEqualTo(TestTerminal.cappRecord(TestTerminal.ENTRY, 0x0101));
    assertThat(card.send("00B203F400").getSW()).isEqualTo(0x6A83);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void readRecord_logIsCyclicOverTenRecords(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    for (int i = 0; i < 6; i++) {
      gate.tap(TestTerminal.ENTRY, "000000000100", 1);
      gate.tap(TestTerminal.EXIT, "000000000100", 2);
    }
    card.select();
    assertThat(Hex.encode(Arrays.copyOf(card.send("00B201F400").getData(), 2))).isEqualTo("000C");
    assertThat(Hex.encode(Arrays.copyOf(card.send("00B20AF400").getData(), 2))).isEqualTo("0003");
    assertThat(card.send("00B20BF400").getSW()).isEqualTo(0x6A83);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void readRecord_applicationRecordHoldsThePan(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    card.select();
    ResponseAPDU record = card.send("00B2010C00");
    assertThat(record.getSW()).isEqualTo(0x9000);
    assertThat(CardFixture.find(record.getData(), 0x5A)).isEqualTo(CardFixture.PAN);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void getTransProve_afterALostResponse_returnsTheSameResponseAndTac(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.tap(TestTerminal.ENTRY, "000000000800", 1);
    // The exit's response is "lost": the gate never reads it, the rider walks off, the card is
    // pulled. The next gate recovers the proof by ATC.
    byte[] lost = gate.tap(TestTerminal.EXIT, "000000000250", 2).getBytes();
    card.tear();
    card.select();
    int atc = gate.atc();
    ResponseAPDU proof = gate.getTransProve(atc);
    assertThat(proof.getBytes()).isEqualTo(lost);
    byte[] tail = HostCrypto.concat(Hex.decode("000000004750" + "000000000000"),
        TestTerminal.cappRecord(TestTerminal.EXIT, 2));
    assertThat(CardFixture.find(proof.getData(), 0x9F26)).isEqualTo(TestTerminal
        .expectedCryptogram(card, TestTerminal.cdol1("000000000250"), 2, 0x40,
            TestTerminal.iad(card, 0), tail));
    assertThat(gate.getTransProve(atc - 1).getSW()).isEqualTo(0x6A88);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void readCappData_returnsTheCommittedTransitRecord(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    card.select();
    assertThat(gate.readCappData().getData()).isEqualTo(new byte[32]);
    gate.tap(TestTerminal.ENTRY, "000000000800", 0x0303);
    card.select();
    assertThat(gate.readCappData().getData())
        .isEqualTo(TestTerminal.cappRecord(TestTerminal.ENTRY, 0x0303));
  }

  private static void assertAac(CardFixture card, ResponseAPDU response, int cvr, String amount,
      int atc) {
    assertThat(response.getSW()).isEqualTo(0x9000);
    byte[] data = response.getData();
    assertThat(CardFixture.find(data, 0x9F27)).containsExactly(0x00);
    assertThat(CardFixture.find(data, 0x9F10)).isEqualTo(TestTerminal.iad(card, cvr));
    assertThat(CardFixture.find(data, 0x9F26)).isEqualTo(TestTerminal.expectedCryptogram(card,
        TestTerminal.cdol1(amount), atc, 0x00, TestTerminal.iad(card, cvr), new byte[0]));
    assertThat(CardFixture.find(data, 0x9F79)).isNull();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keys_appearInNoResponseOfAnyReadCommand(AlgorithmSuite suite) {
    CardFixture card = CardFixture.personalised(suite);
    TestTerminal gate = new TestTerminal(card);
    gate.tap(TestTerminal.ENTRY, "000000000800", 1);
    card.select();
    java.util.List<byte[]> responses = new java.util.ArrayList<>();
    for (int sfi = 1; sfi <= 30; sfi++) {
      for (int record = 1; record <= 10; record++) {
        responses.add(card.send(new javax.smartcardio.CommandAPDU(0x00, 0xB2, record,
            (sfi << 3) | 4, 256)).getBytes());
      }
    }
    for (int p1 = 0; p1 <= 0xFF; p1 += 0x11) {
      for (int p2 = 0; p2 <= 0xFF; p2 += 0x05) {
        responses.add(card.send(new javax.smartcardio.CommandAPDU(0x80, 0xCA, p1, p2, 256))
            .getBytes());
      }
    }
    responses.add(gate.readCappData().getBytes());
    responses.add(gate.getTransProve(1).getBytes());
    for (byte[] key : new byte[][] {card.acKey, card.macSubKey, card.encKey, card.macKey,
        card.dekKey}) {
      for (byte[] response : responses) {
        for (int half = 0; half < 16; half += 8) {
          assertThat(Hex.encode(response)).doesNotContain(
              Hex.encode(Arrays.copyOfRange(key, half, half + 8)));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void storeData8F01_replacesTheScp02KeysForTheNextSession(AlgorithmSuite suite) {
    CardFixture card = CardFixture.installed(suite);
    HostSession session = card.openSecureChannel();
    byte[] newEnc = Hex.decode("404142434445464748494A4B4C4D4E4F");
    byte[] newKeys = HostCrypto.concat(newEnc, Hex.decode("505152535455565758595A5B5C5D5E5F"),
        Hex.decode("606162636465666768696A6B6C6D6E6F"));
    assertThat(session.storeData(0, 0, CardFixture.dgi(0x8F01, session.encryptWithDek(newKeys)))
        .getSW()).isEqualTo(0x9000);
    card.select();
    byte[] hostChallenge = Hex.decode("0102030405060708");
    byte[] r = card.send(new javax.smartcardio.CommandAPDU(0x80, 0x50, 0, 0, hostChallenge, 256))
        .getData();
    int sequence = ((r[12] & 0xFF) << 8) | (r[13] & 0xFF);
    byte[] sessionEnc = HostCrypto.scp02SessionKey(suite, newEnc, 0x0182, sequence);
    byte[] expected = Arrays.copyOf(HostCrypto.fullMac(suite, sessionEnc,
        HostCrypto.concat(hostChallenge, Arrays.copyOfRange(r, 12, 20))), 8);
    assertThat(Arrays.copyOfRange(r, 20, 28)).isEqualTo(expected);
  }
}
