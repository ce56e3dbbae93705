package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class BlockCipherKnownAnswerTest {
  private static byte[] hex(String text) {
    return Hex.decode(text);
  }

  private static SecretKeyBytes key(String text) {
    return SecretKeyBytes.fromHex(text);
  }

  @Test
  void sm4_ecb_matchesGbT32907Example1() {
    // GB/T 32907-2016 (SM4), Appendix A, example 1: key = plaintext = 0123456789ABCDEFFEDCBA9876543210.
    byte[] out = BlockCipherAlgorithm.SM4.encrypt(
        CipherMode.ECB, key("0123456789ABCDEFFEDCBA9876543210"), null, hex("0123456789ABCDEFFEDCBA9876543210"));
    assertThat(Hex.encode(out)).isEqualTo("681EDF34D206965E86B3E94F536E4246");
    byte[] back = BlockCipherAlgorithm.SM4.decrypt(CipherMode.ECB, key("0123456789ABCDEFFEDCBA9876543210"), null, out);
    assertThat(Hex.encode(back)).isEqualTo("0123456789ABCDEFFEDCBA9876543210");
  }

  @Test
  void sm4_millionEncryptions_matchGbT32907Example2() {
    // GB/T 32907-2016, Appendix A, example 2: the same block encrypted 1,000,000 times.
    SecretKeyBytes key = key("0123456789ABCDEFFEDCBA9876543210");
    byte[] block = hex("0123456789ABCDEFFEDCBA9876543210");
    var engine = BlockCipherAlgorithm.SM4.newEngine(key, true);
    for (int i = 0; i < 1_000_000; i++) {
      engine.processBlock(block, 0, block, 0);
    }
    assertThat(Hex.encode(block)).isEqualTo("595298C7C6FD271F0402F804C33D3F66");
  }

  @Test
  void aes128_block_matchesFips197AppendixC1() {
    // FIPS 197, Appendix C.1 (AES-128).
    byte[] out = BlockCipherAlgorithm.AES.encryptBlock(key("000102030405060708090A0B0C0D0E0F"), hex("00112233445566778899AABBCCDDEEFF"));
    assertThat(Hex.encode(out)).isEqualTo("69C4E0D86A7B0430D8CDB78070B4C55A");
  }

  @Test
  void aes128_ecbAndCbc_matchSp80038aF11AndF21() {
    // NIST SP 800-38A, F.1.1 (ECB-AES128.Encrypt) and F.2.1 (CBC-AES128.Encrypt), first two blocks.
    SecretKeyBytes k = key("2B7E151628AED2A6ABF7158809CF4F3C");
    byte[] plain = hex("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51");
    assertThat(Hex.encode(BlockCipherAlgorithm.AES.encrypt(CipherMode.ECB, k, null, plain)))
        .isEqualTo("3AD77BB40D7A3660A89ECAF32466EF97F5D3D58503B9699DE785895A96FDBAAF");
    byte[] iv = hex("000102030405060708090A0B0C0D0E0F");
    byte[] cbc = BlockCipherAlgorithm.AES.encrypt(CipherMode.CBC, k, iv, plain);
    assertThat(Hex.encode(cbc)).isEqualTo("7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2");
    assertThat(BlockCipherAlgorithm.AES.decrypt(CipherMode.CBC, k, iv, cbc)).isEqualTo(plain);
  }

  @Test
  void tdes_withEqualHalves_isSingleDes_matchingFips81EcbAndCbcExamples() {
    // Two-key 3DES with K1 = K2 reduces to single DES, so the DES examples of FIPS 81 apply:
    // Appendix B (ECB) and Appendix C (CBC), key 0123456789ABCDEF, "Now is the time for all ".
    SecretKeyBytes k = key("0123456789ABCDEF0123456789ABCDEF");
    byte[] plain = hex("4E6F77206973207468652074696D6520666F7220616C6C20");
    assertThat(Hex.encode(BlockCipherAlgorithm.TDES.encrypt(CipherMode.ECB, k, null, plain)))
        .isEqualTo("3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53");
    byte[] iv = hex("1234567890ABCDEF");
    byte[] cbc = BlockCipherAlgorithm.TDES.encrypt(CipherMode.CBC, k, iv, plain);
    assertThat(Hex.encode(cbc)).isEqualTo("E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6");
    assertThat(BlockCipherAlgorithm.TDES.decrypt(CipherMode.CBC, k, iv, cbc)).isEqualTo(plain);
  }

  @Test
  void tdes_kcv_ofTheClassicTestKey_is08D7B4() {
    // KCV of 0123456789ABCDEFFEDCBA9876543210 as printed by payment HSM manuals and pyemv's
    // tests (key_check_digits(...) == "08D7"); KCV = 3DES of a zero block, first 3 bytes.
    assertThat(Hex.encode(BlockCipherAlgorithm.TDES.keyCheckValue(key("0123456789ABCDEFFEDCBA9876543210"))))
        .isEqualTo("08D7B4");
  }

  @Test
  void aes_kcv_matchesAesavsVarKeyFirstVector() {
    // NIST AES Algorithm Validation Suite (AESAVS), VarKey known-answer values, AES-128 count 0: key 80 00..00, plaintext zero -> 0EDD33D3...
    assertThat(Hex.encode(BlockCipherAlgorithm.AES.keyCheckValue(key("80000000000000000000000000000000"))))
        .isEqualTo("0EDD33");
  }

  @Test
  void sm4_kcv_equalsBouncyCastleEngineOnZeroBlock() {
    // No published SM4 KCV; independent computation with BouncyCastle's SM4Engine directly.
    byte[] k = hex("0123456789ABCDEFFEDCBA9876543210");
    SM4Engine engine = new SM4Engine();
    engine.init(true, new KeyParameter(k));
    byte[] expected = new byte[16];
    engine.processBlock(new byte[16], 0, expected, 0);
    assertThat(BlockCipherAlgorithm.SM4.keyCheckValue(new SecretKeyBytes(k)))
        .isEqualTo(java.util.Arrays.copyOf(expected, 3));
  }
}
