package io.iotpay.foundation.crypto.oda;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.time.LocalDate;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random and mutated card data: the verifier answers every input with a result and never throws
 * (no exception from BigInteger, RSA or EC code escapes), and only the genuine data verifies.
 */
class OdaFuzzProperties {

  @Provide
  Arbitrary<byte[]> anyBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300).injectNull(0.05);
  }

  @Property(tries = 300)
  void randomCardData_isRefusedWithoutThrowing(@ForAll AlgorithmSuite suite, @ForAll("anyBytes") byte[] issuerCert,
      @ForAll("anyBytes") byte[] remainder, @ForAll("anyBytes") byte[] iccCert, @ForAll("anyBytes") byte[] signed,
      @ForAll("anyBytes") byte[] staticData, @ForAll("anyBytes") byte[] pan, @ForAll @IntRange(min = -2, max = 300) int caIndex) {
    OdaFixture f = OdaFixture.of(suite);
    byte[] exponent = suite == AlgorithmSuite.INTERNATIONAL ? new byte[] {3} : null;
    CardOdaData card = new CardOdaData(OdaFixture.RID, caIndex, pan, issuerCert, remainder, exponent, iccCert,
        remainder, exponent, staticData);

    OdaResult result = f.verifier().verifyDynamic(suite, card, staticData, signed, LocalDate.of(2026, 1, 1));

    assertThat(result).isInstanceOf(OdaResult.Refused.class);
  }

  /** Genuine data with one field replaced by a random mutation of itself (a byte changed, cut or grown). */
  @Property(tries = 400)
  void mutatedGenuineData_verifiesOnlyWhenUnchanged(@ForAll AlgorithmSuite suite, @ForAll @IntRange(min = 0, max = 8) int field,
      @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll @IntRange(min = 0, max = 400) int position, @ForAll byte value) {
    OdaFixture f = OdaFixture.of(suite);
    FddaData data = OdaFixture.fdda("27182818");
    CardOdaData card = f.card();
    byte[][] fields = {card.pan(), card.issuerCertificate(), card.issuerRemainder(), card.issuerExponent(),
        card.iccCertificate(), card.iccExponent(), card.staticData(), data.signedData(), f.sign(data)};
    byte[] original = fields[field];
    fields[field] = mutate(original, kind, position, value);

    CardOdaData mutated = new CardOdaData(card.rid(), card.caIndex(), fields[0], fields[1], fields[2], fields[3], fields[4],
        card.iccRemainder(), fields[5], fields[6]);
    OdaResult result = f.verifier().verifyDynamic(suite, mutated, fields[7], fields[8], OdaFixture.TODAY);

    // cn pads with F: a PAN grown by FF bytes is the same PAN (EMV Book 3 section 4.3).
    boolean samePan = field == 0 && fields[0].length <= OdaLimits.PAN_BYTES_MAX
        && Arrays.equals(RsaOda.paddedPan(original), RsaOda.paddedPan(fields[0]));
    assertThat(result.ok()).as(result.toString()).isEqualTo(Arrays.equals(original, fields[field]) || samePan);
  }

  private static byte[] mutate(byte[] data, int kind, int position, byte value) {
    return switch (kind) {
      case 0 -> {
        if (data.length == 0) {
          yield new byte[] {value};
        }
        byte[] out = data.clone();
        out[position % data.length] = value;
        yield out;
      }
      case 1 -> Arrays.copyOf(data, data.length == 0 ? 0 : position % data.length);
      default -> {
        byte[] out = Arrays.copyOf(data, data.length + 1 + position % 4);
        out[out.length - 1] = value;
        yield out;
      }
    };
  }
}
