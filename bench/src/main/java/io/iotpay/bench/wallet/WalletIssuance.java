package io.iotpay.bench.wallet;

import io.iotpay.card.psam.PsamApplet;
import io.iotpay.card.wallet.WalletApplet;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.crypto.WalletRatingMac;
import io.iotpay.terminal.wallet.OutcomeList;
import io.iotpay.terminal.wallet.WalletApdus;
import java.nio.ByteBuffer;
import io.iotpay.issuer.gp.KeyHierarchy;
import java.security.KeyPair;
import java.util.List;
import java.security.SecureRandom;

/**
 * The scheme and the wallet issuer of one suite: their key pairs, and the personalisation of real
 * wallet and PSAM applets as docs/wallet-apdus.md §7 describes (install, GET PUBLIC KEY, the
 * certificate, the trusted keys, the TAC key derived from the issuer's wallet IMK, END
 * PERSONALISATION). It signs loads and outcomes, and MACs ratings, as the issuer.
 */
public final class WalletIssuance {
  /** ISO 4217 numeric of the demo's currency (CNY). */
  public static final int CURRENCY = 156;

  private final AlgorithmSuite suite;
  private final KeyPair schemeKeys;
  private final KeyPair issuerKeys;
  private final byte[] walletImk = new byte[16];

  /** Limits a wallet is personalised with (docs/wallet-apdus.md §3.1). */
  public record Limits(long purchaseMaxMinor, long balanceCapMinor, long allowanceMinor, int offlineCountMax,
      int rating) {}

  public WalletIssuance(AlgorithmSuite suite, SecureRandom random) {
    this.suite = suite;
    this.schemeKeys = suite.signature().generateKeyPair(random);
    this.issuerKeys = suite.signature().generateKeyPair(random);
    random.nextBytes(walletImk);
  }

  /**
   * The issuer's wallet IMK of this suite in the clear: the key ceremony's input to the issuer's
   * custody ({@code issuer.wallet.WalletIssuerKeys}); personalisation derives each card's TAC key from it.
   */
  public SecretKeyBytes walletImk() {
    return new SecretKeyBytes(walletImk);
  }

  /** The card's TAC key, as personalisation writes it (docs/wallet-apdus.md §3.1, STORE DATA 04). */
  public byte[] tacKey(byte[] cardId) {
    return EmvKeyDerivation.walletCardKey(suite, walletImk(), cardId).value();
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  public KeyPair issuerKeys() {
    return issuerKeys;
  }

  private byte suiteByte() {
    return (byte) (suite == AlgorithmSuite.INTERNATIONAL ? 1 : 2);
  }

  /** A personalised, locked wallet; its public key point ({@code 04‖X‖Y}) is in {@code keyOut}. */
  public SimulatedCard newWallet(byte[] cardId, Limits limits, byte[][] keyOut) {
    return newWallet(cardId, limits, keyOut, issuerKeys);
  }

  /**
   * A wallet that trusts {@code trustedIssuer} for loads and write-backs: another key than the
   * issuer's models a card personalised with a stale key, which refuses the issuer's write-backs.
   */
  public SimulatedCard newWallet(byte[] cardId, Limits limits, byte[][] keyOut, KeyPair trustedIssuer) {
    SimulatedCard card = new SimulatedCard();
    installWallet(card, cardId, limits, keyOut, trustedIssuer);
    return card;
  }

  /**
   * Installs a wallet on {@code card} beside whatever it holds and personalises it with plain STORE
   * DATA, locked; its public key point is in {@code keyOut}.
   */
  public void installWallet(SimulatedCard card, byte[] cardId, Limits limits, byte[][] keyOut, KeyPair trustedIssuer) {
    card.install(WalletApdus.WALLET_AID, WalletApplet.class, walletInstallData(cardId, limits));
    card.ok(WalletApdus.select(WalletApdus.WALLET_AID));
    byte[] cardKey = card.ok(new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256));
    keyOut[0] = cardKey;
    for (KeyHierarchy.StoreDataBlock block : walletPersonalisation(cardId, cardKey, trustedIssuer)) {
      card.ok(new CommandApdu(0x80, 0xE2, 0, block.tag(), block.value(), 0));
    }
    card.ok(new CommandApdu(0x80, 0xF0, 0, 0, new byte[0], 0));
  }

  /** The wallet applet's 25 install bytes (docs/wallet-apdus.md §7): suite, card id, currency, limits. */
  public byte[] walletInstallData(byte[] cardId, Limits limits) {
    return ByteBuffer.allocate(25).put(suiteByte()).put(cardId).putShort((short) CURRENCY)
        .putInt((int) limits.purchaseMaxMinor()).putInt((int) limits.balanceCapMinor())
        .putInt((int) limits.allowanceMinor()).put((byte) limits.offlineCountMax()).put((byte) limits.rating()).array();
  }

  /**
   * The wallet's personalisation values in STORE DATA order, whether written plainly (a plastic card
   * here) or through its security domain ({@code issuer.gp.KeyHierarchy.personalise}, a phone's SE):
   * the certificate over the card's own key, the scheme key, {@code trustedIssuer}'s key, the TAC key.
   */
  public List<KeyHierarchy.StoreDataBlock> walletPersonalisation(byte[] cardId, byte[] cardKey, KeyPair trustedIssuer) {
    return List.of(new KeyHierarchy.StoreDataBlock(1, certificate(0x02, cardId, cardKey, issuerKeys)),
        new KeyHierarchy.StoreDataBlock(2, point(schemeKeys)), new KeyHierarchy.StoreDataBlock(3, point(trustedIssuer)),
        new KeyHierarchy.StoreDataBlock(4, tacKey(cardId)));
  }

  /** A personalised, locked PSAM whose POS certificate the scheme signed. */
  public SimulatedCard newPsam(byte[] posId) {
    SimulatedCard psam = new SimulatedCard();
    installPsam(psam, posId);
    return psam;
  }

  /**
   * Installs the PSAM applet on {@code chip} beside whatever it holds (a phone's secure element) and
   * personalises it: its POS key made on the chip, certified by the scheme, the issuer's key; locked.
   */
  public void installPsam(SimulatedCard chip, byte[] posId) {
    chip.install(WalletApdus.PSAM_AID, PsamApplet.class, ByteBuffer.allocate(9).put(suiteByte()).put(posId).array());
    chip.ok(WalletApdus.select(WalletApdus.PSAM_AID));
    byte[] posKey = chip.ok(new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256));
    chip.ok(new CommandApdu(0x80, 0xE2, 0, 1, certificate(0x01, posId, posKey, schemeKeys), 0));
    chip.ok(new CommandApdu(0x80, 0xE2, 0, 3, point(issuerKeys), 0));
    chip.ok(new CommandApdu(0x80, 0xF0, 0, 0, new byte[0], 0));
  }

  private byte[] certificate(int format, byte[] id, byte[] key, KeyPair certifier) {
    byte[] body = ByteBuffer.allocate(75).put((byte) format).put(suiteByte()).put(id).put(key).array();
    byte[] signature = suite.signature().sign(certifier.getPrivate(), body);
    return ByteBuffer.allocate(body.length + signature.length).put(body).put(signature).array();
  }

  /** The issuer's load signature over {@code 51 ‖ card id ‖ load number ‖ amount ‖ currency}. */
  public byte[] signLoad(byte[] cardId, long loadNumber, long amountMinor, int currency) {
    byte[] input = ByteBuffer.allocate(19).put((byte) 0x51).put(cardId).putInt((int) loadNumber)
        .putInt((int) amountMinor).putShort((short) currency).array();
    return suite.signature().sign(issuerKeys.getPrivate(), input);
  }

  /** The issuer's outcome over {@code 41 ‖ card id ‖ pending counter ‖ pending amount ‖ outcome}. */
  public OutcomeList.SignedOutcome signOutcome(byte[] cardId, long pendingCounter, long pendingMinor, int outcome) {
    byte[] input = ByteBuffer.allocate(18).put((byte) 0x41).put(cardId).putInt((int) pendingCounter)
        .putInt((int) pendingMinor).put((byte) outcome).array();
    return new OutcomeList.SignedOutcome(pendingCounter, outcome, suite.signature().sign(issuerKeys.getPrivate(),
        input));
  }

  /**
   * The issuer's rating for the card's list (docs/wallet-apdus.md §3.8): the MAC over {@code 61 ‖ card
   * id ‖ version ‖ band ‖ allowance ‖ kinds ‖ currency} under the card key derived from the wallet
   * IMK, as the issuer's custody computes it ({@code WalletRatingMac}).
   */
  public OutcomeList.SignedRating macRating(byte[] cardId, long version, int band, long allowanceMinor, int kinds) {
    byte[] input = ByteBuffer.allocate(WalletRatingMac.INPUT_BYTES).put(WalletRatingMac.TAG_RATING).put(cardId)
        .putInt((int) version).put((byte) band).putInt((int) allowanceMinor).put((byte) kinds)
        .putShort((short) CURRENCY).array();
    return new OutcomeList.SignedRating(version, band, allowanceMinor, kinds,
        WalletRatingMac.mac(suite, new SecretKeyBytes(tacKey(cardId)), input));
  }

  private static byte[] point(KeyPair keys) {
    return ((org.bouncycastle.jce.interfaces.ECPublicKey) keys.getPublic()).getQ().getEncoded(false);
  }
}
