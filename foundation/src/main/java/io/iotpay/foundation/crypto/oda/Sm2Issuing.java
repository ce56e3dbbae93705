package io.iotpay.foundation.crypto.oda;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.YearMonth;

/** Builds the NATIONAL suite's certificates and signed dynamic data (our layout, docs/oda.md). */
final class Sm2Issuing {
  private static final byte[] INDICATORS = {Sm2Oda.SIGNATURE_SM2, Sm2Oda.PK_SM2, Sm2Oda.PARAMETERS_SM2P256V1,
      (byte) Sm2Oda.KEY_BYTES};

  private Sm2Issuing() {}

  static OdaIssuing.IssuerCredentials issuer(OdaIssuing.CaKeyPair ca, byte[] identifier, YearMonth expiry,
      byte[] serial, OdaPublicKey.Sm2 key, PrivateKey issuerPrivate, SecureRandom random) {
    byte[] body = OdaBytes.concat(new byte[] {Sm2Oda.ISSUER_FORMAT}, identifier, OdaBytes.mmyy(expiry), serial,
        INDICATORS, key.point());
    byte[] signature = Sm2Oda.sign(OdaIssuing.sm2Scalar(ca.privateKey()), body, random);
    return new OdaIssuing.IssuerCredentials(ca.publicKey(), key, issuerPrivate, OdaBytes.concat(body, signature),
        new byte[0], new byte[0]);
  }

  static OdaIssuing.IccCredentials icc(OdaIssuing.IssuerCredentials issuer, byte[] pan, YearMonth expiry,
      byte[] serial, OdaPublicKey iccKey, byte[] staticData, SecureRandom random) {
    if (!(iccKey instanceof OdaPublicKey.Sm2 key)) {
      throw new OdaException("ICC key of a NATIONAL card must be SM2");
    }
    byte[] body = OdaBytes.concat(new byte[] {Sm2Oda.ICC_FORMAT}, RsaOda.paddedPan(pan), OdaBytes.mmyy(expiry), serial,
        INDICATORS, key.point());
    byte[] signature = Sm2Oda.sign(OdaIssuing.sm2Scalar(issuer.privateKey()), OdaBytes.concat(body, staticData), random);
    return new OdaIssuing.IccCredentials(OdaBytes.concat(body, signature), new byte[0], new byte[0]);
  }

  static byte[] dynamic(ECPrivateKey key, byte[] iccDynamicData, byte[] terminalData, SecureRandom random) {
    if (iccDynamicData.length > 0xFF) {
      throw new OdaException("ICC dynamic data longer than 255 bytes");
    }
    byte[] body = OdaBytes.concat(new byte[] {Sm2Oda.DYNAMIC_FORMAT, Sm2Oda.SIGNATURE_SM2, (byte) iccDynamicData.length},
        iccDynamicData);
    return OdaBytes.concat(body, Sm2Oda.sign(key.getS(), OdaBytes.concat(body, terminalData), random));
  }
}
