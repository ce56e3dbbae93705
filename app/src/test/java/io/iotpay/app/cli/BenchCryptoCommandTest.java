package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCryptoCommandTest {
  @Test
  void quickRun_printsEveryOperationAndTheRatios() {
    CommandLine line = new CommandLine(new BenchCryptoCommand());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    assertThat(line.execute("--quick")).isZero();
    for (String operation : new String[] {"SM4-CMAC", "AES-CMAC", "3DES retail MAC", "SM3", "SHA-256",
        "SM2 sign", "SM2 verify", "ECDSA P-256 sign", "ECDSA P-256 verify"}) {
      assertThat(out.toString()).contains(operation);
    }
    assertThat(out.toString()).contains("× AES-CMAC").contains("64-byte messages");
    assertThat(err.toString()).contains("measuring 9 operations");
  }
}
