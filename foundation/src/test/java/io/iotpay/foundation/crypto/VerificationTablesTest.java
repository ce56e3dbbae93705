package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.math.ec.WNafUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VerificationTablesTest {
  private static final byte[] MESSAGE = "meter 0042: 3.5 kWh".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void precompute_buildsTheFixedPointTablesOnce_andVerificationStillTellsGoodFromBad(AlgorithmSuite suite) {
    SignatureAlgorithm algorithm = suite.signature();
    KeyPair keys = algorithm.generateKeyPair(new SecureRandom());
    // A key object as the platform holds it: decoded from the certificate's DER, no tables yet.
    PublicKey key = algorithm.publicKeyFromDer(keys.getPublic().getEncoded());
    ECPoint point = ((ECPublicKey) key).getQ();
    assertThat(WNafUtil.getWNafPreCompInfo(point)).isNull();

    assertThat(SignatureAlgorithm.precomputeVerification(key)).isTrue();

    assertThat(WNafUtil.getWNafPreCompInfo(point).isPromoted()).isTrue();
    Object fixedPoint = point.getCurve().getPreCompInfo(point, FixedPointUtil.PRECOMP_NAME);
    assertThat(fixedPoint).isNotNull();
    byte[] signature = algorithm.sign(keys.getPrivate(), MESSAGE);
    assertThat(algorithm.verify(key, MESSAGE, signature)).isTrue();
    byte[] other = MESSAGE.clone();
    other[0] ^= 1;
    assertThat(algorithm.verify(key, other, signature)).isFalse();
    byte[] bent = signature.clone();
    bent[bent.length - 1] ^= 1;
    assertThat(algorithm.verify(key, MESSAGE, bent)).isFalse();
    PublicKey stranger = algorithm.generateKeyPair(new SecureRandom()).getPublic();
    SignatureAlgorithm.precomputeVerification(stranger);
    assertThat(algorithm.verify(stranger, MESSAGE, signature)).isFalse();

    // Called again (as before every verification), it builds nothing new.
    assertThat(SignatureAlgorithm.precomputeVerification(key)).isTrue();
    assertThat(point.getCurve().getPreCompInfo(point, FixedPointUtil.PRECOMP_NAME)).isSameAs(fixedPoint);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void precomputedKey_verifiesWhatAnUntouchedKeyVerifies(AlgorithmSuite suite) {
    SignatureAlgorithm algorithm = suite.signature();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 20; i++) {
      KeyPair keys = algorithm.generateKeyPair(random);
      PublicKey fast = algorithm.publicKeyFromDer(keys.getPublic().getEncoded());
      PublicKey plain = algorithm.publicKeyFromDer(keys.getPublic().getEncoded());
      SignatureAlgorithm.precomputeVerification(fast);
      byte[] message = new byte[1 + random.nextInt(300)];
      random.nextBytes(message);
      byte[] signature = algorithm.sign(keys.getPrivate(), message);
      assertThat(algorithm.verify(fast, message, signature)).isTrue();
      assertThat(algorithm.verify(plain, message, signature)).isTrue();
      message[random.nextInt(message.length)] ^= (byte) (1 + random.nextInt(255));
      assertThat(algorithm.verify(fast, message, signature)).isFalse();
      assertThat(algorithm.verify(plain, message, signature)).isFalse();
    }
  }

  @Test
  void keyOfAnotherProvider_isLeftAlone() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();

    assertThat(SignatureAlgorithm.precomputeVerification(keys.getPublic())).isFalse();
    byte[] signature = SignatureAlgorithm.ECDSA_P256_SHA256.sign(keys.getPrivate(), MESSAGE);
    assertThat(SignatureAlgorithm.ECDSA_P256_SHA256.verify(keys.getPublic(), MESSAGE, signature)).isTrue();
  }
}
