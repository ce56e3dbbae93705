package io.iotpay.card.emv;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javacard.framework.AID;
import javacard.framework.Applet;
import javax.smartcardio.CardException;

/**
 * One simulated contactless card: the PPSE and the EMV payment applet installed in jCardSim and
 * personalised as an issuer would (docs/emv-card-apdus.md §7), reached through {@link
 * SmartcardioCardChannel} as a PC/SC reader would reach it. Its card master keys are derived with
 * option A from the {@link EmvIssuer}'s issuer master keys, so the issuer recomputes every
 * cryptogram from the PAN alone.
 */
final class EmvCard {

  static final byte[] PPSE_NAME = "2PAY.SYS.DDF01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final byte[] AID_BYTES = Hex.decode("A0000003330101");
  /** PDOL: 9F66 04 (TTQ), 9F02 06, 9F1A 02, 5F2A 02, 9A 03, 9C 01, 9F37 04 (22 data bytes). */
  static final byte[] PDOL = Hex.decode("9F66049F02069F1A025F2A029A039C019F3704");
  static final String PSN = "01";
  static final int PIN_TRY_LIMIT = 3;
  /** ISO 9564 format 2 block of PIN 1234. */
  static final byte[] PIN_BLOCK = Hex.decode("241234FFFFFFFFFF");

  final AlgorithmSuite suite;
  final String pan;
  final EmvIssuer issuer;
  final CardSimulator simulator;
  private javax.smartcardio.Card card;
  private CardChannel channel;

  /** Limits: lower/upper consecutive offline, lower/upper cumulative offline amount (minor units). */
  record Limits(int lowerConsecutive, int upperConsecutive, long cumulativeLowerMinor, long cumulativeUpperMinor) {
    static final Limits STANDARD = new Limits(2, 4, 10_000, 20_000);
  }

  private EmvCard(AlgorithmSuite suite, String pan, EmvIssuer issuer, Class<? extends Applet> appletClass) {
    this.suite = suite;
    this.pan = pan;
    this.issuer = issuer;
    simulator = new CardSimulator();
    byte[] directory = concat(Hex.decode("61"), new byte[] {(byte) (2 + AID_BYTES.length + 2 + 12 + 3)},
        Hex.decode("4F"), new byte[] {(byte) AID_BYTES.length}, AID_BYTES, Hex.decode("500C"),
        "IOTPAY DEBIT".getBytes(java.nio.charset.StandardCharsets.US_ASCII), Hex.decode("870101"));
    install(PPSE_NAME, PpseApplet.class, directory);
    install(AID_BYTES, appletClass, installData());
    connect();
  }

  /** A card of {@code issuer}, personalised with the standard limits. */
  static EmvCard personalised(AlgorithmSuite suite, EmvIssuer issuer) {
    return personalised(suite, issuer, Limits.STANDARD, EmvApplet.class);
  }

  static EmvCard personalised(AlgorithmSuite suite, EmvIssuer issuer, Limits limits,
      Class<? extends Applet> appletClass) {
    EmvCard card = new EmvCard(suite, "6212345678901234", issuer, appletClass);
    card.personalise(limits);
    return card;
  }

  /** A card of {@code appletClass} installed and not personalised. */
  static EmvCard installedWith(AlgorithmSuite suite, EmvIssuer issuer, Class<? extends Applet> appletClass) {
    return new EmvCard(suite, "6212345678901234", issuer, appletClass);
  }

  SecretKeyBytes masterKey(SecretKeyBytes issuerMasterKey) {
    return EmvKeyDerivation.cardMasterKey(suite, issuerMasterKey, pan, PSN);
  }

  private byte[] installData() {
    byte suiteByte = suite == AlgorithmSuite.INTERNATIONAL ? EmvApplet.SUITE_3DES : EmvApplet.SUITE_SM4;
    return concat(new byte[] {suiteByte}, masterKey(issuer.imkAc(suite)).value(),
        masterKey(issuer.imkSmi(suite)).value(), masterKey(issuer.imkSmc(suite)).value(),
        new byte[] {PIN_TRY_LIMIT}, PIN_BLOCK);
  }

  private void install(byte[] aid, Class<? extends Applet> appletClass, byte[] data) {
    byte[] parameters = concat(new byte[] {(byte) aid.length}, aid, new byte[] {0, (byte) data.length}, data);
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), appletClass, parameters, (short) 0,
        (byte) parameters.length);
  }

  private void connect() {
    try {
      card = CardTerminalSimulator.terminal(simulator).connect("T=1");
      channel = new SmartcardioCardChannel(card.getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not connect", e);
    }
  }

  /** The channel a terminal uses; it changes after {@link #reinsert()}. */
  CardChannel channel() {
    return channel;
  }

  /** The card leaves the field and comes back: transient state (the session) is lost. */
  void reinsert() {
    try {
      card.disconnect(true);
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not disconnect", e);
    }
    connect();
  }

  ResponseApdu send(String hex) {
    return channel.transmit(CommandApdu.parseHex(hex.replace(" ", "")));
  }

  ResponseApdu selectApplication() {
    return channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, AID_BYTES, 256));
  }

  static byte[] record1(String pan) {
    byte[] track2 = Hex.decode(pan + "D271220100000000000F");
    return concat(Hex.decode("57"), new byte[] {(byte) track2.length}, track2, Hex.decode("5A08"), Hex.decode(pan),
        Hex.decode("5F24032712315F3401" + PSN + "9F0702FF00" + "5F28020156" + "9F42020156"));
  }

  static byte[] record2() {
    return concat(Hex.decode("8C15"), EmvApplet.CDOL1, Hex.decode("8D19"), EmvApplet.CDOL2,
        Hex.decode("8E0C000000000000000041031F00" + "9F0D05B050AC8000" + "9F0E050010000000" + "9F0F05B070AC9800"));
  }

  static byte[] parameters(Limits limits) {
    return concat(Hex.decode("9F38"), new byte[] {(byte) PDOL.length}, PDOL,
        Hex.decode("9F1401"), new byte[] {(byte) limits.lowerConsecutive()},
        Hex.decode("9F2301"), new byte[] {(byte) limits.upperConsecutive()},
        Hex.decode("9F5406"), io.iotpay.foundation.codec.Bcd.encodeAmount(limits.cumulativeLowerMinor()),
        Hex.decode("9F5C06"), io.iotpay.foundation.codec.Bcd.encodeAmount(limits.cumulativeUpperMinor()));
  }

  void personalise(Limits limits) {
    ok(selectApplication(), "SELECT");
    ok(storeData(0x00, 0, dgi(0x0101, record1(pan))), "STORE DATA 0101");
    ok(storeData(0x00, 1, dgi(0x0102, record2())), "STORE DATA 0102");
    ok(storeData(0x80, 2, dgi(0x9200, parameters(limits))), "STORE DATA 9200");
    reinsert();
  }

  ResponseApdu storeData(int p1, int p2, byte[] data) {
    return channel.transmit(new CommandApdu(0x80, 0xE2, p1, p2, data, 0));
  }

  static byte[] dgi(int dgi, byte[] value) {
    return concat(new byte[] {(byte) (dgi >> 8), (byte) dgi, (byte) value.length}, value);
  }

  /** GET DATA of a tag the applet answers, after selecting it; the value bytes. */
  byte[] getData(int tag) {
    ok(selectApplication(), "SELECT");
    ResponseApdu response = channel.transmit(new CommandApdu(0x80, 0xCA, tag >> 8, tag & 0xFF, new byte[0], 256));
    return Arrays.copyOfRange(ok(response, "GET DATA").data(), 3, response.data().length);
  }

  int atc() {
    byte[] v = getData(0x9F36);
    return ((v[0] & 0xFF) << 8) | (v[1] & 0xFF);
  }

  int pinTryCounter() {
    return getData(0x9F17)[0];
  }

  static ResponseApdu ok(ResponseApdu response, String what) {
    if (response.sw() != 0x9000) {
      throw new IllegalStateException(what + " returned " + Integer.toHexString(response.sw()));
    }
    return response;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
