package io.iotpay.foundation.crypto.oda;

import static io.iotpay.foundation.crypto.oda.OdaFixture.PAN;
import static io.iotpay.foundation.crypto.oda.OdaFixture.RANDOM;
import static io.iotpay.foundation.crypto.oda.OdaFixture.STATIC_DATA;
import static io.iotpay.foundation.crypto.oda.OdaFixture.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.KeyPair;
import java.time.YearMonth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The four kinds of counterfeit issue 13 lists, and the chain's other checks, in both suites. */
class OdaCounterfeitTest {

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void genuineCard_verifiesAndReturnsItsDynamicData(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    FddaData data = OdaFixture.fdda("11223344");

    OdaResult result = f.verifier().verifyFdda(suite, f.card(), data, f.sign(data), TODAY);

    assertThat(result).isInstanceOf(OdaResult.Verified.class);
    OdaResult.Verified verified = (OdaResult.Verified) result;
    assertThat(verified.iccDynamicData()).isEqualTo(OdaFixture.iccDynamicData());
    assertThat(verified.iccPublicKey()).isEqualTo(OdaIssuing.publicKey(f.cardKeys.getPublic()));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void rightDataWithoutTheCardsKey_isRefusedAsAnInvalidDynamicSignature(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    // A clone: the genuine card's certificates and static data, but a key of its own making.
    KeyPair cloneKeys = OdaIssuing.newCardKeyPair(suite, 1024, RANDOM);
    FddaData data = OdaFixture.fdda("55667788");
    byte[] forged = OdaIssuing.signDynamicData(cloneKeys.getPrivate(), OdaFixture.iccDynamicData(), data.signedData(), RANDOM);

    OdaResult result = f.verifier().verifyFdda(suite, f.card(), data, forged, TODAY);

    assertRefused(result, OdaReason.DYNAMIC_SIGNATURE_INVALID);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void copiedStaticImageReplayingAnEarlier9F4B_isRefusedUnderANewUnpredictableNumber(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    byte[] recorded = f.sign(OdaFixture.fdda("0A0B0C0D"));

    OdaResult result = f.verifier().verifyFdda(suite, f.card(), OdaFixture.fdda("0A0B0C0E"), recorded, TODAY);

    assertRefused(result, OdaReason.DYNAMIC_SIGNATURE_INVALID);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuerCertificateWithABadHash_isRefused(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    CardOdaData card = f.card();
    // RSA: a certificate the CA really signed whose hash result does not match its content. SM2: a
    // key byte inside the signed body (the certificate has no unsigned part).
    CardOdaData altered = switch (suite) {
      case INTERNATIONAL -> withIssuer(card, resignedWithBadHash(f, card.issuerCertificate()), card.issuerRemainder());
      case NATIONAL -> withIssuer(card, flip(card.issuerCertificate(), 20), card.issuerRemainder());
    };
    FddaData data = OdaFixture.fdda("01020304");

    assertRefused(f.verifier().verifyFdda(suite, altered, data, f.sign(data), TODAY), OdaReason.ISSUER_CERT_SIGNATURE);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void expiredIssuerCertificate_isRefused(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    OdaIssuing.IssuerCredentials oldIssuer = OdaIssuing.newIssuer(f.ca, "621234", YearMonth.of(2026, 11),
        Hex.decode("000102"), 1408, RANDOM);
    OdaIssuing.IccCredentials icc = OdaIssuing.certifyCard(oldIssuer, PAN, OdaFixture.VALID, Hex.decode("000002"),
        OdaIssuing.publicKey(f.cardKeys.getPublic()), STATIC_DATA, RANDOM);

    OdaResult result = f.verifier().verifyChain(suite, OdaFixture.card(oldIssuer, icc, PAN, STATIC_DATA), TODAY);

    assertRefused(result, OdaReason.ISSUER_CERT_EXPIRED);
    // Valid through the last day of its month (Book 2 section 5.3 step 9).
    assertThat(f.verifier().verifyChain(suite, OdaFixture.card(oldIssuer, icc, PAN, STATIC_DATA), TODAY.withDayOfMonth(1).minusDays(1)).ok())
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void expiredIccCertificate_isRefused(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    OdaIssuing.IccCredentials icc = OdaIssuing.certifyCard(f.issuer, PAN, YearMonth.of(2026, 11), Hex.decode("000003"),
        OdaIssuing.publicKey(f.cardKeys.getPublic()), STATIC_DATA, RANDOM);

    assertRefused(f.verifier().verifyChain(suite, OdaFixture.card(f.issuer, icc, PAN, STATIC_DATA), TODAY),
        OdaReason.ICC_CERT_EXPIRED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void unknownCaIndex_isRefused(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    CardOdaData card = f.card();
    CardOdaData otherIndex = new CardOdaData(card.rid(), 0x93, card.pan(), card.issuerCertificate(), card.issuerRemainder(),
        card.issuerExponent(), card.iccCertificate(), card.iccRemainder(), card.iccExponent(), card.staticData());

    assertRefused(f.verifier().verifyChain(suite, otherIndex, TODAY), OdaReason.CA_KEY_UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cardOfTheOtherSuite_findsNoCaKey(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;

    assertRefused(f.verifier().verifyChain(other, f.card(), TODAY), OdaReason.CA_KEY_UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void revokedIssuerCertificate_isRefused(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    CaRevocationList revoked = CaRevocationList.builder()
        .revoke(OdaFixture.RID, OdaFixture.CA_INDEX, Hex.decode("000999"))
        .revoke(OdaFixture.RID, OdaFixture.CA_INDEX, OdaFixture.ISSUER_SERIAL)
        .build();
    CaRevocationList otherCa = CaRevocationList.builder().revoke(OdaFixture.RID, 0x01, OdaFixture.ISSUER_SERIAL).build();
    FddaData data = OdaFixture.fdda("CAFEBABE");
    byte[] signed = f.sign(data);

    assertRefused(new OdaVerifier(f.trustStore(), revoked).verifyFdda(suite, f.card(), data, signed, TODAY),
        OdaReason.ISSUER_CERT_REVOKED);
    assertThat(new OdaVerifier(f.trustStore(), otherCa).verifyFdda(suite, f.card(), data, signed, TODAY).ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void alteredStaticData_isRefused(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    byte[] altered = STATIC_DATA.clone();
    altered[altered.length - 1] ^= 0x40; // AIP: claim a capability the issuer did not sign

    assertRefused(f.verifier().verifyChain(suite, OdaFixture.card(f.issuer, f.icc, PAN, altered), TODAY),
        OdaReason.STATIC_DATA_ALTERED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void genuineCertificatesUnderAnotherPan_areRefused(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);

    assertRefused(f.verifier().verifyChain(suite, OdaFixture.card(f.issuer, f.icc, Hex.decode("6212345678901235"), STATIC_DATA), TODAY),
        OdaReason.ICC_PAN_MISMATCH);
    assertRefused(f.verifier().verifyChain(suite, OdaFixture.card(f.issuer, f.icc, Hex.decode("4212345678901234"), STATIC_DATA), TODAY),
        OdaReason.ISSUER_ID_MISMATCH);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void missingCertificate_isDataMissing(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    CardOdaData card = f.card();
    CardOdaData noIcc = new CardOdaData(card.rid(), card.caIndex(), card.pan(), card.issuerCertificate(), card.issuerRemainder(),
        card.issuerExponent(), null, null, card.iccExponent(), card.staticData());

    assertRefused(f.verifier().verifyChain(suite, noIcc, TODAY), OdaReason.DATA_MISSING);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cachedIccKey_verifiesLaterSignaturesAlone(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    OdaResult.Verified chain = (OdaResult.Verified) f.verifier().verifyChain(suite, f.card(), TODAY);
    FddaData data = OdaFixture.fdda("99999999");

    assertThat(OdaVerifier.verifySignature(chain.iccPublicKey(), data.signedData(), f.sign(data)).ok()).isTrue();
    assertRefused(OdaVerifier.verifySignature(chain.iccPublicKey(), OdaFixture.fdda("99999998").signedData(), f.sign(data)),
        OdaReason.DYNAMIC_SIGNATURE_INVALID);
  }

  static void assertRefused(OdaResult result, OdaReason reason) {
    assertThat(result).isInstanceOf(OdaResult.Refused.class);
    assertThat(((OdaResult.Refused) result).reason()).as(result.toString()).isEqualTo(reason);
  }

  static byte[] flip(byte[] data, int byteIndex) {
    byte[] out = data.clone();
    out[byteIndex] ^= 0x01;
    return out;
  }

  private static CardOdaData withIssuer(CardOdaData card, byte[] certificate, byte[] remainder) {
    return new CardOdaData(card.rid(), card.caIndex(), card.pan(), certificate, remainder, card.issuerExponent(),
        card.iccCertificate(), card.iccRemainder(), card.iccExponent(), card.staticData());
  }

  /** Recovers the genuine issuer certificate, breaks one bit of its hash result, and signs it again with the CA key. */
  private static byte[] resignedWithBadHash(OdaFixture f, byte[] certificate) {
    OdaPublicKey.Rsa caKey = (OdaPublicKey.Rsa) f.ca.publicKey().key();
    byte[] block = RsaOda.recover(caKey, certificate);
    block[block.length - 2] ^= 0x01;
    return OdaIssuing.rsaPrivate((java.security.interfaces.RSAPrivateKey) f.ca.privateKey(), block);
  }
}
