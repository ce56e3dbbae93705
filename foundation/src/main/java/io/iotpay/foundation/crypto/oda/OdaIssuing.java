package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SignatureAlgorithm;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.YearMonth;
import javax.crypto.Cipher;

/**
 * The issuing side of ODA: what a scheme CA, an issuer and its personalisation bureau need. Makes a
 * CA key, an issuer key and its certificate signed by the CA, and a card's certificate signed by
 * the issuer over the card's static data; also signs dynamic data as a card would, for software
 * cards (bench, tests of terminals). Formats are {@link OdaVerifier}'s.
 */
public final class OdaIssuing {
  /** RSA public exponent of CA and issuer keys: 3, which EMV Book 2 allows and keeps recovery cheap. */
  public static final BigInteger CA_AND_ISSUER_EXPONENT = BigInteger.valueOf(3);

  private OdaIssuing() {}

  /** A CA key pair; the private half stays with the CA. */
  public record CaKeyPair(CaPublicKey publicKey, PrivateKey privateKey) {}

  /**
   * An issuer's key pair and the records its cards carry.
   *
   * @param certificate tag 90
   * @param remainder tag 92 (empty when none is needed, and always for SM2)
   * @param exponent tag 9F32 (empty for SM2)
   */
  public record IssuerCredentials(CaPublicKey ca, OdaPublicKey publicKey, PrivateKey privateKey,
      byte[] certificate, byte[] remainder, byte[] exponent) {}

  /**
   * A card's certificate records.
   *
   * @param certificate tag 9F46
   * @param remainder tag 9F48 (empty when none is needed, and always for SM2)
   * @param exponent tag 9F47 (empty for SM2)
   */
  public record IccCredentials(byte[] certificate, byte[] remainder, byte[] exponent) {}

  /**
   * A new CA key.
   *
   * @param rsaModulusBits INTERNATIONAL only (ignored for SM2): a multiple of 8 in 512..1984
   * @throws OdaException for a size outside those bounds
   */
  public static CaKeyPair newCa(AlgorithmSuite suite, byte[] rid, int index, int rsaModulusBits, SecureRandom random) {
    KeyPair pair = newKeyPair(suite, rsaModulusBits, CA_AND_ISSUER_EXPONENT, random);
    return new CaKeyPair(CaPublicKey.of(suite, rid, index, publicKey(pair.getPublic())), pair.getPrivate());
  }

  /**
   * A new issuer key and its certificate.
   *
   * @param issuerIdentifier the 3 to 8 leftmost PAN digits the issuer's cards share
   * @param serial the certificate serial number, 3 bytes, unique per CA key
   * @param rsaModulusBits INTERNATIONAL only: at most the CA's
   * @throws OdaException for bad sizes, identifier or serial
   */
  public static IssuerCredentials newIssuer(CaKeyPair ca, String issuerIdentifier, YearMonth expiry, byte[] serial,
      int rsaModulusBits, SecureRandom random) {
    AlgorithmSuite suite = ca.publicKey().suite();
    if (issuerIdentifier == null || !issuerIdentifier.matches("[0-9]{3,8}")) {
      throw new OdaException("issuer identifier must be 3 to 8 digits");
    }
    checkSerial(serial);
    KeyPair pair = newKeyPair(suite, rsaModulusBits, CA_AND_ISSUER_EXPONENT, random);
    OdaPublicKey key = publicKey(pair.getPublic());
    byte[] identifier = OdaBytes.cn(issuerIdentifier, 4);
    return switch (suite) {
      case INTERNATIONAL -> RsaIssuing.issuer(ca, identifier, expiry, serial, (OdaPublicKey.Rsa) key, pair.getPrivate());
      case NATIONAL -> Sm2Issuing.issuer(ca, identifier, expiry, serial, (OdaPublicKey.Sm2) key, pair.getPrivate(), random);
    };
  }

  /**
   * The card's certificate over its public key and static data.
   *
   * @param pan tag 5A as the card holds it (cn, at most 10 bytes)
   * @param iccKey the card's public key (generated on the card, or by {@link #newCardKeyPair})
   * @param staticData the static data to be authenticated, exactly as the terminal will assemble it
   * @throws OdaException for a key that does not fit the issuer's, or bad sizes
   */
  public static IccCredentials certifyCard(IssuerCredentials issuer, byte[] pan, YearMonth expiry, byte[] serial,
      OdaPublicKey iccKey, byte[] staticData, SecureRandom random) {
    if (pan == null || pan.length == 0 || pan.length > OdaLimits.PAN_BYTES_MAX || OdaBytes.digits(pan, 0, pan.length) == null) {
      throw new OdaException("PAN must be 1 to 10 bytes of cn");
    }
    checkSerial(serial);
    if (staticData.length > OdaLimits.STATIC_DATA_BYTES_MAX) {
      throw new OdaException("static data of " + staticData.length + " bytes exceeds " + OdaLimits.STATIC_DATA_BYTES_MAX);
    }
    return switch (issuer.publicKey()) {
      case OdaPublicKey.Rsa rsa -> RsaIssuing.icc(issuer, rsa, pan, expiry, serial, iccKey, staticData);
      case OdaPublicKey.Sm2 sm2 -> Sm2Issuing.icc(issuer, pan, expiry, serial, iccKey, staticData, random);
    };
  }

  /** A card key pair made off-card (a software card; real cards generate theirs on the chip). */
  public static KeyPair newCardKeyPair(AlgorithmSuite suite, int rsaModulusBits, SecureRandom random) {
    return newKeyPair(suite, rsaModulusBits, RSAKeyGenParameterSpec.F4, random);
  }

  /**
   * Signs dynamic data as the card does (EMV format 05, or our SM2 format 15).
   *
   * @param iccDynamicData the card's ICC dynamic data (EMV: length byte + ICC dynamic number)
   * @param terminalDynamicData the DDOL data, or {@link FddaData#signedData()}
   * @return tag 9F4B's value
   */
  public static byte[] signDynamicData(PrivateKey iccPrivateKey, byte[] iccDynamicData, byte[] terminalDynamicData,
      SecureRandom random) {
    return switch (iccPrivateKey) {
      case RSAPrivateKey rsa -> RsaIssuing.dynamic(rsa, iccDynamicData, terminalDynamicData);
      case ECPrivateKey ec -> Sm2Issuing.dynamic(ec, iccDynamicData, terminalDynamicData, random);
      default -> throw new OdaException("ICC private key must be RSA or SM2, got " + iccPrivateKey.getAlgorithm());
    };
  }

  /** A JCA RSA or SM2 public key as ODA carries it. */
  public static OdaPublicKey publicKey(PublicKey key) {
    return switch (key) {
      case RSAPublicKey rsa -> new OdaPublicKey.Rsa(unsignedBytes(rsa.getModulus()), unsignedBytes(rsa.getPublicExponent()));
      case ECPublicKey ec -> new OdaPublicKey.Sm2(OdaBytes.concat(Sm2Oda.fixed(ec.getW().getAffineX()),
          Sm2Oda.fixed(ec.getW().getAffineY())));
      default -> throw new OdaException("public key must be RSA or SM2, got " + key.getAlgorithm());
    };
  }

  private static KeyPair newKeyPair(AlgorithmSuite suite, int rsaModulusBits, BigInteger exponent, SecureRandom random) {
    return switch (suite) {
      case INTERNATIONAL -> {
        if (rsaModulusBits % 8 != 0 || rsaModulusBits < OdaLimits.RSA_MODULUS_BYTES_MIN * 8
            || rsaModulusBits > OdaLimits.RSA_MODULUS_BYTES_MAX * 8) {
          throw new OdaException("RSA modulus of " + rsaModulusBits + " bits: must be a multiple of 8 in 512..1984");
        }
        try {
          KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(new RSAKeyGenParameterSpec(rsaModulusBits, exponent), random);
          yield generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("RSA key generation unavailable", e);
        }
      }
      case NATIONAL -> SignatureAlgorithm.SM2_SM3.generateKeyPair(random);
    };
  }

  private static void checkSerial(byte[] serial) {
    if (serial == null || serial.length != CaRevocationList.SERIAL_BYTES) {
      throw new OdaException("certificate serial must be " + CaRevocationList.SERIAL_BYTES + " bytes");
    }
  }

  static byte[] unsignedBytes(BigInteger value) {
    byte[] raw = value.toByteArray();
    return raw[0] == 0 && raw.length > 1 ? OdaBytes.slice(raw, 1, raw.length) : raw;
  }

  /** The RSA private operation on a block below the modulus (the "signature" Book 2 recovers). */
  static byte[] rsaPrivate(RSAPrivateKey key, byte[] block) {
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key);
      byte[] raw = cipher.doFinal(block);
      int length = (key.getModulus().bitLength() + 7) / 8;
      byte[] out = new byte[length];
      System.arraycopy(raw, 0, out, length - raw.length, raw.length);
      Assert.that(raw.length <= length, "RSA output longer than the modulus");
      return out;
    } catch (GeneralSecurityException e) {
      throw new OdaException("RSA private operation failed", e);
    }
  }

  static BigInteger sm2Scalar(PrivateKey key) {
    if (!(key instanceof ECPrivateKey ec)) {
      throw new OdaException("SM2 private key expected");
    }
    return ec.getS();
  }
}
