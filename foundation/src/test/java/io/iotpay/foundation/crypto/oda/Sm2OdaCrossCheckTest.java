package io.iotpay.foundation.crypto.oda;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.SignatureAlgorithm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

/**
 * The SM2 of the ODA formats (raw r ‖ s, Z from the default user id) agrees with the project's
 * SM2 signature ({@link SignatureAlgorithm#SM2_SM3}, the JCA path with DER signatures, whose own
 * known answers are in SignatureKnownAnswerTest): each verifies what the other signs.
 */
class Sm2OdaCrossCheckTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void odaSignatures_verifyUnderTheJcaSm2_andBack() throws Exception {
    KeyPair pair = SignatureAlgorithm.SM2_SM3.generateKeyPair(RANDOM);
    OdaPublicKey.Sm2 key = (OdaPublicKey.Sm2) OdaIssuing.publicKey(pair.getPublic());
    BigInteger d = OdaIssuing.sm2Scalar(pair.getPrivate());
    assertThat(Sm2Oda.publicPoint(d)).isEqualTo(key.point());
    for (int i = 0; i < 10; i++) {
      byte[] message = ("certificate body " + i).getBytes(StandardCharsets.US_ASCII);

      byte[] raw = Sm2Oda.sign(d, message, RANDOM);
      assertThat(SignatureAlgorithm.SM2_SM3.verify(pair.getPublic(), message, der(raw))).isTrue();

      byte[] jca = SignatureAlgorithm.SM2_SM3.sign(pair.getPrivate(), message);
      assertThat(Sm2Oda.verify(key, message, raw(jca))).isTrue();
      assertThat(Sm2Oda.verify(key, Arrays.copyOf(message, message.length - 1), raw(jca))).isFalse();
    }
  }

  private static byte[] der(byte[] raw) throws Exception {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))));
    v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64))));
    return new DERSequence(v).getEncoded();
  }

  private static byte[] raw(byte[] der) {
    ASN1Sequence sequence = ASN1Sequence.getInstance(der);
    return OdaBytes.concat(Sm2Oda.fixed(ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue()),
        Sm2Oda.fixed(ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue()));
  }
}
