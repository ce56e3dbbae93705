package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code iotpay tlv decode} through {@link Main#run}, capturing the process's stdout and stderr. */
class TlvCommandTest {
  /** Published PPSE SELECT response (see BerTlvTest in foundation for the source). */
  private static final String PPSE_FCI =
      "6F2F840E325041592E5359532E4444463031A51DBF0C1A61184F07A0000000031010500A56495341204445424954870101";

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exitCode = Main.run(args);
      System.out.flush();
      System.err.flush();
      return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Test
  void decode_publishedPpseResponse_printsIndentedTreeWithNames() {
    Run result = run("tlv", "decode", PPSE_FCI);

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out().lines().toList()).containsExactly(
        "6F File Control Information (FCI) Template (47)",
        "  84 Dedicated File (DF) Name (14): 325041592E5359532E4444463031 [2PAY.SYS.DDF01]",
        "  A5 File Control Information (FCI) Proprietary Template (29)",
        "    BF0C File Control Information (FCI) Issuer Discretionary Data (26)",
        "      61 Application Template (24)",
        "        4F Application Identifier (AID) - card (7): A0000000031010",
        "        50 Application Label (10): 56495341204445424954 [VISA DEBIT]",
        "        87 Application Priority Indicator (1): 01");
  }

  @Test
  void decode_numericAndDolValues_showDecodedForms() {
    // 9F02 n12 amount 50.00, 5F2A n3 CNY (156), 9F38 PDOL asking for DF60 and 9F02, unknown DF7F.
    Run result = run("tlv", "decode", "9F0206000000005000 5F2A020156", "9F3806DF60019F0206", "DF7F01AA");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines().toList()).containsExactly(
        "9F02 Amount, Authorised (Numeric) (6): 000000005000 [000000005000]",
        "5F2A Transaction Currency Code (2): 0156 [0156]",
        "9F38 Processing Options Data Object List (PDOL) (6): DF60019F0206 "
            + "[DOL DF60 Extended Application Type (transit quota) (1), 9F02 Amount, Authorised (Numeric) (6)]",
        "DF7F unknown tag (1): AA");
  }

  @Test
  void decode_numericTagWithHexNibble_saysSoInsteadOfFailing() {
    Run result = run("tlv", "decode", "9A03261A22");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("9A Transaction Date (3): 261A22 [not valid n: bcd: byte 1 (1A) has low nibble A, not a decimal digit]");
  }

  @Test
  void decode_badHex_exits2WithOneLineReason() {
    Run result = run("tlv", "decode", "6F0G");
    assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines().toList()).containsExactly("iotpay: hex: 'G' at position 3 is not a hex digit");
  }

  @Test
  void decode_truncatedTlv_exits2NamingOffsetAndTag() {
    Run result = run("tlv", "decode", "6F05840A11");
    assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(result.err().lines().toList()).containsExactly(
        "iotpay: tlv: value of tag 6F needs 5 bytes but only 3 remain (end of input) at offset 0");
  }

  @Test
  void decode_depthBeyondOption_exits2() {
    Run result = run("tlv", "decode", "--depth-max", "1", "70037001AA");
    assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(result.err()).contains("nests deeper than depthMax 1");
    assertThat(run("tlv", "decode", "--depth-max", "0", "5A0101").exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
  }

  @Test
  void decode_withoutHex_isAUsageError() {
    Run result = run("tlv", "decode");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Missing required parameter");
  }
}
