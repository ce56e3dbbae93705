package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One scheme per suite at the sizes docs/oda.md chooses (CA 1984, issuer 1408, card 1024 bits for
 * RSA; SM2 throughout), one issuer and one card, built once per JVM: key generation is the slow
 * part and every test only reads them.
 */
final class OdaFixture {
  static final byte[] RID = Hex.decode("A000000999");
  static final int CA_INDEX = 0x92;
  static final byte[] PAN = Hex.decode("6212345678901234");
  static final byte[] ISSUER_SERIAL = Hex.decode("000101");
  static final LocalDate TODAY = LocalDate.of(2026, 12, 6);
  static final YearMonth VALID = YearMonth.of(2030, 12);
  /** Two records of the AFL plus the AIP, as a terminal concatenates them (Book 3 section 10.3). */
  static final byte[] STATIC_DATA = Hex.decode("5A0862123456789012345F24033012315F25032501019F0702FF008E0C000000000000000002031F03" + "3900");
  static final SecureRandom RANDOM = new SecureRandom();

  private static final Map<AlgorithmSuite, OdaFixture> BY_SUITE = new EnumMap<>(AlgorithmSuite.class);

  final AlgorithmSuite suite;
  final OdaIssuing.CaKeyPair ca;
  final OdaIssuing.IssuerCredentials issuer;
  final KeyPair cardKeys;
  final OdaIssuing.IccCredentials icc;

  private OdaFixture(AlgorithmSuite suite) {
    this.suite = suite;
    ca = OdaIssuing.newCa(suite, RID, CA_INDEX, 1984, RANDOM);
    issuer = OdaIssuing.newIssuer(ca, "621234", VALID, ISSUER_SERIAL, 1408, RANDOM);
    cardKeys = OdaIssuing.newCardKeyPair(suite, 1024, RANDOM);
    icc = OdaIssuing.certifyCard(issuer, PAN, VALID, Hex.decode("000001"), OdaIssuing.publicKey(cardKeys.getPublic()),
        STATIC_DATA, RANDOM);
  }

  static synchronized OdaFixture of(AlgorithmSuite suite) {
    return BY_SUITE.computeIfAbsent(suite, OdaFixture::new);
  }

  OdaTrustStore trustStore() {
    return OdaTrustStore.of(List.of(ca.publicKey()));
  }

  OdaVerifier verifier() {
    return new OdaVerifier(trustStore(), CaRevocationList.empty());
  }

  CardOdaData card() {
    return card(issuer, icc, PAN, STATIC_DATA);
  }

  static CardOdaData card(OdaIssuing.IssuerCredentials issuer, OdaIssuing.IccCredentials icc, byte[] pan, byte[] staticData) {
    return new CardOdaData(RID, CA_INDEX, pan, issuer.certificate(), issuer.remainder(), issuer.exponent(),
        icc.certificate(), icc.remainder(), icc.exponent(), staticData);
  }

  static FddaData fdda(String unpredictableNumber) {
    return new FddaData(Hex.decode(unpredictableNumber), Hex.decode("000000000250"), Hex.decode("0156"),
        Hex.decode("01A1B2C3D48000"));
  }

  /** The card's ICC dynamic data: length 08, then an 8-byte ICC dynamic number. */
  static byte[] iccDynamicData() {
    return Hex.decode("080102030405060708");
  }

  byte[] sign(FddaData data) {
    return OdaIssuing.signDynamicData(cardKeys.getPrivate(), iccDynamicData(), data.signedData(), RANDOM);
  }
}
