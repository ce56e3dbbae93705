package io.iotpay.foundation.crypto;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.agreement.SM2KeyExchange;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.SM2KeyExchangePrivateParameters;
import org.bouncycastle.crypto.params.SM2KeyExchangePublicParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.util.BigIntegers;

/**
 * Key agreement of the two suites: plain ECDH on P-256 (the shared secret is the x-coordinate,
 * SEC 1 §3.3.1, as RFC 5903 §8.1 shows it) and the SM2 key exchange protocol of GM/T 0003.3 /
 * GB/T 32918.3 §6 with its optional key confirmation.
 */
public enum KeyAgreementAlgorithm {
  ECDH_P256,
  SM2_KEY_EXCHANGE;

  /** Longest derived key the SM2 exchange will produce, in bytes. */
  public static final int KEY_BYTES_MAX = 64;

  /**
   * ECDH: the x-coordinate of {@code own · peer}, left-padded to the field size (32 bytes).
   *
   * @throws CryptoException when a key is not an EC key, the curves differ, or this is not ECDH
   */
  public byte[] ecdh(PrivateKey own, PublicKey peer) {
    if (this != ECDH_P256) {
      throw new CryptoException(name() + ": not a one-pass ECDH; use the SM2 exchange methods");
    }
    ECPrivateKeyParameters ownParameters = privateParameters(own);
    ECPublicKeyParameters peerParameters = publicParameters(peer);
    if (!ownParameters.getParameters().getCurve().equals(peerParameters.getParameters().getCurve())) {
      throw new CryptoException("ECDH: keys are on different curves");
    }
    ECDHBasicAgreement agreement = new ECDHBasicAgreement();
    agreement.init(ownParameters);
    BigInteger x = agreement.calculateAgreement(peerParameters);
    return BigIntegers.asUnsignedByteArray(agreement.getFieldSize(), x);
  }

  /** One side's keys in the SM2 exchange: static and ephemeral pairs and its identity. */
  public record Sm2Party(PrivateKey staticPrivate, PrivateKey ephemeralPrivate, byte[] userId) {
    /** @throws CryptoException when a key is missing or the user id is missing or too long */
    public Sm2Party {
      checkUserId(userId);
      if (staticPrivate == null || ephemeralPrivate == null) {
        throw new CryptoException("SM2 exchange: own static and ephemeral private keys are required");
      }
      userId = userId.clone();
    }
  }

  /** The other side: its static and ephemeral public keys (R) and its identity. */
  public record Sm2Peer(PublicKey staticPublic, PublicKey ephemeralPublic, byte[] userId) {
    /** @throws CryptoException when a key is missing or the user id is missing or too long */
    public Sm2Peer {
      checkUserId(userId);
      if (staticPublic == null || ephemeralPublic == null) {
        throw new CryptoException("SM2 exchange: peer static and ephemeral public keys are required");
      }
      userId = userId.clone();
    }
  }

  /**
   * What the responder (user B) derives: the key, its confirmation tag S_B to send to A, and the
   * tag S_2 that A's S_A must equal.
   */
  public record Sm2ResponderResult(byte[] key, byte[] responderTag, byte[] expectedInitiatorTag) {
    /** True when the initiator's tag confirms the same key; constant-time. */
    public boolean confirmsInitiator(byte[] initiatorTag) {
      return MessageDigest.isEqual(expectedInitiatorTag, initiatorTag);
    }
  }

  /** What the initiator (user A) derives after checking S_B: the key and its tag S_A for B. */
  public record Sm2InitiatorResult(byte[] key, byte[] initiatorTag) {}

  /**
   * SM2 exchange, responder side (GB/T 32918.3 §6.1 steps B1–B9).
   *
   * @throws CryptoException for unusable keys or lengths
   */
  public static Sm2ResponderResult sm2Responder(Sm2Party self, Sm2Peer initiator, int keyLengthBytes) {
    SM2KeyExchange exchange = initialised(false, self);
    byte[][] values = exchange.calculateKeyWithConfirmation(bits(keyLengthBytes), null, peer(initiator));
    return new Sm2ResponderResult(values[0], values[1], values[2]);
  }

  /**
   * SM2 exchange, initiator side (steps A1–A10), checking the responder's tag S_B.
   *
   * @throws CryptoException when S_B does not confirm the key, or for unusable keys
   */
  public static Sm2InitiatorResult sm2Initiator(
      Sm2Party self, Sm2Peer responder, byte[] responderTag, int keyLengthBytes) {
    if (responderTag == null) {
      throw new CryptoException("SM2 exchange: the responder's confirmation tag S_B is required");
    }
    SM2KeyExchange exchange = initialised(true, self);
    try {
      byte[][] values = exchange.calculateKeyWithConfirmation(bits(keyLengthBytes), responderTag, peer(responder));
      return new Sm2InitiatorResult(values[0], values[1]);
    } catch (IllegalStateException e) {
      // BouncyCastle reports a tag mismatch this way; for us it is rejected input.
      throw new CryptoException("SM2 exchange: responder's confirmation tag S_B does not match", e);
    }
  }

  /**
   * SM2 exchange without confirmation: the shared key only (both sides call it, {@code initiator}
   * says which role this side plays).
   *
   * @throws CryptoException for unusable keys or lengths
   */
  public static byte[] sm2Key(boolean initiator, Sm2Party self, Sm2Peer peer, int keyLengthBytes) {
    return initialised(initiator, self).calculateKey(bits(keyLengthBytes), peer(peer));
  }

  private static SM2KeyExchange initialised(boolean initiator, Sm2Party self) {
    SM2KeyExchange exchange = new SM2KeyExchange();
    exchange.init(
        new ParametersWithID(
            new SM2KeyExchangePrivateParameters(
                initiator, privateParameters(self.staticPrivate()), privateParameters(self.ephemeralPrivate())),
            self.userId()));
    return exchange;
  }

  private static ParametersWithID peer(Sm2Peer peer) {
    return new ParametersWithID(
        new SM2KeyExchangePublicParameters(
            publicParameters(peer.staticPublic()), publicParameters(peer.ephemeralPublic())),
        peer.userId());
  }

  private static int bits(int keyLengthBytes) {
    if (keyLengthBytes < 1 || keyLengthBytes > KEY_BYTES_MAX) {
      throw new CryptoException("SM2 exchange: key length " + keyLengthBytes + " bytes, expected 1.." + KEY_BYTES_MAX);
    }
    return keyLengthBytes * 8;
  }

  private static void checkUserId(byte[] userId) {
    if (userId == null || userId.length == 0) {
      throw new CryptoException("SM2 exchange: user id is required");
    }
    if (userId.length > SignatureAlgorithm.USER_ID_BYTES_MAX) {
      throw new CryptoException("SM2 exchange: user id of " + userId.length + " bytes is too long");
    }
  }

  static ECPrivateKeyParameters privateParameters(PrivateKey key) {
    if (key == null) {
      throw new CryptoException("EC private key is missing");
    }
    try {
      return (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(key);
    } catch (InvalidKeyException | ClassCastException e) {
      throw new CryptoException("not an EC private key", e);
    }
  }

  static ECPublicKeyParameters publicParameters(PublicKey key) {
    if (key == null) {
      throw new CryptoException("EC public key is missing");
    }
    try {
      return (ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(key);
    } catch (InvalidKeyException | ClassCastException e) {
      throw new CryptoException("not an EC public key", e);
    }
  }
}
