package io.iotpay.terminal.gate;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.transit.TransitApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CipherMode;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.Scp02;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.transit.TransitOdaPersonalisation;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaPublicKey;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javacard.framework.AID;
import javax.smartcardio.CardException;

/**
 * A real transit applet in jCardSim, installed and personalised over SCP02 as the issuer would
 * (docs/card-apdus.md §2, §7), reached through {@link SmartcardioCardChannel} like a PC/SC reader.
 * It also plays the issuer in tests: it knows the card's AC key and recomputes TACs with
 * BouncyCastle-backed foundation crypto, independently of the gate (which holds no keys).
 */
public final class SimCard {
  static final byte[] PDOL = Hex.decode("9F02065F2A029A039F3704DF6001");
  static final int PAN_SEQUENCE = 1;
  private static final SecureRandom ODA_RANDOM = new SecureRandom();

  final AlgorithmSuite suite;
  final Pan pan;
  final long initialQuotaMinor;
  private final byte[] acKey;
  private final CardSimulator simulator;
  private javax.smartcardio.Card card;
  private CardChannel channel;

  public SimCard(AlgorithmSuite suite, Pan pan, long quotaMinor, long limitMinor, long seed) {
    this(suite, pan, quotaMinor, limitMinor, seed, null);
  }

  /**
   * How the card's ODA data is made (docs/card-apdus.md §11): the issuer credentials that certify the
   * card, the ICC certificate's expiry, and whether the certificate names a key the card does not
   * hold (a clone with the real certificates and its own key).
   */
  public record Oda(OdaIssuing.IssuerCredentials issuer, YearMonth iccExpiry, boolean certifiesAnotherKey) {
    /** A genuine card of {@code issuer}, its certificate valid to 2030. */
    public static Oda genuine(OdaIssuing.IssuerCredentials issuer) {
      return new Oda(issuer, YearMonth.of(2030, 12), false);
    }
  }

  /** A card personalised with {@code oda} (null: no ODA, AIP 0800). */
  public SimCard(AlgorithmSuite suite, Pan pan, long quotaMinor, long limitMinor, long seed, Oda oda) {
    this.suite = suite;
    this.pan = pan;
    this.initialQuotaMinor = quotaMinor;
    Random random = new Random(seed);
    byte[] enc = bytes(random);
    byte[] mac = bytes(random);
    byte[] dek = bytes(random);
    acKey = bytes(random);
    byte[] macSubKey = bytes(random);
    simulator = new CardSimulator();
    byte[] aid = GateKernel.TRANSIT_AID;
    byte[] install = install(aid, concat(new byte[] {(byte) (suite == AlgorithmSuite.INTERNATIONAL ? 1 : 2), 0x20},
        new byte[10], enc, mac, dek));
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), TransitApplet.class, install, (short) 0,
        (byte) install.length);
    connect();
    personalise(new Scp02.StaticKeys(new SecretKeyBytes(enc), new SecretKeyBytes(mac), new SecretKeyBytes(dek)),
        macSubKey, quotaMinor, limitMinor, oda);
  }

  static SimCard standard(AlgorithmSuite suite, long seed) {
    return new SimCard(suite, Pan.withCheckDigit("621234567890123"), 5_000, 800, seed);
  }

  /** The channel a gate uses; it changes after {@link #reinsert()}. */
  public CardChannel channel() {
    return channel;
  }

  /** The card leaves the field and comes back: transient state is lost, as after a pulled card. */
  public void reinsert() {
    try {
      card.disconnect(true);
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not disconnect", e);
    }
    connect();
  }

  private void connect() {
    try {
      card = CardTerminalSimulator.terminal(simulator).connect("T=1");
      channel = new SmartcardioCardChannel(card.getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not connect", e);
    }
  }

  private void personalise(Scp02.StaticKeys keys, byte[] macSubKey, long quotaMinor, long limitMinor, Oda oda) {
    ok(channel.transmit(GateApdus.select(GateKernel.TRANSIT_AID)), "SELECT");
    OdaPublicKey generated = oda == null || suite == AlgorithmSuite.INTERNATIONAL ? null
        : new OdaPublicKey.Sm2(ok(channel.transmit(CommandApdu.parse(TransitOdaPersonalisation.GENERATE_ODA_KEY)),
            "GENERATE ODA KEY").data());
    byte[] hostChallenge = Hex.decode("0102030405060708");
    ResponseApdu init = ok(channel.transmit(new CommandApdu(0x80, 0x50, 0x00, 0x00, hostChallenge, 256)), "INIT UPDATE");
    byte[] r = init.data();
    int sequence = ((r[12] & 0xFF) << 8) | (r[13] & 0xFF);
    byte[] cardChallenge = Arrays.copyOfRange(r, 14, 20);
    Scp02.SessionKeys session = Scp02.sessionKeys(suite, keys, sequence);
    Scp02.CommandMac cmac = new Scp02.CommandMac(suite, session.cMac());
    byte[] hostCryptogram = Scp02.hostCryptogram(suite, session.sEnc(), hostChallenge, sequence, cardChallenge);
    ok(channel.transmit(CommandApdu.parse(cmac.wrap(new byte[] {(byte) 0x80, (byte) 0x82, 0x01, 0x00}, hostCryptogram))),
        "EXTERNAL AUTHENTICATE");
    byte[] keyData = suite.cardBlockCipher().encrypt(CipherMode.ECB, session.dek(), null, concat(acKey, macSubKey));
    storeData(cmac, 0x00, 0, dgi(0x8000, keyData));
    byte[] record = concat(Hex.decode("5A08"), Hex.decode(pan.digits()),
        Hex.decode("5F2403271231" + "5F3401" + String.format("%02d", PAN_SEQUENCE)));
    storeData(cmac, 0x00, 1, dgi(0x0101, record));
    if (oda != null) {
      personaliseOda(cmac, session.dek(), oda, generated);
    }
    byte[] appData = concat(Hex.decode("9F38"), new byte[] {(byte) PDOL.length}, PDOL, Hex.decode("9F7906"),
        Bcd.encodeAmount(quotaMinor), Hex.decode("DF6206"), Bcd.encodeAmount(limitMinor));
    storeData(cmac, 0x80, 2, dgi(0x9200, appData));
  }

  /**
   * The card's ODA key (RSA: made here as the issuer's HSM would; SM2: generated on the card) and
   * its certificate, in the blocks every personaliser takes from {@link TransitOdaPersonalisation}.
   */
  private void personaliseOda(Scp02.CommandMac cmac, SecretKeyBytes dek, Oda oda, OdaPublicKey generated) {
    List<byte[]> blocks = TransitOdaPersonalisation.blocks(suite, generated,
        part -> suite.cardBlockCipher().encrypt(CipherMode.ECB, dek, null, part), oda.issuer(),
        Hex.decode(pan.digits()), oda.iccExpiry(), held -> oda.certifiesAnotherKey() ? anotherKey() : held, ODA_RANDOM);
    for (int i = 0; i < blocks.size(); i++) {
      storeData(cmac, 0x00, 3 + i, blocks.get(i));
    }
  }

  private OdaPublicKey anotherKey() {
    return OdaIssuing.publicKey(OdaIssuing.newCardKeyPair(suite, TransitOdaPersonalisation.RSA_BITS, ODA_RANDOM)
        .getPublic());
  }

  private void storeData(Scp02.CommandMac cmac, int p1, int p2, byte[] data) {
    ok(channel.transmit(CommandApdu.parse(cmac.wrap(new byte[] {(byte) 0x80, (byte) 0xE2, (byte) p1, (byte) p2}, data))),
        "STORE DATA");
  }

  /** Quota (9F79) read with GET DATA. */
  long quotaMinor() {
    return amount(0x9F79);
  }

  /** Locked amount (DF63) read with GET DATA. */
  long lockedMinor() {
    return amount(0xDF63);
  }

  /** ATC of the card's transaction log record {@code n} (1 = newest), or -1 when absent. */
  int logAtc(int n) {
    reinsert();
    ok(channel.transmit(GateApdus.select(GateKernel.TRANSIT_AID)), "SELECT");
    ResponseApdu response = channel.transmit(new CommandApdu(0x00, 0xB2, n, (0x1E << 3) | 4, new byte[0], 256));
    if (response.sw() == 0x6A83) {
      return -1;
    }
    byte[] data = ok(response, "READ RECORD log").data();
    return ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
  }

  private long amount(int tag) {
    reinsert();
    ok(channel.transmit(GateApdus.select(GateKernel.TRANSIT_AID)), "SELECT");
    byte[] data = ok(channel.transmit(new CommandApdu(0x80, 0xCA, tag >> 8, tag & 0xFF, new byte[0], 256)),
        "GET DATA").data();
    return Bcd.decodeAmount(Arrays.copyOfRange(data, 3, 9));
  }

  /**
   * The issuer's check (docs/card-apdus.md §6): first 8 bytes of MAC(SK_AC(ATC), input), SK_AC the
   * EMV Book 2 A1.3 common session key; 3DES: ISO 9797-1 alg. 3, SM4: alg. 1 (PBOC), padding 2.
   */
  boolean tacValid(int atc, byte[] cryptogramInput, byte[] tac) {
    SecretKeyBytes master = new SecretKeyBytes(acKey);
    byte[] left = new byte[suite.cardBlockCipher().blockSizeBytes()];
    left[0] = (byte) (atc >>> 8);
    left[1] = (byte) atc;
    left[2] = (byte) 0xF0;
    byte[] sessionKey;
    if (suite == AlgorithmSuite.INTERNATIONAL) {
      byte[] right = left.clone();
      right[2] = 0x0F;
      sessionKey = concat(suite.cardBlockCipher().encryptBlock(master, left),
          suite.cardBlockCipher().encryptBlock(master, right));
    } else {
      sessionKey = suite.cardBlockCipher().encryptBlock(master, left);
    }
    SecretKeyBytes sk = new SecretKeyBytes(sessionKey);
    byte[] mac = suite == AlgorithmSuite.INTERNATIONAL
        ? MacAlgorithm.retailMac(sk, new byte[8], cryptogramInput, MacPadding.METHOD_2)
        : MacAlgorithm.pbocSm4Block(sk, null, cryptogramInput);
    return java.security.MessageDigest.isEqual(Arrays.copyOf(mac, 8), tac);
  }

  private static ResponseApdu ok(ResponseApdu response, String what) {
    if (response.sw() != 0x9000) {
      throw new IllegalStateException(what + " returned " + Integer.toHexString(response.sw()));
    }
    return response;
  }

  private static byte[] install(byte[] aid, byte[] data) {
    return concat(new byte[] {(byte) aid.length}, aid, new byte[] {0, (byte) data.length}, data);
  }

  private static byte[] dgi(int dgi, byte[] value) {
    return concat(new byte[] {(byte) (dgi >> 8), (byte) dgi, (byte) value.length}, value);
  }

  private static byte[] bytes(Random random) {
    byte[] out = new byte[16];
    random.nextBytes(out);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
