package io.iotpay.card.transit;

import io.iotpay.foundation.codec.Hex;
import java.util.Arrays;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;

/**
 * The commands a transit gate sends, in the formats of docs/card-apdus.md, and the expected
 * cryptograms computed from the documented formula with BouncyCastle ({@link HostCrypto}).
 */
final class TestTerminal {

  static final byte[] UN = Hex.decode("1A2B3C4D");
  static final int ENTRY = 0x01;
  static final int EXIT = 0x02;
  static final int P1_AAC = 0x00;
  static final int P1_TC = 0x40;
  static final int P1_ARQC = 0x80;

  private final CardFixture card;
  int commandCount;
  int bytesToCard;
  int bytesFromCard;

  TestTerminal(CardFixture card) {
    this.card = card;
  }

  ResponseAPDU send(CommandAPDU command) {
    commandCount++;
    bytesToCard += command.getBytes().length;
    ResponseAPDU response = card.send(command);
    bytesFromCard += response.getBytes().length;
    return response;
  }

  ResponseAPDU select() {
    ResponseAPDU response = send(new CommandAPDU(0x00, 0xA4, 0x04, 0x00, CardFixture.AID_BYTES,
        256));
    org.assertj.core.api.Assertions.assertThat(response.getSW()).as("SELECT").isEqualTo(0x9000);
    return response;
  }

  ResponseAPDU readCappData() {
    return send(new CommandAPDU(0x80, 0xB4, 0x01, 0xBC, Hex.decode("5452"), 256));
  }

  /** PDOL data for {@link CardFixture#PDOL_WITH_DF60}; df60 &lt; 0 builds the PDOL without it. */
  static byte[] pdolData(String amount, int df60) {
    byte[] common = Hex.decode(amount + "0156" + "261122" + Hex.encode(UN));
    return df60 < 0 ? common : HostCrypto.concat(common, new byte[] {(byte) df60});
  }

  ResponseAPDU gpo(String amount, int df60) {
    byte[] data = pdolData(amount, df60);
    return send(new CommandAPDU(0x80, 0xA8, 0x00, 0x00,
        HostCrypto.concat(new byte[] {(byte) 0x83, (byte) data.length}, data), 256));
  }

  /** A CAPP transit record: state, operator 0001, station, gate 0007, BCD date-time, rest zero. */
  static byte[] cappRecord(int state, int station) {
    byte[] record = new byte[32];
    record[0] = (byte) state;
    record[1] = 0x00;
    record[2] = 0x01;
    record[3] = (byte) (station >> 8);
    record[4] = (byte) station;
    record[6] = 0x07;
    System.arraycopy(Hex.decode("20261122083000"), 0, record, 7, 7);
    return record;
  }

  ResponseAPDU updateCappCache(byte[] record) {
    return send(new CommandAPDU(0x80, 0xDE, 0x01, 0xBC, record));
  }

  /** The acceptor at the end of CDOL1: terminal id "G-01" and operator id "METRO-A", space-padded to 16 each. */
  static final String ACCEPTOR = Hex.encode(String.format("%-16s%-16s", "G-01", "METRO-A")
      .getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  /** CDOL1 data: 9F02, 9F03, 9F1A, 95, 5F2A, 9A, 9C, 9F37 (29 bytes), then the acceptor (32 bytes). */
  static byte[] cdol1(String amount) {
    return Hex.decode(amount + "000000000000" + "0156" + "0000000000" + "0156" + "261122" + "00"
        + Hex.encode(UN) + ACCEPTOR);
  }

  ResponseAPDU generateAc(int p1, String amount) {
    return send(new CommandAPDU(0x80, 0xAE, p1, 0x00, cdol1(amount), 256));
  }

  ResponseAPDU getTransProve(int atc) {
    return send(new CommandAPDU(0x80, 0x5A, 0x00, 0x00,
        new byte[] {(byte) (atc >> 8), (byte) atc}, 256));
  }

  /** Tap: SELECT, READ CAPP DATA, GPO, UPDATE CAPP DATA CACHE, GENERATE AC (TC requested). */
  ResponseAPDU tap(int state, String amount, int station) {
    select();
    readCappData();
    gpo(amount, 1);
    updateCappCache(cappRecord(state, station));
    return generateAc(P1_TC, amount);
  }

  int atc() {
    byte[] value = card.send("80CA9F3600").getData();
    return ((value[3] & 0xFF) << 8) | (value[4] & 0xFF);
  }

  String amount(int tag) {
    ResponseAPDU response = card.send(new CommandAPDU(0x80, 0xCA, tag >> 8, tag & 0xFF, 256));
    return Hex.encode(Arrays.copyOfRange(response.getData(), 3, 9));
  }

  /**
   * The documented cryptogram: first 8 bytes of MAC(SK_AC(ATC), CDOL1 || AIP || ATC || CID || IAD
   * [|| 9F79 after || DF63 after || CAPP record for a TC]).
   */
  static byte[] expectedCryptogram(CardFixture card, byte[] cdol1, int atc, int cid, byte[] iad,
      byte[] tcTail) {
    byte[] key = HostCrypto.counterKey(card.suite, card.acKey, atc);
    byte[] input = HostCrypto.concat(cdol1, Hex.decode("0800"),
        new byte[] {(byte) (atc >> 8), (byte) atc, (byte) cid}, iad, tcTail);
    return Arrays.copyOf(HostCrypto.retailMac(card.suite, key, null, input), 8);
  }

  static byte[] iad(CardFixture card, int cvr) {
    return new byte[] {0x01,
        (byte) (card.suite == io.iotpay.foundation.crypto.AlgorithmSuite.INTERNATIONAL ? 1 : 4),
        (byte) cvr, 0x00};
  }
}
