package io.iotpay.bench.pos;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.emv.EmvApplet;
import io.iotpay.card.emv.PpseApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.Pan;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaPublicKey;
import io.iotpay.terminal.pos.PosConfig;
import java.math.BigInteger;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.YearMonth;
import java.util.Arrays;
import javacard.framework.AID;
import javacard.framework.Applet;
import javax.smartcardio.CardException;

/**
 * A contactless debit card for the POS kernel's tests: the real {@link PpseApplet} and {@link
 * EmvApplet} of device/card installed in jCardSim and personalised as docs/emv-card-apdus.md §2 and
 * §7 say, reached through {@link SmartcardioCardChannel} like a PC/SC reader. Its card master keys
 * come from a {@link LoopbackIssuer}, which recomputes every cryptogram. The install-data layout
 * follows device/card's own test fixture (EmvCard). Public for {@code iotpay bench pos-tap}.
 *
 * <p>The bench's own copy of the POS kernel tests' fixture of the same name (benchmarks use no
 * other module's test code, issue 12); it goes when the issuer's EMV personalisation and the
 * issuer authorisation host of issue 15 can stand in for it.
 */
public final class PosCard {
  public static final String AID = PosConfig.IOTPAY_DEBIT_AID;
  /** PDOL: 9F66 04 (TTQ), 9F02 06, 9F1A 02, 5F2A 02, 9A 03, 9C 01, 9F37 04 (22 data bytes). */
  static final String PDOL = "9F66049F02069F1A025F2A029A039C019F3704";
  /** CDOL1 and CDOL2 exactly as the applet requires them (docs/emv-card-apdus.md §3). */
  public static final String CDOL1 = "9F02069F03069F1A0295055F2A029A039C019F3704";
  static final String CDOL2 = "8A02" + "910A" + CDOL1;
  static final byte[] PIN_BLOCK = Hex.decode("241234FFFFFFFFFF");

  /**
   * What an issuer personalises, as far as the kernel cares.
   *
   * @param expiryYymmdd 5F24
   * @param auc 9F07 application usage control, 4 hex digits
   * @param cvmList 8E, hex
   * @param iacDenial 9F0E, iacOnline 9F0F, iacDefault 9F0D (5 bytes hex each)
   */
  public record Profile(String expiryYymmdd, String auc, String cvmList, String iacDenial, String iacOnline,
      String iacDefault, int lowerConsecutive, int upperConsecutive, long cumulativeLowerMinor,
      long cumulativeUpperMinor) {
    /**
     * Expires end of 2030; valid everywhere; CVM list X = Y = 0: online PIN if the terminal supports
     * it, else signature if supported, else no CVM; IAC denial "service not allowed", IAC online and
     * default nothing (the terminal's TACs decide); offline limits 2 / 4 transactions, 100.00 / 200.00.
     */
    public static final Profile STANDARD = new Profile("301231", "FF00", "0000000000000000" + "4203" + "5E03" + "1F00",
        "0010000000", "0000000000", "0000000000", 2, 4, 10_000, 20_000);

    public Profile withExpiry(String yymmdd) {
      return new Profile(yymmdd, auc, cvmList, iacDenial, iacOnline, iacDefault, lowerConsecutive, upperConsecutive,
          cumulativeLowerMinor, cumulativeUpperMinor);
    }
  }

  public final AlgorithmSuite suite;
  public final Pan pan;
  private final CardSimulator simulator;
  private javax.smartcardio.Card card;
  private CardChannel channel;

  /** A card of {@code issuer} with the {@link Profile#STANDARD} profile. */
  public PosCard(AlgorithmSuite suite, LoopbackIssuer issuer, Pan pan) {
    this(suite, issuer, pan, Profile.STANDARD);
  }

  public PosCard(AlgorithmSuite suite, LoopbackIssuer issuer, Pan pan, Profile profile) {
    this(suite, issuer.cardMasterKeys(suite, pan, 1), pan, profile, null, false);
    issuer.register(this);
  }

  /** A card personalised for fDDA with certificates of {@code scheme} (docs/pos-kernel.md §4). */
  public static PosCard withOda(AlgorithmSuite suite, LoopbackIssuer issuer, Pan pan, OdaScheme scheme) {
    PosCard card = new PosCard(suite, issuer.cardMasterKeys(suite, pan, 1), pan, Profile.STANDARD, scheme, false);
    issuer.register(card);
    return card;
  }

  /**
   * A card of an issuer outside this package (e.g. bench pos's issuer host), PSN 01, without ODA data.
   *
   * @param cardMasterKeys MK_AC ‖ MK_SMI ‖ MK_SMC, the issuer's option A derivation for this PAN and PSN 01
   */
  public static PosCard of(AlgorithmSuite suite, byte[] cardMasterKeys, Pan pan, Profile profile) {
    return new PosCard(suite, cardMasterKeys.clone(), pan, profile, null, false);
  }

  /**
   * A card of an issuer outside this package (e.g. the demo's issuer host), PSN 01, personalised for
   * fDDA with certificates of {@code scheme}.
   *
   * @param cardMasterKeys MK_AC ‖ MK_SMI ‖ MK_SMC, the issuer's option A derivation for this PAN and PSN 01
   */
  public static PosCard withOda(AlgorithmSuite suite, byte[] cardMasterKeys, Pan pan, Profile profile,
      OdaScheme scheme) {
    return new PosCard(suite, cardMasterKeys.clone(), pan, profile, scheme, false);
  }

  /**
   * A counterfeit: genuine certificates of {@code scheme} for a key the card does not hold (it signs
   * with another), as a skimmed card copied onto a blank with its own key would.
   */
  public static PosCard counterfeitWithOda(AlgorithmSuite suite, LoopbackIssuer issuer, Pan pan, OdaScheme scheme) {
    PosCard card = new PosCard(suite, issuer.cardMasterKeys(suite, pan, 1), pan, Profile.STANDARD, scheme, true);
    issuer.register(card);
    return card;
  }

  private PosCard(AlgorithmSuite suite, byte[] cardMasterKeys, Pan pan, Profile profile, OdaScheme oda,
      boolean counterfeit) {
    this.suite = suite;
    this.pan = pan;
    simulator = new CardSimulator();
    byte[] aid = Hex.decode(AID);
    byte[] label = "IOTPAY DEBIT".getBytes(StandardCharsets.US_ASCII);
    byte[] entry = concat(Hex.decode("4F"), new byte[] {(byte) aid.length}, aid, new byte[] {0x50, (byte) label.length},
        label, Hex.decode("870101"));
    install("2PAY.SYS.DDF01".getBytes(StandardCharsets.US_ASCII), PpseApplet.class, concat(new byte[] {0x61, (byte) entry.length}, entry));
    install(aid, EmvApplet.class, concat(new byte[] {suite == AlgorithmSuite.INTERNATIONAL ? (byte) 1 : (byte) 2},
        cardMasterKeys, new byte[] {3}, PIN_BLOCK));
    connect();
    personalise(profile, oda, counterfeit);
  }

  private void install(byte[] aid, Class<? extends Applet> applet, byte[] data) {
    byte[] parameters = concat(new byte[] {(byte) aid.length}, aid, new byte[] {0, (byte) data.length}, data);
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), applet, parameters, (short) 0,
        (byte) parameters.length);
  }

  private void personalise(Profile p, OdaScheme oda, boolean counterfeit) {
    byte[] panBytes = Hex.decode(pan.digits().length() % 2 == 0 ? pan.digits() : pan.digits() + "F");
    String track2Digits = pan.digits() + "D" + p.expiryYymmdd().substring(0, 4) + "2010000000000";
    byte[] track2 = Hex.decode(track2Digits.length() % 2 == 0 ? track2Digits : track2Digits + "F");
    byte[] record1 = concat(tlv("57", track2), tlv("5A", panBytes), tlv("5F24", Hex.decode(p.expiryYymmdd())),
        Hex.decode("5F340101"), tlv("9F07", Hex.decode(p.auc())), Hex.decode("5F28020156" + "9F42020156"));
    byte[] record2 = concat(tlv("8C", Hex.decode(CDOL1)), tlv("8D", Hex.decode(CDOL2)),
        tlv("8E", Hex.decode(p.cvmList())), tlv("9F0D", Hex.decode(p.iacDefault())),
        tlv("9F0E", Hex.decode(p.iacDenial())), tlv("9F0F", Hex.decode(p.iacOnline())));
    byte[] parameters = concat(tlv("9F38", Hex.decode(PDOL)), tlv("9F14", new byte[] {(byte) p.lowerConsecutive()}),
        tlv("9F23", new byte[] {(byte) p.upperConsecutive()}), tlv("9F54", Bcd.encodeAmount(p.cumulativeLowerMinor())),
        tlv("9F5C", Bcd.encodeAmount(p.cumulativeUpperMinor())));
    ok(channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, Hex.decode(AID), 256)), "SELECT");
    ok(storeData(0x00, 0, dgi(0x0101, record1)), "STORE DATA 0101");
    ok(storeData(0x00, 1, dgi(0x0102, record2)), "STORE DATA 0102");
    if (oda != null) {
      personaliseOda(oda, counterfeit, panBytes, p.expiryYymmdd(), concat(record1, record2));
    }
    ok(storeData(0x80, 2, dgi(0x9200, parameters)), "STORE DATA 9200");
    reinsert();
  }

  /**
   * The ODA key (RSA: made by the issuer and loaded in DGIs 8201..8207; SM2: GENERATE ODA KEY on the
   * card), its certificate over record 1 (the static data: DGIs 0101 and 0102, which the card answers
   * as one record; AFL 08 01 01 01 08 03 04 00), and records 3
   * ([90]) and 4 ([8F, 92, 9F32, 9F46, 9F47, 9F48] as the suite has them).
   */
  private void personaliseOda(OdaScheme oda, boolean counterfeit, byte[] panBytes, String expiry, byte[] staticData) {
    OdaPublicKey held = switch (suite) {
      case INTERNATIONAL -> loadRsaKey((RSAPrivateCrtKey) OdaIssuing.newCardKeyPair(suite, 1024, OdaScheme.RANDOM)
          .getPrivate());
      case NATIONAL -> new OdaPublicKey.Sm2(ok(channel.transmit(new CommandApdu(0x80, 0xE0, 0, 0, new byte[0], 256)),
          "GENERATE ODA KEY").data());
    };
    OdaPublicKey certified = counterfeit
        ? OdaIssuing.publicKey(OdaIssuing.newCardKeyPair(suite, 1024, OdaScheme.RANDOM).getPublic()) : held;
    OdaIssuing.IccCredentials icc = OdaIssuing.certifyCard(oda.issuer, panBytes,
        YearMonth.of(2000 + Integer.parseInt(expiry.substring(0, 2)), Integer.parseInt(expiry.substring(2, 4))),
        Hex.decode("000007"), certified, staticData, OdaScheme.RANDOM);
    byte[] record3 = tlv("90", oda.issuer.certificate());
    byte[] record4 = concat(tlv("8F", new byte[] {(byte) OdaScheme.CA_INDEX}), optional("92", oda.issuer.remainder()),
        optional("9F32", oda.issuer.exponent()), tlv("9F46", icc.certificate()), optional("9F47", icc.exponent()),
        optional("9F48", icc.remainder()));
    ok(storeData(0x00, 3, dgi(0x0103, record3)), "STORE DATA 0103");
    ok(storeData(0x00, 4, dgi(0x0104, record4)), "STORE DATA 0104");
  }

  private OdaPublicKey loadRsaKey(RSAPrivateCrtKey key) {
    BigInteger[] parts = {key.getModulus(), key.getPublicExponent(), key.getPrimeP(), key.getPrimeQ(),
        key.getPrimeExponentP(), key.getPrimeExponentQ(), key.getCrtCoefficient()};
    for (int i = 0; i < parts.length; i++) {
      ok(storeData(0x00, 10 + i, dgi(0x8201 + i, unsigned(parts[i]))), "STORE DATA 820" + (i + 1));
    }
    return new OdaPublicKey.Rsa(unsigned(key.getModulus()), unsigned(key.getPublicExponent()));
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] raw = value.toByteArray();
    return raw[0] == 0 && raw.length > 1 ? Arrays.copyOfRange(raw, 1, raw.length) : raw;
  }

  private static byte[] optional(String tag, byte[] value) {
    return value.length == 0 ? new byte[0] : tlv(tag, value);
  }

  private ResponseApdu storeData(int p1, int p2, byte[] data) {
    return channel.transmit(new CommandApdu(0x80, 0xE2, p1, p2, data, 0));
  }

  private static byte[] dgi(int dgi, byte[] value) {
    return concat(new byte[] {(byte) (dgi >> 8), (byte) dgi, (byte) value.length}, value);
  }

  private static byte[] tlv(String tag, byte[] value) {
    byte[] length = value.length > 0x7F ? new byte[] {(byte) 0x81, (byte) value.length} : new byte[] {(byte) value.length};
    return concat(Hex.decode(tag), length, value);
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
  public CardChannel channel() {
    return channel;
  }

  /** The card leaves the field and comes back: its session (transient state) is lost. */
  public void reinsert() {
    try {
      card.disconnect(true);
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not disconnect", e);
    }
    connect();
  }

  /** The card's ATC, read with GET DATA (a fresh session). */
  public int atc() {
    reinsert();
    ok(channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, Hex.decode(AID), 256)), "SELECT");
    ResponseApdu r = ok(channel.transmit(new CommandApdu(0x80, 0xCA, 0x9F, 0x36, new byte[0], 256)), "GET DATA");
    byte[] v = Arrays.copyOfRange(r.data(), 3, 5);
    reinsert();
    return ((v[0] & 0xFF) << 8) | (v[1] & 0xFF);
  }

  private static ResponseApdu ok(ResponseApdu r, String what) {
    if (r.sw() != 0x9000) {
      throw new IllegalStateException(what + " returned " + Integer.toHexString(r.sw()));
    }
    return r;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
