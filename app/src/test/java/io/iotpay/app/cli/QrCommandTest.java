package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.qr.MerchantPresentedCode;
import io.iotpay.protocol.qr.MpmCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code iotpay qr} through {@link Main#run}, capturing the process's stdout and stderr. */
class QrCommandTest {
  /** EMV QRCPS Merchant-Presented Mode v1.0, Annex A example payload (CRC A13A); see QrExamples in protocol. */
  private static final String MPM_EXAMPLE =
      "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN"
          + "5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***"
          + "0708A60086670902ME91320016A0112233449988770708123456786304A13A";

  /** EMV QRCPS Consumer-Presented Mode v1.0, the specification's example payload in base64. */
  private static final String CPM_EXAMPLE =
      "hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIv"
          + "RU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==";

  private static final ObjectMapper JSON = new ObjectMapper();

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
  void decode_mpmSpecExample_printsTheTreeAsJson() throws Exception {
    Run result = run("qr", "decode", MPM_EXAMPLE);

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    JsonNode json = JSON.readTree(result.out());
    assertThat(json.path("mode").asText()).isEqualTo("merchant-presented");
    assertThat(json.path("crc").asText()).isEqualTo("A13A");
    assertThat(json.path("amount").asText()).isEqualTo("23.72");
    assertThat(json.path("currency").asText()).isEqualTo("CNY");
    assertThat(json.path("dynamic").asBoolean()).isTrue();
    JsonNode objects = json.path("objects");
    assertThat(objects).hasSize(14);
    assertThat(objects.get(2).path("id").asText()).isEqualTo("29");
    assertThat(objects.get(2).path("name").asText()).isEqualTo("Merchant Account Information");
    assertThat(objects.get(2).path("objects").get(0).path("name").asText()).isEqualTo("Globally Unique Identifier");
    assertThat(objects.get(2).path("objects").get(0).path("value").asText()).isEqualTo("D15600000000");
    JsonNode language = objects.get(8);
    assertThat(language.path("id").asText()).isEqualTo("64");
    assertThat(language.path("objects").get(1).path("value").asText()).isEqualTo("最佳运输");
    assertThat(language.path("objects").get(1).path("length").asInt()).isEqualTo(4);
  }

  @Test
  void decode_cpmSpecExample_autoDetectedAndPanMasked() throws Exception {
    Run result = run("qr", "decode", CPM_EXAMPLE);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).doesNotContain("1234567890123458");
    JsonNode json = JSON.readTree(result.out());
    assertThat(json.path("mode").asText()).isEqualTo("consumer-presented");
    JsonNode objects = json.path("objects");
    assertThat(objects.get(0).path("text").asText()).isEqualTo("CPV01");
    assertThat(objects.get(1).path("objects").get(1).path("text").asText()).isEqualTo("Product1");
    JsonNode common = objects.get(3);
    assertThat(common.path("tag").asText()).isEqualTo("62");
    assertThat(common.path("objects").get(0).path("masked").asText()).isEqualTo("123456******3458");
    JsonNode transparent = common.path("objects").get(3);
    assertThat(transparent.path("name").asText()).isEqualTo("Common Data Transparent Template");
    assertThat(transparent.path("objects").get(1).path("tag").asText()).isEqualTo("9F26");
    assertThat(transparent.path("objects").get(1).path("hex").asText()).isEqualTo("584FD385FA234BCC");
  }

  @Test
  void decode_forcedModes() {
    assertThat(run("qr", "decode", "--cpm", CPM_EXAMPLE).exitCode()).isZero();
    Run wrongMode = run("qr", "decode", "--cpm", MPM_EXAMPLE);
    assertThat(wrongMode.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(wrongMode.err()).startsWith("iotpay: qr: consumer-presented payload is not base64");
    Run both = run("qr", "decode", "--cpm", "--mpm", CPM_EXAMPLE);
    assertThat(both.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(both.err().lines()).hasSize(1);
  }

  @Test
  void decode_forgedCrc_exits2WithOneLineReason() {
    Run result = run("qr", "decode", MPM_EXAMPLE.substring(0, MPM_EXAMPLE.length() - 4) + "0000");

    assertThat(result.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines().toList()).containsExactly(
        "iotpay: qr: CRC does not match the payload [tag 63]: the payload's CRC is A13A, the code says 0000");
  }

  @Test
  void encode_dynamicCodeWithAmount_printsACodeThatDecodes() {
    Run result = run("qr", "encode", "--merchant-name", "CORNER SHOP", "--city", "SHANGHAI", "--mcc", "5411",
        "--currency", "CNY", "--amount", "12.50", "--account", "io.iotpay:M-42", "--account", "A000000333:6229", "--dynamic");

    assertThat(result.exitCode()).isZero();
    assertThat(result.err()).isEmpty();
    String payload = result.out().strip();
    MerchantPresentedCode code = MpmCodec.decode(payload);
    assertThat(payload).startsWith("000201010212");
    assertThat(code.merchantName()).isEqualTo("CORNER SHOP");
    assertThat(code.merchantCity()).isEqualTo("SHANGHAI");
    assertThat(code.amount()).contains(Money.ofMinor(1250, CurrencyUnit.CNY));
    assertThat(code.countryCode()).isEqualTo("CN");
    assertThat(code.value("26.00")).contains("io.iotpay");
    assertThat(code.value("27.01")).contains("6229");
  }

  @Test
  void encode_thenDecode_isTheSameCode() throws Exception {
    Run encoded = run("qr", "encode", "--merchant-name", "KIOSK", "--city", "HONG KONG", "--mcc", "5999",
        "--currency", "344", "--country", "HK", "--account", "hk.iotpay:42");
    Run decoded = run("qr", "decode", encoded.out().strip());

    assertThat(decoded.exitCode()).isZero();
    JsonNode json = JSON.readTree(decoded.out());
    assertThat(json.path("dynamic").asBoolean()).isFalse();
    assertThat(json.path("currency").asText()).isEqualTo("HKD");
    assertThat(json.has("amount")).isFalse();
  }

  @Test
  void encode_badInput_exits2WithTheTag() {
    Run longName = run("qr", "encode", "--merchant-name", "A MERCHANT NAME FAR TOO LONG", "--city", "X", "--mcc", "5411",
        "--currency", "CNY", "--account", "g:v");
    assertThat(longName.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(longName.err()).startsWith("iotpay: qr: value length is outside the tag's limits [tag 59]");

    Run badAccount = run("qr", "encode", "--merchant-name", "SHOP", "--city", "X", "--mcc", "5411",
        "--currency", "CNY", "--account", "no-colon");
    assertThat(badAccount.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(badAccount.err()).contains("[tag 26]");

    Run badCurrency = run("qr", "encode", "--merchant-name", "SHOP", "--city", "X", "--mcc", "5411",
        "--currency", "XYZ", "--account", "g:v");
    assertThat(badCurrency.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(badCurrency.out()).isEmpty();

    Run tooManyDecimals = run("qr", "encode", "--merchant-name", "SHOP", "--city", "TOKYO", "--mcc", "5411",
        "--currency", "JPY", "--amount", "100.5", "--account", "g:v", "--country", "JP");
    assertThat(tooManyDecimals.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(tooManyDecimals.err()).contains("[tag 54]");
  }

  @Test
  void maskDigits_keepsFirstSixAndLastFour() {
    assertThat(QrCommand.maskDigits("6212345678901234567F")).isEqualTo("621234*********4567");
    assertThat(QrCommand.maskDigits("4761739001010010D22122011143804400000F")).isEqualTo("476173******0010");
  }
}
