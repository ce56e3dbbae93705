package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.app.Main;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CryptoCommandTest {
  /** Exit status, stdout and stderr of one run of the launcher's entry point. */
  record Result(int exit, String out, String err) {}

  static synchronized Result run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  private static void assertOk(Result result, String expectedHex) {
    assertThat(result.err()).isEmpty();
    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo(expectedHex + System.lineSeparator());
  }

  private static void assertBadInput(Result result, String reasonPart) {
    assertThat(result.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().strip()).doesNotContain("\n").contains(reasonPart).startsWith("iotpay: ");
  }

  @Test
  void digest_sm3OfAbc_isGmT0004Example1() {
    // GM/T 0004-2012 (SM3), Appendix A.1: SM3("abc").
    assertOk(run("crypto", "digest", "--alg", "SM3", "--data", "616263"),
        "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0");
  }

  @Test
  void digest_sha256OfAbc_isFips180Example() {
    // FIPS 180-2, Appendix B.1.
    assertOk(run("crypto", "digest", "--alg", "SHA-256", "--data", "616263"),
        "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  }

  @Test
  void encryptAndDecrypt_sm4Ecb_matchGbT32907Example() {
    // GB/T 32907-2016, Appendix A, example 1.
    String k = "0123456789ABCDEFFEDCBA9876543210";
    assertOk(run("crypto", "encrypt", "--alg", "SM4", "--mode", "ECB", "--key", k, "--data", k), "681EDF34D206965E86B3E94F536E4246");
    assertOk(run("crypto", "decrypt", "--alg", "SM4", "--mode", "ECB", "--key", k, "--data", "681EDF34D206965E86B3E94F536E4246"), k);
  }

  @Test
  void encrypt_aesCbcWithIv_matchesSp80038aF21() {
    // NIST SP 800-38A, F.2.1, first block.
    assertOk(run("crypto", "encrypt", "--alg", "AES", "--mode", "CBC", "--key", "2B7E151628AED2A6ABF7158809CF4F3C",
        "--iv", "000102030405060708090A0B0C0D0E0F", "--data", "6BC1BEE22E409F96E93D7E117393172A"), "7649ABAC8119B246CEE98E9B12E9197D");
  }

  @Test
  void mac_retailAndCmac_matchPublishedExamples() {
    // pyemv README, EMV secure messaging MAC (retail MAC, padding method 2).
    assertOk(run("crypto", "mac", "--alg", "ISO9797-1-M3", "--key", "0123456789ABCDEFFEDCBA9876543210", "--data", "8424000008", "--pad", "2"),
        "0BFFF5DF3FAA24E1");
    // RFC 4493, example 2.
    assertOk(run("crypto", "mac", "--alg", "AES-CMAC", "--key", "2B7E151628AED2A6ABF7158809CF4F3C", "--data", "6BC1BEE22E409F96E93D7E117393172A"),
        "070A16B46B4D4144F79BDD9DD04A287C");
  }

  @Test
  void kcv_3des_ofClassicTestKey() {
    // KCV of 0123456789ABCDEFFEDCBA9876543210 as published by HSM manuals (08D7B4).
    assertOk(run("crypto", "kcv", "--alg", "3DES", "--key", "0123456789ABCDEFFEDCBA9876543210"), "08D7B4");
  }

  @Test
  void derive_emvOptionAAndSessionKey_matchPyemvExamples() {
    // pyemv README (EMV Book 2 A1.4.1) and kd.derive_common_sk doctest (A1.3.1, ATC 001C).
    assertOk(run("crypto", "derive", "--method", "emv-option-a", "--key", "0123456789ABCDEFFEDCBA9876543210", "--pan", "99012345678901234", "--psn", "45"),
        "67F8292358083E5EA7AB7FDA58D53B6B");
    assertOk(run("crypto", "derive", "--method", "session-atc", "--key", "0123456789ABCDEFFEDCBA9876543210", "--atc", "001C"),
        "E9FB384AF807B940FEDCEA613461B0C4");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void derive_scp02_printsFourSessionKeysOrTheOneAsked(AlgorithmSuite suite) {
    Result all = run("crypto", "derive", "--method", "scp02", "--suite", suite.name(), "--key", "404142434445464748494A4B4C4D4E4F", "--counter", "001C");
    assertThat(all.exit()).isZero();
    String[] lines = all.out().strip().split("\\R");
    assertThat(lines).hasSize(4).allMatch(line -> line.matches("[0-9A-F]{32}"));
    Result cMac = run("crypto", "derive", "--method", "scp02", "--suite", suite.name(), "--key", "404142434445464748494A4B4C4D4E4F", "--counter", "001C", "--usage", "C-MAC");
    assertOk(cMac, lines[1]);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keygenSignVerify_roundTrip_andTamperedDataIsInvalid(AlgorithmSuite suite, @TempDir Path dir) {
    Path privateKey = dir.resolve("key.pem");
    Path publicKey = dir.resolve("pub.pem");
    Result keygen = run("crypto", "keygen", "--suite", suite.name(), "--out-private", privateKey.toString(), "--out-public", publicKey.toString());
    assertThat(keygen.exit()).isZero();
    assertThat(keygen.out()).isEmpty();
    assertThat(privateKey).content().startsWith("-----BEGIN PRIVATE KEY-----");

    Result sign = run("crypto", "sign", "--suite", suite.name(), "--key", privateKey.toString(), "--data", "CAFEBABE");
    assertThat(sign.exit()).isZero();
    String signature = sign.out().strip();
    assertThat(signature).matches("30[0-9A-F]+");

    Result valid = run("crypto", "verify", "--suite", suite.name(), "--key", publicKey.toString(), "--data", "CAFEBABE", "--signature", signature);
    assertThat(valid.exit()).isZero();
    assertThat(valid.out().strip()).isEqualTo("valid");
    Result invalid = run("crypto", "verify", "--suite", suite.name(), "--key", publicKey.toString(), "--data", "CAFEBABF", "--signature", signature);
    assertThat(invalid.exit()).isEqualTo(CryptoCommand.EXIT_INVALID_SIGNATURE);
    assertThat(invalid.out().strip()).isEqualTo("invalid");
  }

  @Test
  void sm2_userIdMustMatchBetweenSignAndVerify(@TempDir Path dir) {
    Path privateKey = dir.resolve("key.pem");
    Path publicKey = dir.resolve("pub.pem");
    run("crypto", "keygen", "--suite", "NATIONAL", "--out-private", privateKey.toString(), "--out-public", publicKey.toString());
    String signature = run("crypto", "sign", "--suite", "NATIONAL", "--key", privateKey.toString(), "--data", "01", "--user-id", "gate-7").out().strip();
    assertThat(run("crypto", "verify", "--suite", "NATIONAL", "--key", publicKey.toString(), "--data", "01", "--signature", signature, "--user-id", "gate-7").exit()).isZero();
    assertThat(run("crypto", "verify", "--suite", "NATIONAL", "--key", publicKey.toString(), "--data", "01", "--signature", signature).exit())
        .isEqualTo(CryptoCommand.EXIT_INVALID_SIGNATURE);
  }

  @Test
  void badInput_exits2WithOneLineReason(@TempDir Path dir) throws Exception {
    assertBadInput(run("crypto", "digest", "--alg", "MD5", "--data", "00"), "unknown digest algorithm 'MD5'");
    assertBadInput(run("crypto", "digest", "--alg", "SM3", "--data", "ABC"), "--data: hex: odd length 3");
    assertBadInput(run("crypto", "encrypt", "--alg", "3DES", "--mode", "ECB", "--key", "0123456789ABCDEF", "--data", "0000000000000000"),
        "3DES: key of 8 bytes, expected 16 bytes");
    assertBadInput(run("crypto", "encrypt", "--alg", "SM4", "--mode", "CBC", "--key", "0123456789ABCDEFFEDCBA9876543210", "--data", "00"),
        "not a multiple of the 16-byte block");
    assertBadInput(run("crypto", "mac", "--alg", "AES-CMAC", "--key", "2B7E151628AED2A6ABF7158809CF4F3C", "--data", "00", "--pad", "1"),
        "takes no padding");
    assertBadInput(run("crypto", "derive", "--method", "emv-option-a", "--key", "0123456789ABCDEFFEDCBA9876543210", "--pan", "12X4567890123"),
        "PAN: character at position 2");
    assertBadInput(run("crypto", "digest", "--alg", "SM3"), "Missing required option: '--data");
    assertBadInput(run("crypto", "kcv", "--alg", "AES", "--key", "00", "--bogus"), "Unknown option");
    Path garbage = Files.writeString(dir.resolve("bad.pem"), "not a pem");
    assertBadInput(run("crypto", "sign", "--suite", "NATIONAL", "--key", garbage.toString(), "--data", "00"), "PEM:");
    assertBadInput(run("crypto", "sign", "--suite", "NATIONAL", "--key", dir.resolve("missing.pem").toString(), "--data", "00"), "cannot be read");
  }
}
