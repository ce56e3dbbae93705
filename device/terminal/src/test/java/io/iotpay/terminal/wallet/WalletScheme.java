package io.iotpay.terminal.wallet;

import com.licel.jcardsim.smartcardio.CardSimulator;
import com.licel.jcardsim.smartcardio.CardTerminalSimulator;
import io.iotpay.card.psam.PsamApplet;
import io.iotpay.card.wallet.WalletApplet;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.SmartcardioCardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.crypto.WalletRatingMac;
import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import javacard.framework.AID;
import javax.smartcardio.CardException;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * A scheme and an issuer of one suite, with host key pairs (BouncyCastle), that install and
 * personalise real wallet and PSAM applets in jCardSim as docs/wallet-apdus.md §7 describes, and sign
 * certificates, loads and outcomes. Independent of the kernel: it rebuilds every signature input.
 */
final class WalletScheme {
  static final int CNY = 156;
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  static {
    // jCardSim's RandomData is a fixed-seed generator unless told to seed from SecureRandom; a real
    // card has a TRNG. Key pairs, nonces and challenges must not repeat between simulated cards
    // (the clone test installs a second card with the same card id).
    System.setProperty("com.licel.jcardsim.randomdata.secure", "1");
  }

  final AlgorithmSuite suite;
  final KeyPair schemeKeys;
  final KeyPair issuerKeys;
  /** The issuer's wallet IMK: each card's TAC key is derived from it over the card id. */
  final byte[] walletImk = new byte[16];

  WalletScheme(AlgorithmSuite suite, long seed) {
    this.suite = suite;
    SecureRandom random = new SecureRandom(ByteBuffer.allocate(8).putLong(seed).array());
    schemeKeys = suite.signature().generateKeyPair(random);
    issuerKeys = suite.signature().generateKeyPair(random);
    random.nextBytes(walletImk);
  }

  byte suiteByte() {
    return (byte) (suite == AlgorithmSuite.INTERNATIONAL ? 1 : 2);
  }

  /** Limits a wallet is personalised with. */
  record Limits(long purchaseMaxMinor, long balanceCapMinor, long allowanceMinor, int offlineCountMax, int rating) {
    static Limits standard() {
      return new Limits(5_000, 20_000, 3_000, 5, 3);
    }
  }

  /** A card in the simulator; {@link #reinsert()} models the next tap (transient state lost). */
  static final class Sim {
    final CardSimulator simulator = new CardSimulator();
    final byte[] aid;
    private javax.smartcardio.Card card;
    private CardChannel channel;

    Sim(byte[] aid, Class<? extends javacard.framework.Applet> applet, byte[] installData) {
      this.aid = aid;
      byte[] install = WalletApdus.concat(new byte[] {(byte) aid.length}, aid,
          new byte[] {0, (byte) installData.length}, installData);
      simulator.installApplet(new AID(aid, (short) 0, (byte) aid.length), applet, install, (short) 0,
          (byte) install.length);
      reinsert();
    }

    CardChannel channel() {
      return channel;
    }

    void reinsert() {
      try {
        if (card != null) {
          card.disconnect(true);
        }
        card = CardTerminalSimulator.terminal(simulator).connect("T=1");
        channel = new SmartcardioCardChannel(card.getBasicChannel());
      } catch (CardException e) {
        throw new IllegalStateException("simulated card did not connect", e);
      }
    }

    ResponseApdu send(CommandApdu command) {
      return channel.transmit(command);
    }

    byte[] ok(CommandApdu command) {
      ResponseApdu r = channel.transmit(command);
      if (!r.isOk()) {
        throw new IllegalStateException("card answered " + Integer.toHexString(r.sw()) + " to " + command);
      }
      return r.data();
    }
  }

  /** A personalised, locked wallet with this scheme's keys and an issuer-signed certificate. */
  Sim newWallet(byte[] cardId, Limits limits) {
    return newWallet(cardId, limits, issuerKeys, schemeKeys);
  }

  /** A wallet with its own fresh key but a given certificate: a clone built from another card's data. */
  Sim newClone(byte[] cardId, Limits limits, byte[] copiedCertificate) {
    return personalise(cardId, limits, key -> copiedCertificate, schemeKeys);
  }

  /** A wallet whose certificate is signed by {@code certifier} and which trusts {@code trustedScheme}. */
  Sim newWallet(byte[] cardId, Limits limits, KeyPair certifier, KeyPair trustedScheme) {
    return personalise(cardId, limits, key -> certificate(0x02, cardId, key, certifier), trustedScheme);
  }

  /** A wallet given its certificate and both public keys but not yet its TAC key, still personalising. */
  Sim newWalletWithoutTacKey(byte[] cardId, Limits limits) {
    Sim sim = install(cardId, limits);
    byte[] cardKey = sim.ok(new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256));
    sim.ok(new CommandApdu(0x80, 0xE2, 0, 1, certificate(0x02, cardId, cardKey, issuerKeys), 0));
    sim.ok(new CommandApdu(0x80, 0xE2, 0, 2, point(schemeKeys.getPublic()), 0));
    sim.ok(new CommandApdu(0x80, 0xE2, 0, 3, point(issuerKeys.getPublic()), 0));
    return sim;
  }

  private Sim install(byte[] cardId, Limits limits) {
    byte[] install = ByteBuffer.allocate(25).put(suiteByte()).put(cardId).putShort((short) CNY)
        .putInt((int) limits.purchaseMaxMinor()).putInt((int) limits.balanceCapMinor())
        .putInt((int) limits.allowanceMinor()).put((byte) limits.offlineCountMax()).put((byte) limits.rating()).array();
    Sim sim = new Sim(WalletApdus.WALLET_AID, WalletApplet.class, install);
    sim.ok(WalletApdus.select(WalletApdus.WALLET_AID));
    return sim;
  }

  private Sim personalise(byte[] cardId, Limits limits, java.util.function.UnaryOperator<byte[]> certify,
      KeyPair trustedScheme) {
    Sim sim = install(cardId, limits);
    byte[] cardKey = sim.ok(new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256));
    sim.ok(new CommandApdu(0x80, 0xE2, 0, 1, certify.apply(cardKey), 0));
    sim.ok(new CommandApdu(0x80, 0xE2, 0, 2, point(trustedScheme.getPublic()), 0));
    sim.ok(new CommandApdu(0x80, 0xE2, 0, 3, point(issuerKeys.getPublic()), 0));
    sim.ok(new CommandApdu(0x80, 0xE2, 0, 4, tacKey(cardId), 0));
    sim.ok(new CommandApdu(0x80, 0xF0, 0, 0, new byte[0], 0));
    return sim;
  }

  /** The card's TAC key as the issuer derives it from its wallet IMK (docs/wallet-apdus.md §3.1). */
  byte[] tacKey(byte[] cardId) {
    return EmvKeyDerivation.walletCardKey(suite, new SecretKeyBytes(walletImk), cardId).value();
  }

  /** A personalised, locked PSAM whose POS certificate is signed by the scheme. */
  Sim newPsam(byte[] posId) {
    return newPsam(posId, schemeKeys);
  }

  /** A PSAM whose POS certificate is signed by {@code certifier} (a rogue or foreign scheme). */
  Sim newPsam(byte[] posId, KeyPair certifier) {
    byte[] install = ByteBuffer.allocate(9).put(suiteByte()).put(posId).array();
    Sim sim = new Sim(WalletApdus.PSAM_AID, PsamApplet.class, install);
    sim.ok(WalletApdus.select(WalletApdus.PSAM_AID));
    byte[] posKey = sim.ok(new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256));
    sim.ok(new CommandApdu(0x80, 0xE2, 0, 1, certificate(0x01, posId, posKey, certifier), 0));
    sim.ok(new CommandApdu(0x80, 0xE2, 0, 3, point(issuerKeys.getPublic()), 0));
    sim.ok(new CommandApdu(0x80, 0xF0, 0, 0, new byte[0], 0));
    return sim;
  }

  /** format || suite || id || key || signature over the first 75 bytes. */
  byte[] certificate(int format, byte[] id, byte[] key, KeyPair certifier) {
    byte[] body = WalletApdus.concat(new byte[] {(byte) format, suiteByte()}, id, key);
    return WalletApdus.concat(body, suite.signature().sign(certifier.getPrivate(), body));
  }

  /** The issuer's load signature over 51 || card id || load number || amount || currency. */
  byte[] signLoad(byte[] cardId, long loadNumber, long amountMinor, int currency) {
    byte[] input = ByteBuffer.allocate(19).put((byte) 0x51).put(cardId).putInt((int) loadNumber)
        .putInt((int) amountMinor).putShort((short) currency).array();
    return suite.signature().sign(issuerKeys.getPrivate(), input);
  }

  /** The issuer's outcome signature over 41 || card id || pending counter || pending amount || outcome. */
  OutcomeList.SignedOutcome signOutcome(byte[] cardId, long pendingCounter, long pendingMinor, int outcome,
      KeyPair signer) {
    byte[] input = ByteBuffer.allocate(18).put((byte) 0x41).put(cardId).putInt((int) pendingCounter)
        .putInt((int) pendingMinor).put((byte) outcome).array();
    return new OutcomeList.SignedOutcome(pendingCounter, outcome, suite.signature().sign(signer.getPrivate(), input));
  }

  /**
   * The issuer's rating MAC over 61 || card id || version || band || allowance || kinds || currency,
   * under the rating session key of the card key that {@code imk} derives for {@code cardId}
   * (this issuer's wallet IMK, or a forger's): {@code WalletRatingMac}, as the issuer's custody
   * computes it.
   */
  OutcomeList.SignedRating macRating(byte[] cardId, long version, int band, long allowanceMinor, int kinds,
      byte[] imk) {
    SecretKeyBytes cardKey = EmvKeyDerivation.walletCardKey(suite, new SecretKeyBytes(imk), cardId);
    return new OutcomeList.SignedRating(version, band, allowanceMinor, kinds,
        WalletRatingMac.mac(suite, cardKey, ratingInput(0x61, cardId, version, band, allowanceMinor, kinds)));
  }

  /** A rating input: tag 61 (the issuer's MAC) or 71 (the card's confirmation MAC). */
  static byte[] ratingInput(int tag, byte[] cardId, long version, int band, long allowanceMinor, int kinds) {
    return ByteBuffer.allocate(21).put((byte) tag).put(cardId).putInt((int) version).put((byte) band)
        .putInt((int) allowanceMinor).put((byte) kinds).putShort((short) CNY).array();
  }

  /** The card public key from its certificate (bytes 10..75), as a host key. */
  PublicKey cardKey(byte[] certificate) {
    return publicKey(Arrays.copyOfRange(certificate, 10, 75));
  }

  PublicKey publicKey(byte[] point) {
    try {
      ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec(suite.signature().curveName());
      return KeyFactory.getInstance("EC", BC).generatePublic(new ECPublicKeySpec(spec.getCurve().decodePoint(point), spec));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] point(PublicKey key) {
    return ((org.bouncycastle.jce.interfaces.ECPublicKey) key).getQ().getEncoded(false);
  }

  static byte[] id(String hex16) {
    return io.iotpay.foundation.codec.Hex.decode(hex16);
  }
}
