package io.iotpay.foundation.crypto;

import java.security.GeneralSecurityException;
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

/**
 * Signature schemes of the two suites: ECDSA on P-256 with SHA-256, and SM2 with SM3 (GB/T
 * 32918.2, default user id {@code 1234567812345678}). Signatures are DER-encoded (r, s).
 */
public enum SignatureAlgorithm {
  ECDSA_P256_SHA256("secp256r1", "SHA256withECDSA"),
  SM2_SM3("sm2p256v1", "SM3withSM2");

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
    try {
      Signature signature = Signature.getInstance(jcaName, Providers.BC);
      signature.initSign(key);
      return new Signer(signature);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(name() + ": key rejected for signing (" + e.getMessage() + ")", e);
    }
  }

  /** A reusable verifier bound to one key; initialised once, not thread-safe. */
  public Verifier newVerifier(PublicKey key) {
    try {
      Signature signature = Signature.getInstance(jcaName, Providers.BC);
      signature.initVerify(key);
      return new Verifier(signature);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(name() + ": key rejected for verifying (" + e.getMessage() + ")", e);
    }
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
