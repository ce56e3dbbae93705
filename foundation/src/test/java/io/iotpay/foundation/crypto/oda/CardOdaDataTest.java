package io.iotpay.foundation.crypto.oda;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.codec.TlvBuilder;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link CardOdaData#fromRecords}: the terminal's records in, the verifier's input out. */
class CardOdaDataTest {

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void recordsAsACardSendsThem_verify(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    FddaData data = OdaFixture.fdda("12345678");

    CardOdaData card = CardOdaData.fromRecords(OdaFixture.RID, records(f, true), OdaFixture.STATIC_DATA);

    assertThat(f.verifier().verifyFdda(suite, card, data, f.sign(data), OdaFixture.TODAY).ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void recordsWithoutTheCaIndex_areDataMissing(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);

    CardOdaData card = CardOdaData.fromRecords(OdaFixture.RID, records(f, false), OdaFixture.STATIC_DATA);

    OdaCounterfeitTest.assertRefused(f.verifier().verifyChain(suite, card, OdaFixture.TODAY), OdaReason.DATA_MISSING);
  }

  private static List<Tlv> records(OdaFixture f, boolean withCaIndex) {
    TlvBuilder one = TlvBuilder.template(Tag.of(0x70)).add(Tag.of(0x5A), OdaFixture.PAN);
    if (withCaIndex) {
      one.add(Tag.of(0x8F), new byte[] {(byte) OdaFixture.CA_INDEX});
    }
    addIfPresent(one, 0x92, f.issuer.remainder());
    addIfPresent(one, 0x9F32, f.issuer.exponent());
    TlvBuilder two = TlvBuilder.template(Tag.of(0x70)).add(Tag.of(0x90), f.issuer.certificate());
    TlvBuilder three = TlvBuilder.template(Tag.of(0x70)).add(Tag.of(0x9F46), f.icc.certificate());
    addIfPresent(three, 0x9F47, f.icc.exponent());
    addIfPresent(three, 0x9F48, f.icc.remainder());
    return List.of(one.build(), two.build(), three.build());
  }

  private static void addIfPresent(TlvBuilder record, int tag, byte[] value) {
    if (value.length > 0) {
      record.add(Tag.of(tag), value);
    }
  }
}
