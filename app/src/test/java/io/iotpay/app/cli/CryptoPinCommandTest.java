package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.app.Main;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Dukpt;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code iotpay crypto dukpt} and {@code iotpay crypto pinblock …} driven through picocli. */
class CryptoPinCommandTest {
  private static final String BDK = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
  private static final String PAN = "4111111111111111";

  /** Runs the launcher with {@code stdin} as standard input; the same lock as CryptoCommandTest. */
  private static CryptoCommandTest.Result run(String stdin, String... args) {
    synchronized (CryptoCommandTest.class) {
      InputStream originalIn = System.in;
      PrintStream originalOut = System.out;
      PrintStream originalErr = System.err;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = Main.run(args);
        return new CryptoCommandTest.Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      } finally {
        System.setIn(originalIn);
        System.setOut(originalOut);
        System.setErr(originalErr);
      }
    }
  }

  private static String okLine(CryptoCommandTest.Result result) {
    assertThat(result.err()).isEmpty();
    assertThat(result.exit()).isZero();
    return result.out().strip();
  }

  @Test
  void dukpt_printsTheX9243WorkingKeys() {
    // ANSI X9.24-3-2017 Annex B: AES-128 BDK, KSN 1234567890123456 00000001.
    assertThat(okLine(run("", "crypto", "dukpt", "--bdk", BDK, "--ksn", "123456789012345600000001")))
        .isEqualTo("AF8CB133A78F8DC2D1359F18527593FB");
    assertThat(okLine(run("", "crypto", "dukpt", "--bdk", BDK, "--ksn", "123456789012345600000001", "--usage", "MAC-GEN")))
        .isEqualTo("A2DC23DE6FDE0824A2BC321E08E4B8B7");
    assertThat(okLine(run("", "crypto", "dukpt", "--bdk", BDK, "--ksn", "123456789012345600000001", "--key-type", "2TDEA")))
        .isEqualTo("630C706D9546E47D4449313F61C4D4AB");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void dukpt_equalsTheLibrary_inBothSuites(AlgorithmSuite suite) {
    String ksn = "1234567890123456000000FF";
    Dukpt.KeyType type = suite == AlgorithmSuite.NATIONAL ? Dukpt.KeyType.SM4_128 : Dukpt.KeyType.AES_128;
    SecretKeyBytes expected = Dukpt.workingKey(
        suite, SecretKeyBytes.fromHex(BDK), Dukpt.Ksn.parse(Hex.decode(ksn)), Dukpt.KeyUsage.DATA_ENCRYPTION_ENCRYPT, type);
    assertThat(okLine(run("", "crypto", "dukpt", "--suite", suite.name(), "--bdk", BDK, "--ksn", ksn, "--usage", "DATA-ENCRYPT")))
        .isEqualTo(Hex.encode(expected.value()));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void pinblock_encipherTranslateVerify_withThePinOnStdinOnly(AlgorithmSuite suite) {
    String terminalKey = okLine(run("", "crypto", "dukpt", "--suite", suite.name(), "--bdk", BDK, "--ksn", "123456789012345600000007"));
    String zoneKey = "A0A1A2A3A4A5A6A7A8A9AAABACADAEAF";
    CryptoCommandTest.Result enciphered =
        run("7291\n", "crypto", "pinblock", "encipher", "--suite", suite.name(), "--key", terminalKey, "--pan", PAN);
    String block = okLine(enciphered);
    assertThat(block).matches("[0-9A-F]{32}");
    String zoneBlock = okLine(run("", "crypto", "pinblock", "translate", "--suite", suite.name(),
        "--key-in", terminalKey, "--key-out", zoneKey, "--pan", PAN, "--block", block));
    CryptoCommandTest.Result valid =
        run("7291\r\n", "crypto", "pinblock", "verify", "--suite", suite.name(), "--key", zoneKey, "--pan", PAN, "--block", zoneBlock);
    assertThat(valid.exit()).isZero();
    assertThat(valid.out().strip()).isEqualTo("valid");
    CryptoCommandTest.Result invalid =
        run("7292\n", "crypto", "pinblock", "verify", "--suite", suite.name(), "--key", zoneKey, "--pan", PAN, "--block", zoneBlock);
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.out().strip()).isEqualTo("invalid");
    // Neither the PIN nor the PAN is ever echoed.
    for (CryptoCommandTest.Result each : new CryptoCommandTest.Result[] {enciphered, valid, invalid}) {
      assertThat(each.out() + each.err()).doesNotContain("7291").doesNotContain(PAN);
    }
  }

  @Test
  void pinblock_badInput_exits2WithoutEchoingPinOrPan() {
    String key = "00112233445566778899AABBCCDDEEFF";
    CryptoCommandTest.Result badPin = run("72a1\n", "crypto", "pinblock", "encipher", "--key", key, "--pan", PAN);
    assertThat(badPin.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(badPin.err()).contains("position 2").doesNotContain("72a1");
    CryptoCommandTest.Result longPin = run("12345678901234567890\n", "crypto", "pinblock", "encipher", "--key", key, "--pan", PAN);
    assertThat(longPin.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(longPin.err()).doesNotContain("1234567890");
    CryptoCommandTest.Result badPan = run("1234\n", "crypto", "pinblock", "encipher", "--key", key, "--pan", "41111111x1111111");
    assertThat(badPan.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(badPan.err()).contains("position 8").doesNotContain("41111111");
    CryptoCommandTest.Result forged = run("", "crypto", "pinblock", "translate", "--key-in", key, "--key-out", key,
        "--pan", PAN, "--block", "00000000000000000000000000000000");
    assertThat(forged.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(forged.err()).contains("does not decipher");
    CryptoCommandTest.Result badKsn = run("", "crypto", "dukpt", "--bdk", BDK, "--ksn", "12345678901234560001FFFF");
    assertThat(badKsn.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(badKsn.err()).contains("one-bits");
  }
}
