package io.iotpay.bench.tap;

import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaPublicKey;
import io.iotpay.protocol.transit.TransitOdaPersonalisation;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.List;
import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.transit.TransitApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.Bytes;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CipherMode;
import io.iotpay.foundation.crypto.Scp02;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;
import io.iotpay.terminal.gate.GateKernel;
import java.util.Arrays;
import java.util.Random;
import javacard.framework.AID;
import javax.smartcardio.CardException;

/**
 * The benchmark's own card: the real transit applet in jCardSim, installed and personalised over
 * SCP02 as the issuer does (docs/card-apdus.md §2, §7) with keys from a seed, reached through
 * {@link SmartcardioCardChannel} like a PC/SC reader. The benchmark's fixture, so the bench needs
 * no other module's test classes; the transit demo also makes its counterfeit cards with it.
 */
public final class BenchCard {
  private static final byte[] PDOL = Hex.decode("9F02065F2A029A039F3704DF6001");
  private static final int PAN_SEQUENCE = 1;
  private static final int KVN = 0x20;
  private static final SecureRandom ODA_RANDOM = new SecureRandom();

  private final AlgorithmSuite suite;
  private final CardChannel channel;

  /**
   * @param quotaMinor the quota put on the card (9F79)
   * @param limitMinor the card's maximum fare (DF62)
   * @throws IllegalStateException when the simulated card refuses a step
   */
  BenchCard(AlgorithmSuite suite, Pan pan, long quotaMinor, long limitMinor, long seed) {
    this(suite, pan, quotaMinor, limitMinor, seed, null);
  }

  /**
   * How the card's ODA data is made (docs/card-apdus.md §11): the issuer credentials that certify the
   * card, the ICC certificate's expiry, and whether the certificate names a key the card does not
   * hold (a clone with real-looking certificates and its own key).
   *
   * @param issuer ODA issuer credentials, not null
   * @param iccExpiry the card certificate's last month, not null
   * @param certifiesAnotherKey true for a card whose certificate names a key it does not hold
   */
  public record Oda(OdaIssuing.IssuerCredentials issuer, YearMonth iccExpiry, boolean certifiesAnotherKey) {}

  /**
   * A card personalised with offline data authentication as {@code oda} says (null: none).
   *
   * @throws IllegalStateException when the simulated card refuses a step
   */
  public BenchCard(AlgorithmSuite suite, Pan pan, long quotaMinor, long limitMinor, long seed, Oda oda) {
    this.suite = suite;
    Random random = new Random(seed);
    Scp02.StaticKeys keys = new Scp02.StaticKeys(key(random), key(random), key(random));
    byte[] acKey = key(random).value();
    byte[] macSubKey = key(random).value();
    CardSimulator simulator = new CardSimulator();
    byte[] aid = GateKernel.TRANSIT_AID;
    byte[] parameters = Bytes.concat(new byte[] {(byte) (suite == AlgorithmSuite.INTERNATIONAL ? 1 : 2), (byte) KVN},
        new byte[10], keys.enc().value(), keys.mac().value(), keys.dek().value());
    byte[] install = Bytes.concat(new byte[] {(byte) aid.length}, aid, new byte[] {0, (byte) parameters.length},
        parameters);
    simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), TransitApplet.class, install, (short) 0,
        (byte) install.length);
    try {
      channel = new SmartcardioCardChannel(CardTerminalSimulator.terminal(simulator).connect("T=1").getBasicChannel());
    } catch (CardException e) {
      throw new IllegalStateException("simulated card did not connect", e);
    }
    personalise(keys, pan, Bytes.concat(acKey, macSubKey), quotaMinor, limitMinor, oda);
  }

  /** The channel a gate taps. */
  public CardChannel channel() {
    return channel;
  }

  private void personalise(Scp02.StaticKeys keys, Pan pan, byte[] cardKeys, long quotaMinor, long limitMinor,
      Oda oda) {
    ok(channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, GateKernel.TRANSIT_AID, 256)), "SELECT");
    OdaPublicKey generated = oda == null || suite == AlgorithmSuite.INTERNATIONAL ? null
        : new OdaPublicKey.Sm2(ok(channel.transmit(CommandApdu.parse(TransitOdaPersonalisation.GENERATE_ODA_KEY)),
            "GENERATE ODA KEY").data());
    byte[] hostChallenge = Hex.decode("0102030405060708");
    byte[] init = ok(channel.transmit(new CommandApdu(0x80, 0x50, 0x00, 0x00, hostChallenge, 256)), "INIT UPDATE")
        .data();
    int sequence = ((init[12] & 0xFF) << 8) | (init[13] & 0xFF);
    byte[] cardChallenge = Arrays.copyOfRange(init, 14, 20);
    Scp02.SessionKeys session = Scp02.sessionKeys(suite, keys, sequence);
    Scp02.CommandMac cmac = new Scp02.CommandMac(suite, session.cMac());
    byte[] hostCryptogram = Scp02.hostCryptogram(suite, session.sEnc(), hostChallenge, sequence, cardChallenge);
    send(cmac, new byte[] {(byte) 0x80, (byte) 0x82, 0x01, 0x00}, hostCryptogram, "EXTERNAL AUTHENTICATE");
    byte[] keyBlock = suite.cardBlockCipher().encrypt(CipherMode.ECB, session.dek(), null, cardKeys);
    storeData(cmac, 0x00, 0, 0x8000, keyBlock);
    storeData(cmac, 0x00, 1, 0x0101, Bytes.concat(Hex.decode("5A08"), Hex.decode(pan.digits()),
        Hex.decode("5F2403271231" + "5F3401" + String.format("%02d", PAN_SEQUENCE))));
    if (oda != null) {
      List<byte[]> blocks = odaBlocks(session.dek(), pan, oda, generated);
      for (int i = 0; i < blocks.size(); i++) {
        send(cmac, new byte[] {(byte) 0x80, (byte) 0xE2, 0x00, (byte) (3 + i)}, blocks.get(i), "STORE DATA (ODA)");
      }
    }
    storeData(cmac, 0x80, 2, 0x9200, Bytes.concat(Hex.decode("9F38"), new byte[] {(byte) PDOL.length}, PDOL,
        Hex.decode("9F7906"), Bcd.encodeAmount(quotaMinor), Hex.decode("DF6206"), Bcd.encodeAmount(limitMinor)));
  }

  /** The ODA blocks every personaliser takes from {@link TransitOdaPersonalisation}. */
  private List<byte[]> odaBlocks(SecretKeyBytes dek, Pan pan, Oda oda, OdaPublicKey generated) {
    return TransitOdaPersonalisation.blocks(suite, generated,
        part -> suite.cardBlockCipher().encrypt(CipherMode.ECB, dek, null, part), oda.issuer(),
        Hex.decode(pan.digits()), oda.iccExpiry(), held -> oda.certifiesAnotherKey() ? anotherKey() : held, ODA_RANDOM);
  }

  private OdaPublicKey anotherKey() {
    return OdaIssuing.publicKey(OdaIssuing.newCardKeyPair(suite, TransitOdaPersonalisation.RSA_BITS, ODA_RANDOM)
        .getPublic());
  }

  private void storeData(Scp02.CommandMac cmac, int p1, int block, int dgi, byte[] value) {
    byte[] data = Bytes.concat(new byte[] {(byte) (dgi >> 8), (byte) dgi, (byte) value.length}, value);
    send(cmac, new byte[] {(byte) 0x80, (byte) 0xE2, (byte) p1, (byte) block}, data, "STORE DATA");
  }

  private void send(Scp02.CommandMac cmac, byte[] header, byte[] data, String what) {
    ok(channel.transmit(CommandApdu.parse(cmac.wrap(header, data))), what);
  }

  private static ResponseApdu ok(ResponseApdu response, String what) {
    if (response.sw() != 0x9000) {
      throw new IllegalStateException(what + " returned " + Integer.toHexString(response.sw()));
    }
    return response;
  }

  private static SecretKeyBytes key(Random random) {
    byte[] out = new byte[16];
    random.nextBytes(out);
    return new SecretKeyBytes(out);
  }
}
