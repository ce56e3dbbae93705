package io.iotpay.card.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.licel.jcardsim.smartcardio.CardSimulator;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import javacard.framework.AID;
import javax.smartcardio.CommandAPDU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The card's signature verification ({@link EcVerifier}) against a published vector and against
 * BouncyCastle signatures of both suites: valid ones pass, any altered message, signature or key fails.
 */
class EcVerifierTest {
  private static final byte[] AID_BYTES = Hex.decode("F000000001");
  private final CardSimulator simulator = new CardSimulator();

  EcVerifierTest() {
    simulator.installApplet(new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length), VerifierApplet.class);
    simulator.selectApplet(new AID(AID_BYTES, (short) 0, (byte) AID_BYTES.length));
  }

  private int verify(int suiteByte, byte[] point, byte[] signature, byte[] message) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(point);
    data.write(signature.length);
    data.writeBytes(signature);
    data.writeBytes(message);
    return simulator.transmitCommand(new CommandAPDU(0x80, 0x01, suiteByte, 0, data.toByteArray())).getSW();
  }

  private static byte[] der(String r, String s) {
    return Hex.decode("3046" + "022100" + r + "022100" + s);
  }

  @Test
  void ecdsaP256_rfc6979VectorsVerify_andAlteredOnesDoNot() {
    // RFC 6979 appendix A.2.5 (ECDSA, 256 bits, prime field), key pair and SHA-256 signatures of
    // "sample" and "test". Both r and s have their top bit set, hence the 00 before each.
    byte[] q = Hex.decode("04" + "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
        + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");
    byte[] sample = der("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
        "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
    byte[] test = Hex.decode("3045" + "022100F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367"
        + "0220019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083");
    assertThat(verify(1, q, sample, "sample".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x9000);
    assertThat(verify(1, q, test, "test".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x9000);
    assertThat(verify(1, q, sample, "samplf".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x6988);
    assertThat(verify(1, q, test, "sample".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x6988);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void hostSignatures_verifyOnTheCard_andEveryAlterationFails(AlgorithmSuite suite) {
    int suiteByte = suite == AlgorithmSuite.INTERNATIONAL ? 1 : 2;
    SecureRandom random = new SecureRandom();
    KeyPair keys = suite.signature().generateKeyPair(random);
    KeyPair other = suite.signature().generateKeyPair(random);
    byte[] q = point(keys);
    for (int i = 0; i < 8; i++) {
      byte[] message = new byte[1 + random.nextInt(120)];
      random.nextBytes(message);
      byte[] signature = suite.signature().sign(keys.getPrivate(), message);
      assertThat(verify(suiteByte, q, signature, message)).as("genuine").isEqualTo(0x9000);
      byte[] alteredMessage = message.clone();
      alteredMessage[random.nextInt(message.length)] ^= (byte) (1 + random.nextInt(255));
      assertThat(verify(suiteByte, q, signature, alteredMessage)).as("message altered").isEqualTo(0x6988);
      byte[] alteredSignature = signature.clone();
      alteredSignature[alteredSignature.length - 1 - random.nextInt(20)] ^= 0x01;
      assertThat(verify(suiteByte, q, alteredSignature, message)).as("signature altered").isEqualTo(0x6988);
      assertThat(verify(suiteByte, point(other), signature, message)).as("other key").isEqualTo(0x6988);
      assertThat(verify(suiteByte == 1 ? 2 : 1, q, signature, message)).as("other suite").isEqualTo(0x6988);
    }
  }

  @Test
  void malformedDer_isRefused() {
    KeyPair keys = AlgorithmSuite.INTERNATIONAL.signature().generateKeyPair(new SecureRandom());
    byte[] message = {1, 2, 3};
    byte[] good = AlgorithmSuite.INTERNATIONAL.signature().sign(keys.getPrivate(), message);
    assertThat(verify(1, point(keys), good, message)).isEqualTo(0x9000);
    byte[] zeroR = Hex.decode("3006020100020101");
    byte[] badTag = good.clone();
    badTag[0] = 0x31;
    byte[] badLength = good.clone();
    badLength[1]++;
    for (byte[] bad : new byte[][] {zeroR, badTag, badLength, new byte[] {0x30, 0x00}}) {
      assertThat(verify(1, point(keys), bad, message)).isEqualTo(0x6988);
    }
  }

  private static byte[] point(KeyPair keys) {
    return ((org.bouncycastle.jce.interfaces.ECPublicKey) keys.getPublic()).getQ().getEncoded(false);
  }
}
