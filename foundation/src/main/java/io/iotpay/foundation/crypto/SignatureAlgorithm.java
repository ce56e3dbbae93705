package io.iotpay.foundation.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;

/**
 * Signature schemes of the two suites: ECDSA on P-256 with SHA-256, and SM2 with SM3 (GB/T
 * 32918.2, default user id {@code 1234567812345678}). Signatures are DER-encoded (r, s).
 */
public enum SignatureAlgorithm {
  ECDSA_P256_SHA256("secp256r1", "SHA256withECDSA"),
  SM2_SM3("sm2p256v1", "SM3withSM2");

  /** The SM2 user id GB/T 32918.2 / GM/T 0009 use when the parties agreed on none. */
  public static final String DEFAULT_SM2_USER_ID = "1234567812345678";

  /** Longest accepted SM2 user id: ENTL is a 16-bit count of bits (GB/T 32918.2 §5.5). */
  public static final int USER_ID_BYTES_MAX = 8191;

  private final String curveName;
  private final String jcaName;

  SignatureAlgorithm(String curveName, String jcaName) {
    this.curveName = curveName;
    this.jcaName = jcaName;
  }

  /** The named curve ({@code secp256r1} or {@code sm2p256v1}). */
  public String curveName() {
    return curveName;
  }

  /** A new key pair on this scheme's curve. */
  public KeyPair generateKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.BC);
      generator.initialize(new ECGenParameterSpec(curveName), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC key generation unavailable for " + curveName, e);
    }
  }

  /** Signs {@code data} with the default user id (SM2) or plain (ECDSA). */
  public byte[] sign(PrivateKey key, byte[] data) {
    return newSigner(key).sign(data);
  }

  /** True when {@code signature} is a valid signature of {@code data}; false for any malformed one. */
  public boolean verify(PublicKey key, byte[] data, byte[] signature) {
    return newVerifier(key).verify(data, signature);
  }

  /** A reusable signer bound to one key; initialised once, not thread-safe. */
  public Signer newSigner(PrivateKey key) {
    return newSigner(key, null, null);
  }

  /**
   * A reusable signer bound to one key and (SM2 only) one user id.
   *
   * @param userId the SM2 user id bytes; null means {@link #DEFAULT_SM2_USER_ID}; must be null for
   *     ECDSA
   * @param random source of the per-signature nonce; null means a fresh {@link SecureRandom}
   * @throws CryptoException when the key does not fit or a user id is given to ECDSA
   */
  public Signer newSigner(PrivateKey key, byte[] userId, SecureRandom random) {
    try {
      Signature signature = newJcaSignature(userId);
      signature.initSign(key, random == null ? new SecureRandom() : random);
      return new Signer(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CryptoException(name() + ": key rejected for signing (" + e.getMessage() + ")", e);
    }
  }

  /** A reusable verifier bound to one key; initialised once, not thread-safe. */
  public Verifier newVerifier(PublicKey key) {
    return newVerifier(key, null);
  }

  /**
   * A reusable verifier bound to one key and (SM2 only) one user id.
   *
   * @param userId as {@link #newSigner(PrivateKey, byte[], SecureRandom)}
   * @throws CryptoException when the key does not fit or a user id is given to ECDSA
   */
  public Verifier newVerifier(PublicKey key, byte[] userId) {
    try {
      Signature signature = newJcaSignature(userId);
      signature.initVerify(key);
      return new Verifier(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CryptoException(name() + ": key rejected for verifying (" + e.getMessage() + ")", e);
    }
  }

  /** Signs {@code data} with an explicit SM2 user id (null: the default one). */
  public byte[] sign(PrivateKey key, byte[] data, byte[] userId) {
    return newSigner(key, userId, null).sign(data);
  }

  /** Verifies with an explicit SM2 user id (null: the default one); false for any malformed signature. */
  public boolean verify(PublicKey key, byte[] data, byte[] signature, byte[] userId) {
    return newVerifier(key, userId).verify(data, signature);
  }

  /**
   * ECDSA with the nonce derived from key and message as RFC 6979 §3.2 specifies (HMAC-SHA-256),
   * so the same input always gives the same signature: used where a re-signed checkpoint must be
   * byte-identical. DER-encoded (r, s).
   *
   * @throws CryptoException for SM2, which has no deterministic mode in GB/T 32918
   */
  public byte[] signDeterministic(PrivateKey key, byte[] data) {
    return switch (this) {
      case ECDSA_P256_SHA256 -> {
        try {
          ECPrivateKeyParameters parameters = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(key);
          ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
          signer.init(true, parameters);
          byte[] hash = DigestAlgorithm.SHA_256.digest(data);
          BigInteger[] rs = signer.generateSignature(hash);
          yield StandardDSAEncoding.INSTANCE.encode(parameters.getParameters().getN(), rs[0], rs[1]);
        } catch (InvalidKeyException | IOException | ClassCastException e) {
          throw new CryptoException(name() + ": key rejected for deterministic signing", e);
        }
      }
      case SM2_SM3 -> throw new CryptoException("SM2_SM3: GB/T 32918 defines no deterministic signature");
    };
  }

  private Signature newJcaSignature(byte[] userId) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(jcaName, Providers.BC);
    switch (this) {
      case ECDSA_P256_SHA256 -> {
        if (userId != null) {
          throw new CryptoException("ECDSA_P256_SHA256: takes no user id (only SM2 does)");
        }
      }
      case SM2_SM3 -> {
        byte[] id = userId == null ? DEFAULT_SM2_USER_ID.getBytes(StandardCharsets.US_ASCII) : userId;
        if (id.length > USER_ID_BYTES_MAX) {
          throw new CryptoException("SM2_SM3: user id of " + id.length + " bytes exceeds " + USER_ID_BYTES_MAX);
        }
        // Set before init: BouncyCastle binds the id (and so Z_A) when the key is bound.
        signature.setParameter(new SM2ParameterSpec(id));
      }
    }
    return signature;
  }

  /** The public key from its X.509 SubjectPublicKeyInfo DER encoding. */
  public PublicKey publicKeyFromDer(byte[] der) {
    try {
      return KeyFactory.getInstance("EC", Providers.BC).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CryptoException(name() + ": not an EC public key in X.509 DER", e);
    }
  }

  /** The private key from its PKCS#8 DER encoding. */
  public PrivateKey privateKeyFromDer(byte[] der) {
    try {
      return KeyFactory.getInstance("EC", Providers.BC).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CryptoException(name() + ": not an EC private key in PKCS#8 DER", e);
    }
  }

  /** Signs with one initialised key. */
  public static final class Signer {
    private final Signature signature;

    private Signer(Signature signature) {
      this.signature = signature;
    }

    public byte[] sign(byte[] data) {
      try {
        signature.update(data);
        return signature.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("signing failed", e);
      }
    }
  }

  /** Verifies with one initialised key. */
  public static final class Verifier {
    private final Signature signature;

    private Verifier(Signature signature) {
      this.signature = signature;
    }

    public boolean verify(byte[] data, byte[] signatureBytes) {
      try {
        signature.update(data);
        return signature.verify(signatureBytes);
      } catch (GeneralSecurityException | RuntimeException e) {
        // A malformed signature is an invalid one; the caller wanted a yes/no answer.
        return false;
      }
    }
  }
}
