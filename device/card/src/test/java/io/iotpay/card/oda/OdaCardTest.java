package io.iotpay.card.oda;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.codec.TlvBuilder;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.CardOdaData;
import io.iotpay.foundation.crypto.oda.FddaData;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaPublicKey;
import io.iotpay.foundation.crypto.oda.OdaReason;
import io.iotpay.foundation.crypto.oda.OdaResult;
import io.iotpay.foundation.crypto.oda.OdaTrustStore;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole chain end to end: a CA and an issuer made by {@link OdaIssuing}, a card that generates
 * its key in jCardSim and is personalised with its certificate, a terminal that reads the records
 * and asks for an fDDA signature through {@code foundation.card.CardChannel}, and
 * {@link OdaVerifier} deciding. Both suites; the counterfeits of issue 13 item 2 are refused.
 */
class OdaCardTest {
  private static final byte[] RID = Hex.decode("A000000999");
  private static final int CA_INDEX = 0x01;
  private static final byte[] PAN = Hex.decode("6212345678901234");
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] AIP = Hex.decode("2000");

  /** A scheme, an issuer and the terminal's verifier of one suite. */
  private record Scheme(AlgorithmSuite suite, OdaIssuing.CaKeyPair ca, OdaIssuing.IssuerCredentials issuer) {
    static Scheme of(AlgorithmSuite suite, YearMonth issuerExpiry) {
      OdaIssuing.CaKeyPair ca = OdaIssuing.newCa(suite, RID, CA_INDEX, 1984, RANDOM);
      return new Scheme(suite, ca, OdaIssuing.newIssuer(ca, "621234", issuerExpiry, Hex.decode("000042"), 1408, RANDOM));
    }

    OdaVerifier verifier(CaRevocationList revocations) {
      return new OdaVerifier(OdaTrustStore.of(List.of(ca.publicKey())), revocations);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void personalisedCard_passesFddaAtTheTerminal(AlgorithmSuite suite) {
    Scheme scheme = Scheme.of(suite, YearMonth.of(2030, 12));
    OdaCard card = personalise(new OdaCard(suite), scheme, YearMonth.of(2029, 6));

    Tap tap = tap(card, "A1B2C3D4");
    OdaResult result = scheme.verifier(CaRevocationList.empty()).verifyFdda(suite, tap.data, tap.fdda, tap.signed, TODAY);

    assertThat(result).as(result.toString()).isInstanceOf(OdaResult.Verified.class);
    assertThat(tap.fdda.cardAuthenticationData()[0]).isEqualTo(FddaData.VERSION_01);
    assertThat(((OdaResult.Verified) result).iccDynamicData()[0]).isEqualTo((byte) DynamicSigner.DYNAMIC_NUMBER_LENGTH);
    // Two taps never sign the same bytes: the card draws its own numbers each time.
    Tap second = tap(card, "A1B2C3D4");
    assertThat(second.signed).isNotEqualTo(tap.signed);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cloneWithTheRealCertificatesButItsOwnKey_isRefused(AlgorithmSuite suite) {
    Scheme scheme = Scheme.of(suite, YearMonth.of(2030, 12));
    OdaCard genuine = new OdaCard(suite);
    OdaCard clone = new OdaCard(suite);
    clone.newKey(RANDOM);
    Records records = certify(scheme, genuine.newKey(RANDOM), YearMonth.of(2029, 6));
    records.store(genuine);
    records.store(clone);

    Tap tap = tap(clone, "0BADF00D");
    OdaResult result = scheme.verifier(CaRevocationList.empty()).verifyFdda(suite, tap.data, tap.fdda, tap.signed, TODAY);

    assertRefused(result, OdaReason.DYNAMIC_SIGNATURE_INVALID);
    assertThat(verify(scheme, tap(genuine, "0BADF00D")).ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void copiedStaticImageReplayingARecordedSignature_isRefused(AlgorithmSuite suite) {
    Scheme scheme = Scheme.of(suite, YearMonth.of(2030, 12));
    OdaCard card = personalise(new OdaCard(suite), scheme, YearMonth.of(2029, 6));
    Tap recorded = tap(card, "11111111");

    // The skimmer replays the recorded 9F69 and 9F4B to a terminal that drew another number.
    FddaData replayed = new FddaData(Hex.decode("22222222"), recorded.fdda.amountAuthorised(), recorded.fdda.currencyCode(),
        recorded.fdda.cardAuthenticationData());
    OdaResult result = scheme.verifier(CaRevocationList.empty()).verifyFdda(suite, recorded.data, replayed, recorded.signed, TODAY);

    assertRefused(result, OdaReason.DYNAMIC_SIGNATURE_INVALID);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void brokenOrExpiredChain_isRefused(AlgorithmSuite suite) {
    Scheme scheme = Scheme.of(suite, YearMonth.of(2030, 12));
    OdaCard expiredCard = personalise(new OdaCard(suite), scheme, YearMonth.of(2026, 11));
    assertRefused(verify(scheme, tap(expiredCard, "01010101")), OdaReason.ICC_CERT_EXPIRED);

    Scheme expiredIssuer = Scheme.of(suite, YearMonth.of(2026, 10));
    OdaCard underExpiredIssuer = personalise(new OdaCard(suite), expiredIssuer, YearMonth.of(2029, 6));
    assertRefused(verify(expiredIssuer, tap(underExpiredIssuer, "02020202")), OdaReason.ISSUER_CERT_EXPIRED);

    // A card personalised under another scheme's CA that uses the same index: the terminal's key does not open it.
    Scheme other = Scheme.of(suite, YearMonth.of(2030, 12));
    OdaCard foreign = personalise(new OdaCard(suite), other, YearMonth.of(2029, 6));
    OdaResult foreignResult = verify(scheme, tap(foreign, "03030303"));
    assertThat(foreignResult.ok()).isFalse();

    Tap tap = tap(personalise(new OdaCard(suite), scheme, YearMonth.of(2029, 6)), "04040404");
    CardOdaData unknownIndex = new CardOdaData(RID, 0x07, tap.data.pan(), tap.data.issuerCertificate(), tap.data.issuerRemainder(),
        tap.data.issuerExponent(), tap.data.iccCertificate(), tap.data.iccRemainder(), tap.data.iccExponent(), tap.data.staticData());
    assertRefused(scheme.verifier(CaRevocationList.empty()).verifyFdda(suite, unknownIndex, tap.fdda, tap.signed, TODAY),
        OdaReason.CA_KEY_UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cardUnderARevokedIssuerCertificate_isRefused(AlgorithmSuite suite) {
    Scheme scheme = Scheme.of(suite, YearMonth.of(2030, 12));
    OdaCard card = personalise(new OdaCard(suite), scheme, YearMonth.of(2029, 6));
    CaRevocationList revocations = CaRevocationList.builder().revoke(RID, CA_INDEX, Hex.decode("000042")).build();

    Tap tap = tap(card, "05050505");

    assertRefused(scheme.verifier(revocations).verifyFdda(suite, tap.data, tap.fdda, tap.signed, TODAY),
        OdaReason.ISSUER_CERT_REVOKED);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void internalAuthenticateBeforeAnyKey_is6985_andAShortCommandIs6700(AlgorithmSuite suite) {
    OdaCard card = new OdaCard(suite);

    assertThat(card.channel.transmit(new io.iotpay.foundation.codec.CommandApdu(0x00, 0x88, 0, 0, new byte[12], 256)).sw())
        .isEqualTo(0x6985);
    card.newKey(RANDOM);
    assertThat(card.channel.transmit(new io.iotpay.foundation.codec.CommandApdu(0x00, 0x88, 0, 0, new byte[11], 256)).sw())
        .isEqualTo(0x6700);
  }

  @org.junit.jupiter.api.Test
  void rsaKeyGeneratedOnTheCard_signsWhatTheTerminalVerifies() {
    // Real cards generate their key on the chip; jCardSim can too (deterministically, so only one
    // card per test), which proves the on-card path: KeyPair(ALG_RSA_CRT) and ALG_RSA_NOPAD.
    Scheme scheme = Scheme.of(AlgorithmSuite.INTERNATIONAL, YearMonth.of(2030, 12));
    OdaCard card = new OdaCard(AlgorithmSuite.INTERNATIONAL);
    certify(scheme, card.generateKey(), YearMonth.of(2029, 6)).store(card);

    assertThat(verify(scheme, tap(card, "600DCAFE")).ok()).isTrue();
  }

  // ---- personalisation and the terminal's side ----

  /**
   * The card's records: 1 = CA index, issuer remainder and exponent; 2 = issuer certificate alone
   * (248 bytes under a 1984-bit CA fill a record); 3 = ICC certificate; 4 = signed static data.
   */
  private record Records(byte[] one, byte[] two, byte[] three, byte[] four) {
    void store(OdaCard card) {
      card.storeRecord(1, one);
      card.storeRecord(2, two);
      card.storeRecord(3, three);
      card.storeRecord(4, four);
    }
  }

  private static OdaCard personalise(OdaCard card, Scheme scheme, YearMonth cardExpiry) {
    certify(scheme, card.newKey(RANDOM), cardExpiry).store(card);
    return card;
  }

  private static Records certify(Scheme scheme, OdaPublicKey cardKey, YearMonth cardExpiry) {
    byte[] four = OdaCard.encode(TlvBuilder.template(Tag.of(0x70)).add(Tag.of(0x5A), PAN)
        .addHex(Tag.of(0x5F24), "291231").addHex(Tag.of(0x9F07), "FF00"));
    OdaIssuing.IccCredentials icc = OdaIssuing.certifyCard(scheme.issuer, PAN, cardExpiry, Hex.decode("000007"), cardKey,
        staticData(four), RANDOM);
    TlvBuilder one = TlvBuilder.template(Tag.of(0x70)).add(Tag.of(0x8F), new byte[] {CA_INDEX});
    addIfPresent(one, 0x92, scheme.issuer.remainder());
    addIfPresent(one, 0x9F32, scheme.issuer.exponent());
    TlvBuilder two = TlvBuilder.template(Tag.of(0x70)).add(Tag.of(0x90), scheme.issuer.certificate());
    TlvBuilder three = TlvBuilder.template(Tag.of(0x70)).add(Tag.of(0x9F46), icc.certificate());
    addIfPresent(three, 0x9F47, icc.exponent());
    addIfPresent(three, 0x9F48, icc.remainder());
    return new Records(OdaCard.encode(one), OdaCard.encode(two), OdaCard.encode(three), four);
  }

  private static void addIfPresent(TlvBuilder record, int tag, byte[] value) {
    if (value.length > 0) {
      record.add(Tag.of(tag), value);
    }
  }

  /** Book 3 section 10.3: an SFI 1..10 record enters without its 70 tag and length; then the AIP. */
  private static byte[] staticData(byte[] record) {
    Tlv template = io.iotpay.foundation.codec.BerTlv.parseSingle(record);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(io.iotpay.foundation.codec.BerTlv.encode(((Tlv.Constructed) template).children()));
    out.writeBytes(AIP);
    return out.toByteArray();
  }

  private record Tap(CardOdaData data, FddaData fdda, byte[] signed) {}

  /** What a terminal does: READ RECORD 1..4, INTERNAL AUTHENTICATE over its UN, amount 2.50 CNY. */
  private static Tap tap(OdaCard card, String unpredictableNumber) {
    List<Tlv> one = card.readRecord(1);
    List<Tlv> two = card.readRecord(2);
    List<Tlv> three = card.readRecord(3);
    List<Tlv> fourChildren = card.readRecord(4);
    byte[] four = io.iotpay.foundation.codec.BerTlv.encode(List.of(new Tlv.Constructed(Tag.of(0x70), fourChildren)));
    byte[] terminalPart = Hex.decode(unpredictableNumber + "000000000250" + "0156");
    byte[][] answer = card.internalAuthenticate(terminalPart);
    FddaData fdda = new FddaData(Hex.decode(unpredictableNumber), Hex.decode("000000000250"), Hex.decode("0156"), answer[0]);
    List<Tlv> records = List.of(new Tlv.Constructed(Tag.of(0x70), one), new Tlv.Constructed(Tag.of(0x70), two),
        new Tlv.Constructed(Tag.of(0x70), three), new Tlv.Constructed(Tag.of(0x70), fourChildren));
    CardOdaData data = CardOdaData.fromRecords(RID, records, staticData(four));
    return new Tap(data, fdda, answer[1]);
  }

  private static OdaResult verify(Scheme scheme, Tap tap) {
    return scheme.verifier(CaRevocationList.empty()).verifyFdda(scheme.suite, tap.data, tap.fdda, tap.signed, TODAY);
  }

  private static void assertRefused(OdaResult result, OdaReason reason) {
    assertThat(result).isInstanceOf(OdaResult.Refused.class);
    assertThat(((OdaResult.Refused) result).reason()).as(result.toString()).isEqualTo(reason);
  }
}
