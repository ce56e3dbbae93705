package io.iotpay.issuer.authorisation.card;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.emv.EmvApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import javacard.framework.AID;
import javax.smartcardio.CardException;

/**
 * The real {@link EmvApplet} in jCardSim, personalised as docs/emv-card-apdus.md §7 says (the few
 * lines of device/card's EmvCard test fixture this host needs): its MK_AC derives (option A) from
 * the IMK the host's custody holds. It answers GENERATE AC with a genuine ARQC and checks the
 * host's ARPC (tag 91, in CDOL2) in the second GENERATE AC, as a terminal would drive it (no PPSE,
 * no READ RECORD).
 */
final class ChipCard {
  private static final byte[] AID_BYTES = Hex.decode("A0000003330101");
  /** CDOL1 of docs/emv-card-apdus.md; CDOL2 is 8A 02, 91 0A followed by it. */
  private static final String CDOL1 = "9F02069F03069F1A0295055F2A029A039C019F3704";
  private static final String UN = "1A2B3C4D";

  private final CardChannel channel;
  private byte[] aip;
  private byte[] cdol1Data;

  /** The result of the first GENERATE AC: the request field 55 for the host, and the ARQC. */
  record Arqc(List<Tlv> field55, byte[] arqc, int atc) {}

  ChipCard(AlgorithmSuite suite, SecretKeyBytes imkAc, SecretKeyBytes imkSmi, String pan, String psn) {
    CardSimulator simulator = new CardSimulator();
    byte[] smc = new byte[16]; // MK_SMC: PIN change is not used here
    byte[] install = concat(new byte[] {(byte) (suite == AlgorithmSuite.INTERNATIONAL ? 0x01 : 0x02)},
        EmvKeyDerivation.cardMasterKey(suite, imkAc, pan, psn).value(),
        EmvKeyDerivation.cardMasterKey(suite, imkSmi, pan, psn).value(), smc, new byte[] {3},
        Hex.decode("241234FFFFFFFFFF"));
    byte[] parameters = concat(new byte[] {(byte) AID_BYTES.length}, AID_BYTES, new byte[] {0, (byte) install.length},
        install);
    simulator.installApplet(new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length), EmvApplet.class, parameters,
        (short) 0, (byte) parameters.length);
    try {
      channel = new SmartcardioCardChannel(CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not connect", e);
    }
    byte[] track2 = Hex.decode(pan + "D271220100000000000F");
    byte[] record1 = concat(Hex.decode("57"), new byte[] {(byte) track2.length}, track2, Hex.decode("5A08"),
        Hex.decode(pan), Hex.decode("5F24032712315F3401" + psn + "9F0702FF00" + "5F28020156" + "9F42020156"));
    byte[] record2 = Hex.decode("8C15" + CDOL1 + "8D198A02910A" + CDOL1
        + "8E0C000000000000000041031F00" + "9F0D05B050AC8000" + "9F0E050010000000" + "9F0F05B070AC9800");
    byte[] limits = Hex.decode("9F3813" + "9F66049F02069F1A025F2A029A039C019F3704" + "9F140102" + "9F230104"
        + "9F5406000000010000" + "9F5C06000000020000");
    select();
    ok(storeData(0x00, 0, dgi(0x0101, record1)), "STORE DATA 0101");
    ok(storeData(0x00, 1, dgi(0x0102, record2)), "STORE DATA 0102");
    ok(storeData(0x80, 2, dgi(0x9200, limits)), "STORE DATA 9200");
  }

  /** SELECT, GET PROCESSING OPTIONS and the first GENERATE AC asking for an ARQC for {@code amountMinor}. */
  Arqc arqc(long amountMinor) {
    select();
    byte[] pdolData = concat(Hex.decode("36004000"), Bcd.encodeAmount(amountMinor), Hex.decode("0156" + "0156" + "261207"
        + "00" + UN));
    ResponseApdu gpo = ok(channel.transmit(new CommandApdu(0x80, 0xA8, 0x00, 0x00,
        concat(new byte[] {(byte) 0x83, (byte) pdolData.length}, pdolData), 256)), "GPO");
    aip = find(gpo.data(), 0x82);
    byte[] amount = Bcd.encodeAmount(amountMinor);
    cdol1Data = concat(amount, new byte[6], Hex.decode("0156"), new byte[5], Hex.decode("0156"),
        Hex.decode("261207"), new byte[1], Hex.decode(UN));
    ResponseApdu ac = ok(channel.transmit(new CommandApdu(0x80, 0xAE, 0x80, 0x00, cdol1Data, 256)), "GENERATE AC");
    byte[] arqc = find(ac.data(), 0x9F26);
    byte[] atc = find(ac.data(), 0x9F36);
    List<Tlv> field55 = new ArrayList<>();
    field55.add(Tlv.primitive(Tag.of(0x9F26), arqc));
    field55.add(Tlv.primitive(Tag.of(0x9F27), find(ac.data(), 0x9F27)));
    field55.add(Tlv.primitive(Tag.of(0x9F10), find(ac.data(), 0x9F10)));
    field55.add(Tlv.primitive(Tag.of(0x9F37), Hex.decode(UN)));
    field55.add(Tlv.primitive(Tag.of(0x9F36), atc));
    field55.add(Tlv.primitive(Tag.of(0x95), new byte[5]));
    field55.add(Tlv.primitive(Tag.of(0x9A), Hex.decode("261207")));
    field55.add(Tlv.primitive(Tag.of(0x9C), new byte[1]));
    field55.add(Tlv.primitive(Tag.of(0x9F02), amount));
    field55.add(Tlv.primitive(Tag.of(0x5F2A), Hex.decode("0156")));
    field55.add(Tlv.primitive(Tag.of(0x82), aip));
    field55.add(Tlv.primitive(Tag.of(0x9F1A), Hex.decode("0156")));
    field55.add(Tlv.primitive(Tag.of(0x9F03), new byte[6]));
    return new Arqc(field55, arqc, ((atc[0] & 0xFF) << 8) | (atc[1] & 0xFF));
  }

  /**
   * The second GENERATE AC asking for a TC, with {@code arc} and the host's tag 91 value (ARPC ‖ ARC,
   * 10 bytes) in CDOL2: the CID the card answers (TC only when the ARPC verifies).
   */
  int secondAc(byte[] arc, byte[] issuerAuthenticationData) {
    ResponseApdu ac = ok(channel.transmit(new CommandApdu(0x80, 0xAE, 0x40, 0x00,
        concat(arc, issuerAuthenticationData, cdol1Data), 256)), "second GENERATE AC");
    return find(ac.data(), 0x9F27)[0] & 0xFF;
  }

  /** One issuer script command (the value of a tag 86) sent to the card: its status word. */
  int script(byte[] command) {
    return channel.transmit(CommandApdu.parse(command)).sw();
  }

  /** SELECT's status word (6283 once the application is blocked). */
  int selectStatus() {
    return channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, AID_BYTES, 256)).sw();
  }

  private void select() {
    ok(channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, AID_BYTES, 256)), "SELECT");
  }

  private ResponseApdu storeData(int p1, int p2, byte[] data) {
    return channel.transmit(new CommandApdu(0x80, 0xE2, p1, p2, data, 0));
  }

  private static byte[] dgi(int dgi, byte[] value) {
    return concat(new byte[] {(byte) (dgi >> 8), (byte) dgi, (byte) value.length}, value);
  }

  private static byte[] find(byte[] data, int tag) {
    return Tlv.findIn(BerTlv.parse(data), Tag.of(tag)).map(t -> ((Tlv.Primitive) t).value()).orElseThrow();
  }

  private static ResponseApdu ok(ResponseApdu response, String what) {
    if (response.sw() != 0x9000) {
      throw new IllegalStateException(what + " returned " + Integer.toHexString(response.sw()));
    }
    return response;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
