package io.iotpay.foundation.crypto.oda;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.LocalDate;
import java.util.List;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * A published DDA chain from a real card under a published CA key, verified end to end.
 *
 * <p>Source: emv-tools by Dmitry Eremin-Solenikov, file {@code tests/dda_test.c} (carried in the
 * Proxmark3 repository as {@code client/emv/test/dda_test.c}): the CA public key A000000004 index
 * 05 (1408 bits, exponent 3) with its SHA-1 checksum from the scheme's key list, a card's tags 90,
 * 92, 9F32, 9F46, 9F47, 5A, its static data to be authenticated and its 9F4B over DDOL data
 * 00000000. Only the data is taken from that (LGPL) file; the code here is ours.
 */
class RsaOdaKnownAnswerTest {
  private static final byte[] RID = Hex.decode("A000000004");
  private static final byte[] CA_MODULUS = Hex.decode(String.join("",
      "b8048abc30c90d976336543e3fd7091c", "8fe4800df820ed55e7e94813ed00555b",
      "573feca3d84af6131a651d66cff4284f", "b13b635edd0ee40176d8bf04b7fd1c7b",
      "acf9ac7327dfaa8aa72d10db3b8e70b2", "ddd811cb4196525ea386acc33c0d9d45",
      "75916469c4e4f53e8e1c912cc618cb22", "dde7c3568e90022e6bba770202e4522a",
      "2dd623d180e215bd1d1507fe3dc90ca3", "10d27b3efccd8f83de3052cad1e48938",
      "c68d095aac91b5f37e28bb49ec7ed597"));
  private static final byte[] CA_CHECKSUM = Hex.decode("ebfa0d5d06d8ce702da3eae890701d45e274c845");
  private static final byte[] ISSUER_CERTIFICATE = Hex.decode(String.join("",
      "1714284f763b8586ee6d319951f7e63f", "a25076e50dc9d3200ba998d3a052adba",
      "9ab69ac6ad6add3ce09f0278f4074ec4", "ee9b1d2268a3e953575e454e50cd860b",
      "f424c51c597712d2aa057089dd8673e5", "1b1e1d71880348920 77ac18a6ae23488".replace(" ", ""),
      "bea9df3b1a83f2c0800cd7c5cdf2fde0", "496f7bc39fb4bf363299bfa637b2ec33",
      "c507e36821eec2075f0e420d38a1c9f3", "127261ba316c987674fadb20ea7feb75",
      "ee455d12146ea6f02e8b01ec2fa7a115"));
  private static final byte[] ISSUER_REMAINDER = Hex.decode(String.join("",
      "6e63b7bc70abdd09341b34c03286ba9b", "d83ba7936c5b7798fb22c5e53ff240a2", "6dbd6415"));
  private static final byte[] ICC_CERTIFICATE = Hex.decode(String.join("",
      "a42fbeb156b98dcb0554da062adca530", "9a91f04fa2c7bd7102a8d73f16a3cfad",
      "e8aadf4f3fe2a2125ccdd77c6b9f78b5", "b4371ce0805725b0f9c027af147d91e1",
      "ffdb201e9c170ce777053a172ad526dc", "afd33895e1a947305c5b167f2e7c6f99",
      "1581a652ee473154760c2ed774214e50", "dfecdd4cf294c974b89ebca25b5ab3c0",
      "beb50dfaf782afde1433d90ca2a89d65", "1e75d67ebc7c3e36f5a165ee61326129",
      "39c1ecd399e46074b996d93a88e01e0a"));
  private static final byte[] SIGNED_DYNAMIC_DATA = Hex.decode(String.join("",
      "3d87f31056102d2512cfde30900627c1", "263a76d1daa821f50831e606c54544c2",
      "58131eaebe874dcb1a28cf82d3ff9111", "8260bc91113711d3b289fa41be69c7a7",
      "b5c783e6f8f97fce13f08b13fa44183e", "3718cebf0c41473d2b0ff4de44b6a02d",
      "75adb6d4962393ffdf4e69026cdf38ff"));
  private static final byte[] STATIC_DATA = Hex.decode(String.join("",
      "5f25031405015f24031506305a085285", "8812543456535f3401018e0c00000000",
      "000000001e031f039f0702ff009f0d05", "bc50bc00009f0e0500000000009f0f05",
      "bc70bc98009f4a01825f280206438c21", "9f02069f03069f1a0295055f2a029a03",
      "9c019f37049f35019f45029f4c089f34", "038d0c910a8a0295059f37049f4c08", "3900"));
  private static final byte[] PAN = Hex.decode("5285881254345653");
  private static final byte[] DDOL_DATA = Hex.decode("00000000");
  private static final byte[] EXPONENT_3 = {0x03};
  /** Within the card's validity (its static data says effective 2014-05-01, expiry 2015-06-30). */
  private static final LocalDate TODAY = LocalDate.of(2014, 6, 1);

  private static CaPublicKey caKey() {
    return CaPublicKey.checked(AlgorithmSuite.INTERNATIONAL, RID, 0x05, new OdaPublicKey.Rsa(CA_MODULUS, EXPONENT_3),
        CA_CHECKSUM);
  }

  private static CardOdaData card(byte[] staticData) {
    return new CardOdaData(RID, 0x05, PAN, ISSUER_CERTIFICATE, ISSUER_REMAINDER, EXPONENT_3, ICC_CERTIFICATE, null,
        EXPONENT_3, staticData);
  }

  @Test
  void publishedCaKey_matchesItsPublishedChecksum() {
    assertThat(caKey().checksum()).isEqualTo(CA_CHECKSUM);
  }

  @Test
  void publishedChainAndDynamicSignature_verify() {
    OdaVerifier verifier = new OdaVerifier(OdaTrustStore.of(List.of(caKey())), CaRevocationList.empty());

    OdaResult result = verifier.verifyDynamic(AlgorithmSuite.INTERNATIONAL, card(STATIC_DATA), DDOL_DATA,
        SIGNED_DYNAMIC_DATA, TODAY);

    assertThat(result).as(result.toString()).isInstanceOf(OdaResult.Verified.class);
    OdaResult.Verified verified = (OdaResult.Verified) result;
    byte[] dynamic = verified.iccDynamicData();
    // Book 2 table 17: the ICC dynamic data starts with the length of the ICC dynamic number (2..8).
    assertThat(dynamic[0]).isBetween((byte) 2, (byte) 8);
    assertThat(dynamic.length).isGreaterThanOrEqualTo(1 + dynamic[0]);
    assertThat(((OdaPublicKey.Rsa) verified.iccPublicKey()).length()).isEqualTo(SIGNED_DYNAMIC_DATA.length);
  }

  @Test
  void publishedChain_refusesAnotherUnpredictableNumberAndAlteredStaticData() {
    OdaVerifier verifier = new OdaVerifier(OdaTrustStore.of(List.of(caKey())), CaRevocationList.empty());

    OdaCounterfeitTest.assertRefused(verifier.verifyDynamic(AlgorithmSuite.INTERNATIONAL, card(STATIC_DATA),
        Hex.decode("00000001"), SIGNED_DYNAMIC_DATA, TODAY), OdaReason.DYNAMIC_SIGNATURE_INVALID);
    OdaCounterfeitTest.assertRefused(verifier.verifyChain(AlgorithmSuite.INTERNATIONAL,
        card(OdaCounterfeitTest.flip(STATIC_DATA, 10)), TODAY), OdaReason.STATIC_DATA_ALTERED);
    OdaCounterfeitTest.assertRefused(verifier.verifyChain(AlgorithmSuite.INTERNATIONAL, card(STATIC_DATA),
        LocalDate.of(2031, 1, 1)), OdaReason.ISSUER_CERT_EXPIRED);
  }

  @Test
  void recovery_agreesWithBouncyCastlesRsaEngine() {
    SecureRandom random = new SecureRandom();
    for (int bits : new int[] {1024, 1152, 1408, 1984}) {
      KeyPair pair = OdaIssuing.newCardKeyPair(AlgorithmSuite.INTERNATIONAL, bits, random);
      RSAPublicKey jca = (RSAPublicKey) pair.getPublic();
      OdaPublicKey.Rsa key = (OdaPublicKey.Rsa) OdaIssuing.publicKey(jca);
      RSAEngine engine = new RSAEngine();
      engine.init(true, new RSAKeyParameters(false, jca.getModulus(), jca.getPublicExponent()));
      for (int i = 0; i < 20; i++) {
        byte[] input = OdaIssuing.unsignedBytes(new BigInteger(bits - 1, random));
        byte[] padded = new byte[key.length()];
        System.arraycopy(input, 0, padded, padded.length - input.length, input.length);
        byte[] expected = engine.processBlock(padded, 0, padded.length);
        byte[] expectedPadded = new byte[key.length()];
        System.arraycopy(expected, 0, expectedPadded, expectedPadded.length - expected.length, expected.length);

        assertThat(RsaOda.recover(key, padded)).isEqualTo(expectedPadded);
      }
      // Operands that are not exactly N bytes, or not below n, never reach the arithmetic.
      assertThat(RsaOda.recover(key, new byte[key.length() - 1])).isNull();
      assertThat(RsaOda.recover(key, key.modulus())).isNull();
    }
  }
}
