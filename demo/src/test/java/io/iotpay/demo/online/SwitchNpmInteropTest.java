package io.iotpay.demo.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.foundation.TestCommands;
import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.authorisation.card.CardAuthorisationService;
import io.iotpay.issuer.authorisation.card.ScriptSigner;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MessageMac;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interop at a port (issue #15, "What it must show"): an 0100 built by an ISO 8583 implementation we
 * did not write — the npm package {@code iso_8583} (2.6.x, MIT), run by the machine's Node.js, its
 * field 128 MAC computed by Node's own crypto (ISO 9797-1 algorithm 3 / SM4-CBC, the script
 * {@code online/npm-acquirer.js}) — goes to the real {@link OnlineSwitch}'s acquirer port over
 * loopback TCP, the switch routes it by card range to the real {@link CardAuthorisationService}
 * behind its own {@link Iso8583Server} (SQLite ledger with its audit log, software key custody with
 * the IMK), and the 0110 that comes back is checked field by field, its ARPC and both MACs
 * included; the issuer's ledger holds the amount and balances. Both suites. Skipped, with the
 * reason, when {@code node} or the package (under {@code IOTPAY_NPM_PREFIX}, default
 * {@code /opt/iotpay-npm}; {@code .ci/setup.d/40-npm-iso8583.sh} installs it) is missing.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SwitchNpmInteropTest {
  private static final PartyId ACQUIRER = PartyId.of("ACQ1");
  private static final PartyId ISSUER = PartyId.of("ISSA");
  private static final Pan PAN = Pan.withCheckDigit("621234567890123");
  private static final int PSN = 1;
  private static final long AMOUNT_MINOR = 12_345;
  private static final int ATC = 0x2A;
  private static final String IMK_LABEL = "imk-ac";
  private static final long BOOK = 1;
  private static final long FUNDING = 10;
  private static final long SETTLEMENT = 20;
  private static final long STAND_IN = 30;
  private static final long CARD_ACCOUNT = 100;
  private static final byte[] ARC_APPROVED = {'0', '0'};
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void npmBuilt0100_atTheSwitchsPort_isAuthorisedByTheIssuer_andThe0110ChecksFieldByField(AlgorithmSuite suite)
      throws Exception {
    Path prefix = Path.of(System.getenv().getOrDefault("IOTPAY_NPM_PREFIX", "/opt/iotpay-npm"));
    assumeTrue(TestCommands.works("node", "--version"),
        "node is not on the PATH (install nodejs; .ci/setup.d/40-npm-iso8583.sh needs it)");
    assumeTrue(Files.isRegularFile(prefix.resolve("node_modules/iso_8583/package.json")),
        "npm package iso_8583 is not installed under " + prefix + " (run .ci/setup.d/40-npm-iso8583.sh)");

    SecretKeyBytes imk = randomKey();
    ZoneKeys acquirerLink = zoneKeys(suite, "1");
    Iso8583Wire wire = Iso8583Wire.load();
    try (Database issuerDb = Database.open("jdbc:sqlite:" + dir.resolve("issuer.db"), 4);
        AuditLog audit = AuditLog.open(issuerDb, AuditLogConfig.of(suite, suite.signature().generateKeyPair(RANDOM)));
        Ledger ledger = Ledger.open(issuerDb, LedgerConfig.defaults(), Clock.systemUTC(), audit);
        SoftwareKeyCustody custody = SoftwareKeyCustody.open(dir.resolve("custody"), suite,
            new SecretKeyBytes(new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16]))) {
      fund(ledger);
      custody.importClear(IMK_LABEL, suite, KeyUsage.ISSUER_MASTER, imk);
      CardAuthorisationService host = new CardAuthorisationService(issuerDb, ledger, custody,
          new CardAuthorisationService.Config(SETTLEMENT, STAND_IN, 7 * 86_400_000L, randomKey().value(),
              ScriptSigner.software(suite, randomKey())), Clock.systemUTC());
      host.registerCard(PAN, PSN, YearMonth.of(2029, 12), IMK_LABEL, CARD_ACCOUNT, 5, 100_000);

      try (Iso8583Server issuer = new Iso8583Server(LinkSettings.defaults("11110000", "ISSUER01").withEchoIntervalMs(0),
              zoneKeys(suite, "2"), host, wire).start(loopback(0));
          Database switchDb = Database.open("jdbc:sqlite:" + dir.resolve("switch-online.db"), 4);
          OnlineSwitch online = new OnlineSwitch(OnlineSwitchConfig.defaults(
              List.of(new AcquirerEndpoint(ACQUIRER, loopback(0), LinkSettings.defaults("99990000", "SWITCH01"),
                  acquirerLink)),
              List.of(new IssuerEndpoint(ISSUER, loopback(issuer.port()),
                  LinkSettings.defaults("99990000", "SWITCH01").withRequestTimeoutMs(10_000).withEchoIntervalMs(0),
                  zoneKeys(suite, "2"), 5_000, new StandInLimits(cny(5_000), cny(8_000), cny(100_000)))),
              List.of(new CardRange("621234", ISSUER)), storeKeys(suite)), switchDb, wire).start()) {
        Chip chip = chip(suite, imk);
        Map<String, String> request = new LinkedHashMap<>();
        request.put("0", "0100");
        request.put("2", PAN.digits());
        request.put("3", "000000");
        request.put("4", String.format("%012d", AMOUNT_MINOR));
        request.put("7", "1207090000");
        request.put("11", "000901");
        request.put("12", "090000");
        request.put("13", "1207");
        request.put("14", "2912");
        request.put("22", "071");
        request.put("23", "001");
        request.put("32", "48020000");
        request.put("37", "RRN000000901");
        request.put("41", "TERM0001");
        request.put("42", "MERCHANT0000001");
        request.put("49", "156");
        request.put("55", Hex.encode(chip.field55()).toUpperCase(Locale.ROOT));

        Map<String, String> printed = runAcquirer(prefix, online.port(ACQUIRER), suite, acquirerLink, request);

        JsonNode signOn = JSON.readTree(printed.get("SIGNON"));
        assertThat(signOn.path("0").asText()).isEqualTo("0810");
        assertThat(signOn.path("39").asText()).isEqualTo("00");
        assertThat(printed.get("SIGNON_MAC")).as("our 0810's MAC, checked by Node's crypto").isEqualTo("ok");

        JsonNode answer = JSON.readTree(printed.get("RESPONSE"));
        List<String> fields = new ArrayList<>();
        answer.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("0", "2", "3", "4", "7", "11", "32", "37", "38", "39", "41", "42",
            "49", "55", "128");
        assertThat(answer.path("0").asText()).isEqualTo("0110");
        for (String echoed : List.of("2", "3", "4", "7", "11", "32", "37", "41", "42", "49")) {
          assertThat(answer.path(echoed).asText()).as("field %s echoed", echoed).isEqualTo(request.get(echoed));
        }
        assertThat(answer.path("39").asText()).as("approved by the issuer").isEqualTo("00");
        assertThat(answer.path("38").asText()).as("approval code").hasSize(6);
        byte[] arpc = EmvCryptograms.arpcMethod1(suite, chip.sessionKey(), chip.arqc(), ARC_APPROVED);
        assertThat(answer.path("55").asText()).as("field 55: 91 = ARPC (method 1) ‖ ARC over the card's ARQC")
            .isEqualTo(Hex.encode(BerTlv.encode(List.of(Tlv.primitive(Tag.of(0x91),
                concat(arpc, ARC_APPROVED))))).toUpperCase(Locale.ROOT));
        assertThat(printed.get("RESPONSE_MAC")).as("the 0110's MAC, checked by Node's crypto").isEqualTo("ok");
        byte[] frame = Hex.decode(printed.get("RESPONSE_FRAME"));
        assertThat(MessageMac.verify(suite, acquirerLink.current().zak(), Arrays.copyOfRange(frame, 2, frame.length - 16),
            Hex.decode(answer.path("128").asText()))).as("and by ours, over the bytes as received").isTrue();

        AccountBalance card = ledger.balance(CARD_ACCOUNT).orElseThrow();
        assertThat(card.debitsPendingMinor()).as("the hold").isEqualTo(AMOUNT_MINOR);
        assertBooksBalance(ledger);
      }
    }
  }

  /** The card's chip data for field 55: a genuine ARQC (option A key from the IMK, as the card derives it). */
  private record Chip(byte[] field55, byte[] arqc, SecretKeyBytes sessionKey) {}

  private static Chip chip(AlgorithmSuite suite, SecretKeyBytes imk) {
    byte[] cdol1 = Hex.decode(String.format("%012d", AMOUNT_MINOR) + "000000000000" + "0156" + "0000000000" + "0156"
        + "261207" + "00" + "1A2B3C4D");
    byte[] aip = Hex.decode("1800"); // docs/emv-card-apdus.md §3
    // IAD as the card makes it: length 06, DKI 01, CVN (01 3DES, 04 SM4), CVR 03 A0 00 00.
    byte[] iad = Hex.decode("0601" + (suite == AlgorithmSuite.INTERNATIONAL ? "01" : "04") + "03A00000");
    SecretKeyBytes sessionKey = EmvCryptograms.sessionKey(suite,
        EmvKeyDerivation.cardMasterKey(suite, imk, PAN.digits(), String.format("%02d", PSN)), ATC);
    byte[] arqc = EmvCryptograms.applicationCryptogram(suite, sessionKey,
        EmvCryptograms.cryptogramInput(cdol1, aip, ATC, iad));
    List<Tlv> objects = new ArrayList<>();
    objects.add(Tlv.primitive(Tag.of(0x9F26), arqc));
    objects.add(Tlv.primitive(Tag.of(0x9F27), new byte[] {(byte) 0x80}));
    objects.add(Tlv.primitive(Tag.of(0x9F10), iad));
    objects.add(Tlv.primitive(Tag.of(0x9F36), new byte[] {0, ATC}));
    objects.add(Tlv.primitive(Tag.of(0x82), aip));
    int offset = 0;
    int[][] cdol = {{0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5}, {0x5F2A, 2}, {0x9A, 3}, {0x9C, 1}, {0x9F37, 4}};
    for (int[] entry : cdol) {
      objects.add(Tlv.primitive(Tag.of(entry[0]), Arrays.copyOfRange(cdol1, offset, offset + entry[1])));
      offset += entry[1];
    }
    return new Chip(BerTlv.encode(objects), arqc, sessionKey);
  }

  private static void fund(Ledger ledger) {
    ledger.createAccounts(List.of(Account.of(FUNDING, BOOK, CurrencyUnit.CNY), Account.of(SETTLEMENT, BOOK,
        CurrencyUnit.CNY), Account.of(STAND_IN, BOOK, CurrencyUnit.CNY),
        new Account(CARD_ACCOUNT, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS))).join();
    assertThat(ledger.submit(List.of(Transfer.single(1, FUNDING, CARD_ACCOUNT, 100_000))).join())
        .containsOnly(TransferResult.OK);
  }

  /** Over every account, debits equal credits, pending and posted. */
  private static void assertBooksBalance(Ledger ledger) {
    long[] sums = new long[4];
    for (AccountBalance b : ledger.balances().values()) {
      sums[0] += b.debitsPendingMinor();
      sums[1] += b.creditsPendingMinor();
      sums[2] += b.debitsPostedMinor();
      sums[3] += b.creditsPostedMinor();
    }
    assertThat(sums[0]).as("pending").isEqualTo(sums[1]);
    assertThat(sums[2]).as("posted").isEqualTo(sums[3]);
  }

  /** Runs the Node acquirer; returns its printed lines by label. */
  private static Map<String, String> runAcquirer(Path prefix, int port, AlgorithmSuite suite, ZoneKeys link,
      Map<String, String> request) throws IOException, InterruptedException, URISyntaxException {
    Path script = Path.of(SwitchNpmInteropTest.class.getResource("/online/npm-acquirer.js").toURI());
    ProcessBuilder builder = new ProcessBuilder("node", script.toString(), Integer.toString(port), suite.name(),
        Hex.encode(link.current().zak().value()), JSON.writeValueAsString(request));
    builder.environment().put("NODE_PATH", prefix.resolve("node_modules").toString());
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("node acquirer finished").isTrue();
    assertThat(process.exitValue()).as("node acquirer exit code; output: " + output).isZero();
    Map<String, String> printed = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0) {
        printed.put(line.substring(0, space), line.substring(space + 1).trim());
      }
    }
    assertThat(printed).as("node acquirer output: " + output)
        .containsKeys("SIGNON", "SIGNON_MAC", "RESPONSE", "RESPONSE_MAC", "RESPONSE_FRAME");
    return printed;
  }

  private static ZoneKeys zoneKeys(AlgorithmSuite suite, String link) {
    return new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA987654321" + link),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEF" + link), 30_000);
  }

  private static StoreKeys storeKeys(AlgorithmSuite suite) {
    return new StoreKeys(suite, randomKey(), randomKey(), randomKey());
  }

  private static SecretKeyBytes randomKey() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return new SecretKeyBytes(key);
  }

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
