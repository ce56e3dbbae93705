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
import java.security.KeyPair;
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
    byte[] install = ByteBuffer.allocate(25).put(suiteByte()).put(cardId).putShort((short) CURRENCY)
        .putInt((int) limits.purchaseMaxMinor()).putInt((int) limits.balanceCapMinor())
        .putInt((int) limits.allowanceMinor()).put((byte) limits.offlineCountMax()).put((byte) limits.rating()).array();
    SimulatedCard card = new SimulatedCard(WalletApdus.WALLET_AID, WalletApplet.class, install);
    card.ok(WalletApdus.select(WalletApdus.WALLET_AID));
    byte[] cardKey = card.ok(new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256));
    keyOut[0] = cardKey;
    card.ok(new CommandApdu(0x80, 0xE2, 0, 1, certificate(0x02, cardId, cardKey, issuerKeys), 0));
    card.ok(new CommandApdu(0x80, 0xE2, 0, 2, point(schemeKeys), 0));
    card.ok(new CommandApdu(0x80, 0xE2, 0, 3, point(trustedIssuer), 0));
    card.ok(new CommandApdu(0x80, 0xE2, 0, 4, tacKey(cardId), 0));
    card.ok(new CommandApdu(0x80, 0xF0, 0, 0, new byte[0], 0));
    return card;
  }

  /** A personalised, locked PSAM whose POS certificate the scheme signed. */
  public SimulatedCard newPsam(byte[] posId) {
    byte[] install = ByteBuffer.allocate(9).put(suiteByte()).put(posId).array();
    SimulatedCard psam = new SimulatedCard(WalletApdus.PSAM_AID, PsamApplet.class, install);
    psam.ok(WalletApdus.select(WalletApdus.PSAM_AID));
    byte[] posKey = psam.ok(new CommandApdu(0x80, 0x4A, 0, 0, new byte[0], 256));
    psam.ok(new CommandApdu(0x80, 0xE2, 0, 1, certificate(0x01, posId, posKey, schemeKeys), 0));
    psam.ok(new CommandApdu(0x80, 0xE2, 0, 3, point(issuerKeys), 0));
    psam.ok(new CommandApdu(0x80, 0xF0, 0, 0, new byte[0], 0));
    return psam;
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
