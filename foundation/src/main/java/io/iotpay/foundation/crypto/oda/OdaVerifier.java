package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Offline data authentication as a terminal runs it (gate, POS kernel): recovers and checks the
 * issuer and ICC certificates against the terminal's CA keys and CA revocation list, then the
 * card's signature over the terminal's dynamic data. Every failure is an
 * {@link OdaResult.Refused} naming the check; no input makes it throw.
 *
 * <p>Stateless and immutable: one instance serves every tap, from any thread.
 */
public final class OdaVerifier {
  private final OdaTrustStore trustStore;
  private final CaRevocationList revocations;

  /**
   * @param trustStore the terminal's CA public keys, not null
   * @param revocations the CA revocation list, not null (use {@link CaRevocationList#empty()})
   */
  public OdaVerifier(OdaTrustStore trustStore, CaRevocationList revocations) {
    this.trustStore = Assert.notNull(trustStore, "trustStore");
    this.revocations = Assert.notNull(revocations, "revocations");
  }

  /**
   * Checks the certificate chain only (what SDA-free terminals cache per card).
   *
   * @param suite the card's suite, not null
   * @param card the card's ODA data, not null
   * @param today the terminal's date, for the certificates' expiry
   * @return {@link OdaResult.Verified} with the ICC key and empty dynamic data, or the reason
   */
  public OdaResult verifyChain(AlgorithmSuite suite, CardOdaData card, LocalDate today) {
    try {
      return new OdaResult.Verified(iccKey(suite, card, today), new byte[0]);
    } catch (Refusal refusal) {
      return refusal.toResult();
    }
  }

  /**
   * The whole of DDA: chain, then the signed dynamic application data (9F4B) over
   * {@code terminalDynamicData} (the DDOL data, or {@link FddaData#signedData()} for fDDA).
   *
   * @return {@link OdaResult.Verified} with the ICC key and the ICC dynamic data, or the reason
   */
  public OdaResult verifyDynamic(AlgorithmSuite suite, CardOdaData card, byte[] terminalDynamicData,
      byte[] signedDynamicData, LocalDate today) {
    try {
      OdaPublicKey iccKey = iccKey(suite, card, today);
      return new OdaResult.Verified(iccKey, dynamicData(iccKey, terminalDynamicData, signedDynamicData));
    } catch (Refusal refusal) {
      return refusal.toResult();
    }
  }

  /** fDDA (EMV Book C-3): {@link #verifyDynamic} over 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69. */
  public OdaResult verifyFdda(AlgorithmSuite suite, CardOdaData card, FddaData data, byte[] signedDynamicData,
      LocalDate today) {
    return verifyDynamic(suite, card, data.signedData(), signedDynamicData, today);
  }

  /**
   * Only the dynamic signature, under an ICC key recovered earlier by {@link #verifyChain}.
   *
   * @return {@link OdaResult.Verified} with the ICC dynamic data, or the reason
   */
  public static OdaResult verifySignature(OdaPublicKey iccKey, byte[] terminalDynamicData, byte[] signedDynamicData) {
    try {
      return new OdaResult.Verified(iccKey, dynamicData(iccKey, terminalDynamicData, signedDynamicData));
    } catch (Refusal refusal) {
      return refusal.toResult();
    }
  }

  private OdaPublicKey iccKey(AlgorithmSuite suite, CardOdaData card, LocalDate today) throws Refusal {
    checkBounds(card);
    Optional<CaPublicKey> found = trustStore.find(suite, card.rid(), card.caIndex());
    if (found.isEmpty()) {
      String rid = card.rid() == null ? "none" : Hex.encode(card.rid());
      throw new Refusal(OdaReason.CA_KEY_UNKNOWN, suite + " RID " + rid + " index " + String.format("%02X", card.caIndex() & 0xFF));
    }
    CaPublicKey ca = found.get();
    return switch (suite) {
      case INTERNATIONAL -> RsaOda.iccKey(RsaOda.issuerKey(ca, card, revocations, today), card, today);
      case NATIONAL -> Sm2Oda.iccKey(Sm2Oda.issuerKey(ca, card, revocations, today), card, today);
    };
  }

  private static byte[] dynamicData(OdaPublicKey iccKey, byte[] terminalData, byte[] signed) throws Refusal {
    byte[] data = CardOdaData.orEmpty(terminalData);
    byte[] signature = CardOdaData.orEmpty(signed);
    if (data.length > OdaLimits.TERMINAL_DATA_BYTES_MAX || signature.length > OdaLimits.RSA_MODULUS_BYTES_MAX) {
      throw new Refusal(OdaReason.DATA_TOO_LONG, "terminal data " + data.length + " or 9F4B " + signature.length + " bytes");
    }
    return switch (iccKey) {
      case OdaPublicKey.Rsa rsa -> RsaOda.dynamicData(rsa, signature, data);
      case OdaPublicKey.Sm2 sm2 -> Sm2Oda.dynamicData(sm2, signature, data);
    };
  }

  private static void checkBounds(CardOdaData card) throws Refusal {
    Assert.notNull(card, "card");
    int certificateMax = OdaLimits.RSA_MODULUS_BYTES_MAX;
    if (length(card.issuerCertificate()) > certificateMax || length(card.iccCertificate()) > certificateMax
        || length(card.issuerRemainder()) > certificateMax || length(card.iccRemainder()) > certificateMax
        || length(card.issuerExponent()) > OdaLimits.RSA_EXPONENT_BYTES_MAX
        || length(card.iccExponent()) > OdaLimits.RSA_EXPONENT_BYTES_MAX
        || length(card.pan()) > OdaLimits.PAN_BYTES_MAX
        || length(card.staticData()) > OdaLimits.STATIC_DATA_BYTES_MAX) {
      throw new Refusal(OdaReason.DATA_TOO_LONG, "a certificate, remainder, exponent, PAN or the static data exceeds its bound");
    }
    if (card.rid() == null || card.rid().length != CaPublicKey.RID_BYTES || card.caIndex() < 0 || card.caIndex() > 0xFF) {
      throw new Refusal(OdaReason.DATA_MISSING, "RID of 5 bytes and CA index 00..FF needed");
    }
  }

  private static int length(byte[] value) {
    return value == null ? 0 : value.length;
  }
}
