package io.iotpay.card.emv;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.CardOdaData;
import io.iotpay.foundation.crypto.oda.FddaData;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaPublicKey;
import io.iotpay.foundation.crypto.oda.OdaResult;
import io.iotpay.foundation.crypto.oda.OdaTrustStore;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * fDDA on the EMV applet (docs/oda.md, docs/pos-kernel.md §4): personalised with records 3 and 4
 * (DGI 0103, 0104) and an ODA key (RSA in DGIs 8201..8207, SM2 by GENERATE ODA KEY), the card
 * claims DDA in its AIP, lists records 1 (DGIs 0101 and 0102 in one answer), 3 and 4 with record 1
 * signed, and appends 9F69 and 9F4B to the
 * first GENERATE AC only; foundation's {@link OdaVerifier} accepts the signature and the issuer the
 * cryptogram over the new AIP. Both suites.
 */
class EmvOdaTest {
  private static final byte[] RID = Hex.decode("A000000333");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final EmvIssuer ISSUER = new EmvIssuer(21);
  private static final String CDOL1 = "000000000100" + "000000000000" + "0156" + "0000000000" + "0156" + "261207"
      + "00" + "1A2B3C4D";
  private static final String PDOL_DATA = "36004000" + "000000000100" + "0156" + "0156" + "261207" + "00" + "1A2B3C4D";

  static {
    System.setProperty("com.licel.jcardsim.randomdata.secure", "1"); // distinct SM2 keys and nonces
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void personalisedForOda_signsTheFirstAcOnly_verifierAndIssuerAccept(AlgorithmSuite suite) {
    OdaIssuing.CaKeyPair ca = OdaIssuing.newCa(suite, RID, 1, 1024, RANDOM);
    OdaIssuing.IssuerCredentials issuer = OdaIssuing.newIssuer(ca, "621234", YearMonth.of(2031, 12),
        Hex.decode("000001"), 1024, RANDOM);
    EmvCard card = EmvCard.installedWith(suite, ISSUER, EmvApplet.class);
    ok(card.selectApplication());
    byte[] record1 = EmvCard.record1(card.pan);
    ok(card.storeData(0x00, 0, EmvCard.dgi(0x0101, record1)));
    ok(card.storeData(0x00, 1, EmvCard.dgi(0x0102, EmvCard.record2())));
    OdaPublicKey key = suite == AlgorithmSuite.INTERNATIONAL ? loadRsaKey(card) : new OdaPublicKey.Sm2(
        ok(card.channel().transmit(new CommandApdu(0x80, 0xE0, 0, 0, new byte[0], 256))));
    OdaIssuing.IccCredentials icc = OdaIssuing.certifyCard(issuer, Hex.decode(card.pan), YearMonth.of(2027, 12),
        Hex.decode("000002"), key, EmvCard.concat(record1, EmvCard.record2()), RANDOM);
    ok(card.storeData(0x00, 3, EmvCard.dgi(0x0103, tlv(0x90, issuer.certificate()))));
    ok(card.storeData(0x00, 4, EmvCard.dgi(0x0104, EmvCard.concat(tlv(0x8F, new byte[] {1}),
        tlv(0x92, issuer.remainder()), tlv(0x9F32, issuer.exponent()), tlv(0x9F46, icc.certificate()),
        tlv(0x9F47, icc.exponent()), tlv(0x9F48, icc.remainder())))));
    ok(card.storeData(0x80, 5, EmvCard.dgi(0x9200, EmvCard.parameters(EmvCard.Limits.STANDARD))));
    assertThat(card.channel().transmit(new CommandApdu(0x80, 0xE0, 0, 0, new byte[0], 256)).sw())
        .as("no new ODA key once personalised").isEqualTo(0x6985);
    card.reinsert();

    ok(card.selectApplication());
    List<Tlv> gpo = BerTlv.parse(ok(card.send("80A80000188316" + PDOL_DATA + "00")));
    assertThat(value(gpo, 0x82)).isEqualTo(EmvApplet.AIP_ODA);
    assertThat(value(gpo, 0x94)).isEqualTo(EmvApplet.AFL_ODA);
    List<Tlv> records = new ArrayList<>();
    for (int r : new int[] {1, 3, 4}) {
      records.add(BerTlv.parseSingle(ok(card.send(String.format("00B2%02X0C00", r)))));
    }
    List<Tlv> ac = BerTlv.parse(ok(card.send("80AE80001D" + CDOL1 + "00")));
    byte[] cdol1 = Hex.decode(CDOL1);
    FddaData fdda = new FddaData(Arrays.copyOfRange(cdol1, 25, 29), Arrays.copyOfRange(cdol1, 0, 6),
        Arrays.copyOfRange(cdol1, 19, 21), value(ac, 0x9F69));
    OdaVerifier verifier = new OdaVerifier(OdaTrustStore.of(List.of(ca.publicKey())), CaRevocationList.empty());
    OdaResult result = verifier.verifyFdda(suite, CardOdaData.fromRecords(RID, records,
        EmvCard.concat(record1, EmvCard.record2())), fdda,
        value(ac, 0x9F4B), LocalDate.of(2026, 12, 7));
    assertThat(result).isInstanceOf(OdaResult.Verified.class);

    int atc = ((value(ac, 0x9F36)[0] & 0xFF) << 8) | (value(ac, 0x9F36)[1] & 0xFF);
    byte[] input = EmvCryptograms.cryptogramInput(cdol1, EmvApplet.AIP_ODA, atc, value(ac, 0x9F10));
    assertThat(EmvCryptograms.isCryptogramValid(suite, ISSUER.acSessionKey(card, atc), input, value(ac, 0x9F26)))
        .isTrue();
    byte[] arqc = value(ac, 0x9F26);
    String issuerAuthentication = Hex.encode(ISSUER.arpc(card, atc, arqc, Hex.decode("3030"))) + "3030";
    List<Tlv> second = BerTlv.parse(ok(card.send("80AE4000293030" + issuerAuthentication + CDOL1 + "00")));
    assertThat(Tlv.findIn(second, Tag.of(0x9F4B))).as("only the first GENERATE AC is signed").isEmpty();
    assertThat(value(second, 0x9F27)[0] & 0xC0).isEqualTo(0x40);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void rsaKeyComponents_onlyForTheInternationalSuite(AlgorithmSuite suite) {
    EmvCard card = EmvCard.installedWith(suite, ISSUER, EmvApplet.class);
    ok(card.selectApplication());
    int sw = card.storeData(0x00, 0, EmvCard.dgi(0x8201, new byte[128])).sw();
    assertThat(sw).isEqualTo(suite == AlgorithmSuite.INTERNATIONAL ? 0x9000 : 0x6A88);
  }

  private static OdaPublicKey loadRsaKey(EmvCard card) {
    RSAPrivateCrtKey key = (RSAPrivateCrtKey) OdaIssuing.newCardKeyPair(AlgorithmSuite.INTERNATIONAL, 1024, RANDOM)
        .getPrivate();
    BigInteger[] parts = {key.getModulus(), key.getPublicExponent(), key.getPrimeP(), key.getPrimeQ(),
        key.getPrimeExponentP(), key.getPrimeExponentQ(), key.getCrtCoefficient()};
    for (int i = 0; i < parts.length; i++) {
      ok(card.storeData(0x00, 10 + i, EmvCard.dgi(0x8201 + i, unsigned(parts[i]))));
    }
    return new OdaPublicKey.Rsa(unsigned(key.getModulus()), unsigned(key.getPublicExponent()));
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] raw = value.toByteArray();
    return raw[0] == 0 && raw.length > 1 ? Arrays.copyOfRange(raw, 1, raw.length) : raw;
  }

  private static byte[] tlv(int tag, byte[] value) {
    if (value.length == 0) {
      return new byte[0];
    }
    return Tlv.primitive(Tag.of(tag), value).encode();
  }

  private static byte[] value(List<Tlv> objects, int tag) {
    return ((Tlv.Primitive) Tlv.findIn(objects, Tag.of(tag)).orElseThrow()).value();
  }

  private static byte[] ok(ResponseApdu response) {
    assertThat(Integer.toHexString(response.sw())).isEqualTo("9000");
    return response.data();
  }
}
