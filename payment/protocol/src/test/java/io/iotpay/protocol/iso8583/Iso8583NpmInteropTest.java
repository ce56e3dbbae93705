package io.iotpay.protocol.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iotpay.foundation.TestCommands;
import io.iotpay.foundation.codec.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Interop with an ISO 8583 implementation we did not write: the npm package {@code iso_8583}
 * (2.6.x, MIT) run by the machine's Node.js builds an 0800 and an 0100, frames them with its own
 * 2-byte header, sends them to our {@link Iso8583Server} and prints the 0810/0110 it parses back.
 * The link has MACs off ({@link LinkSettings#macRequired()} false): the npm library has no MAC.
 * Skipped, with the reason, when {@code node} or the package (under {@code IOTPAY_NPM_PREFIX},
 * default {@code /opt/iotpay-npm}; {@code .ci/setup.d/40-npm-iso8583.sh} installs it) is missing.
 */
class Iso8583NpmInteropTest {
  private static final Pattern FIELD = Pattern.compile("\"(\\d+)\":\"([^\"]*)\"");
  private static final IccData ARPC = new IccData(Hex.decode("910A1122334455667788" + "3030"));

  @Test
  void npmBuiltAuthorisation_isParsedFieldByField_andItsParserReadsOurAnswer() throws Exception {
    Path prefix = Path.of(System.getenv().getOrDefault("IOTPAY_NPM_PREFIX", "/opt/iotpay-npm"));
    assumeTrue(TestCommands.works("node", "--version"),
        "node is not on the PATH (install nodejs; .ci/setup.d/40-npm-iso8583.sh needs it)");
    assumeTrue(Files.isRegularFile(prefix.resolve("node_modules/iso_8583/package.json")),
        "npm package iso_8583 is not installed under " + prefix + " (run .ci/setup.d/40-npm-iso8583.sh)");

    List<Iso8583Message> received = new CopyOnWriteArrayList<>();
    Iso8583Server.Handler handler = request -> {
      received.add(request);
      return CardResponse.answering(request, ResponseCode.APPROVED, "A1B2C3", ARPC);
    };
    LinkSettings settings = LinkFixture.serverSettings().withMacRequired(false);
    try (Iso8583Server server = new Iso8583Server(settings, null, handler, LinkFixture.WIRE)
        .start(LinkFixture.loopback(0))) {
      Map<String, Map<String, String>> printed = runPeer(prefix, server.port());

      assertThat(received).hasSize(1);
      CardTransaction parsed = ((AuthorisationRequest) received.get(0)).transaction();
      assertThat(parsed).isEqualTo(Samples.transaction(42, "TERM0001")); // the npm script's values, field by field

      Map<String, String> signOn = printed.get("SIGNON");
      assertThat(signOn).containsEntry("0", "0810").containsEntry("39", "00").containsEntry("70", "001")
          .containsEntry("11", "000041").containsEntry("41", "NPMPEER1");
      Map<String, String> answer = printed.get("RESPONSE");
      assertThat(answer).containsOnlyKeys("0", "2", "3", "4", "7", "11", "32", "37", "38", "39", "41", "42", "49", "55");
      assertThat(answer)
          .containsEntry("0", "0110")
          .containsEntry("2", "6212345678901232")
          .containsEntry("3", "000000")
          .containsEntry("4", "000000012345")
          .containsEntry("7", "1206235501")
          .containsEntry("11", "000042")
          .containsEntry("32", "48020000")
          .containsEntry("37", "RRN000000042")
          .containsEntry("38", "A1B2C3")
          .containsEntry("39", "00")
          .containsEntry("41", "TERM0001")
          .containsEntry("42", "MERCHANT0000001")
          .containsEntry("49", "156")
          .containsEntry("55", Hex.encode(ARPC.value()).toUpperCase(java.util.Locale.ROOT));
    }
  }

  private static Map<String, Map<String, String>> runPeer(Path prefix, int port)
      throws IOException, InterruptedException, URISyntaxException {
    Path script = Path.of(Iso8583NpmInteropTest.class.getResource("/iso8583/npm-peer.js").toURI());
    ProcessBuilder builder = new ProcessBuilder("node", script.toString(), Integer.toString(port));
    builder.environment().put("NODE_PATH", prefix.resolve("node_modules").toString());
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("node peer finished").isTrue();
    assertThat(process.exitValue()).as("node peer exit code; output: " + output).isZero();
    Map<String, Map<String, String>> printed = new HashMap<>();
    for (String line : output.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0) {
        Map<String, String> fields = new HashMap<>();
        Matcher matcher = FIELD.matcher(line.substring(space + 1));
        while (matcher.find()) {
          fields.put(matcher.group(1), matcher.group(2));
        }
        printed.put(line.substring(0, space), fields);
      }
    }
    assertThat(printed).as("node peer output: " + output).containsKeys("SIGNON", "RESPONSE");
    return printed;
  }
}
