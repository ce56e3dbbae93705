package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignatureKnownAnswerTest {
  private static final byte[] ALICE = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE_DIGEST = "message digest".getBytes(StandardCharsets.US_ASCII);

  @Test
  void sm2_withFixedK_matchesGbT32918Part2AnnexA() {
    // GB/T 32918.2-2016 (SM2 signature) Annex A / GM/T 0003.2-2012 A.2: example curve Fp-256,
    // ID_A = "ALICE123@YAHOO.COM", M = "message digest", d_A and k as below.
    KeyPair keys = TestCurves.keyPair(TestCurves.SM2_EXAMPLE_CURVE, "128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263");
    var random = new TestCurves.FixedRandom("6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F");
    byte[] signature = SignatureAlgorithm.SM2_SM3.newSigner(keys.getPrivate(), ALICE, random).sign(MESSAGE_DIGEST);
    BigInteger[] rs = decode(signature);
    assertThat(rs[0].toString(16).toUpperCase()).isEqualTo("40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1");
    assertThat(rs[1].toString(16).toUpperCase()).isEqualTo("6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7");
    assertThat(SignatureAlgorithm.SM2_SM3.verify(keys.getPublic(), MESSAGE_DIGEST, signature, ALICE)).isTrue();
    // The same signature is not valid under the default user id: Z_A binds the identity.
    assertThat(SignatureAlgorithm.SM2_SM3.verify(keys.getPublic(), MESSAGE_DIGEST, signature)).isFalse();
  }

  @Test
  void ecdsaP256_deterministic_matchesRfc6979A25Sample() {
    // RFC 6979, A.2.5 (ECDSA, 256 bits, prime field), message "sample", SHA-256.
    KeyPair keys = TestCurves.keyPair(TestCurves.named("secp256r1"), "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
    byte[] sample = "sample".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = SignatureAlgorithm.ECDSA_P256_SHA256.signDeterministic(keys.getPrivate(), sample);
    BigInteger[] rs = decode(signature);
    assertThat(rs[0].toString(16).toUpperCase()).isEqualTo("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716");
    assertThat(rs[1].toString(16).toUpperCase()).isEqualTo("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
    assertThat(SignatureAlgorithm.ECDSA_P256_SHA256.verify(keys.getPublic(), sample, signature)).isTrue();
  }

  @Test
  void ecdsaP256_publicKeyOfRfc6979Key_matchesPublishedPoint() {
    // RFC 6979, A.2.5: Ux, Uy of the private key above.
    KeyPair keys = TestCurves.keyPair(TestCurves.named("secp256r1"), "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
    var point = ((org.bouncycastle.jce.interfaces.ECPublicKey) keys.getPublic()).getQ();
    assertThat(Hex.encode(point.getAffineXCoord().getEncoded())).isEqualTo("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6");
    assertThat(Hex.encode(point.getAffineYCoord().getEncoded())).isEqualTo("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void signAndVerify_roundTripAndRejectOtherMessage(AlgorithmSuite suite) {
    KeyPair keys = suite.signature().generateKeyPair(new SecureRandom());
    byte[] data = "checkpoint 42".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = suite.signature().sign(keys.getPrivate(), data);
    assertThat(suite.signature().verify(keys.getPublic(), data, signature)).isTrue();
    assertThat(suite.signature().verify(keys.getPublic(), "checkpoint 43".getBytes(StandardCharsets.US_ASCII), signature)).isFalse();
    // Keys survive their DER encodings.
    var publicKey = suite.signature().publicKeyFromDer(keys.getPublic().getEncoded());
    var privateKey = suite.signature().privateKeyFromDer(keys.getPrivate().getEncoded());
    assertThat(suite.signature().verify(publicKey, data, suite.signature().sign(privateKey, data))).isTrue();
  }

  @Test
  void sm2_chosenUserId_verifiesOnlyUnderThatId() {
    KeyPair keys = SignatureAlgorithm.SM2_SM3.generateKeyPair(new SecureRandom());
    byte[] data = "tap-out".getBytes(StandardCharsets.US_ASCII);
    byte[] gate = "gate-0042@metro".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = SignatureAlgorithm.SM2_SM3.sign(keys.getPrivate(), data, gate);
    assertThat(SignatureAlgorithm.SM2_SM3.verify(keys.getPublic(), data, signature, gate)).isTrue();
    assertThat(SignatureAlgorithm.SM2_SM3.verify(keys.getPublic(), data, signature)).isFalse();
    byte[] byDefault = SignatureAlgorithm.SM2_SM3.sign(keys.getPrivate(), data);
    byte[] defaultId = SignatureAlgorithm.DEFAULT_SM2_USER_ID.getBytes(StandardCharsets.US_ASCII);
    assertThat(SignatureAlgorithm.SM2_SM3.verify(keys.getPublic(), data, byDefault, defaultId)).isTrue();
  }

  static BigInteger[] decode(byte[] der) {
    ASN1Sequence sequence = ASN1Sequence.getInstance(der);
    return new BigInteger[] {
      ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue(),
      ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue()
    };
  }

  static byte[] encode(BigInteger r, BigInteger s) throws java.io.IOException {
    return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
  }
}
