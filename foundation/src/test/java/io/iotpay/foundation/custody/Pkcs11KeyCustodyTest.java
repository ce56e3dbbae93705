package io.iotpay.foundation.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustodyException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same operation suite through SoftHSM2 (Debian {@code softhsm2}) and the JDK's SunPKCS11. The
 * test makes its own token in a fresh directory: {@code SOFTHSM2_CONF} (set by foundation/pom.xml
 * for surefire, read by the library when it loads) names a file this test writes before the
 * library is first loaded. Skipped with the reason when the library, the tool or the variable is
 * missing; what the token cannot do is checked as a refusal ({@link #supports}).
 */
class Pkcs11KeyCustodyTest extends CustodyOperationSuite {
  static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  static final String PIN = "1234";
  private static final Set<String> UNSUPPORTED_ON_TOKEN = Set.of("PIN translation", "key wrap");
  private static String skipReason;
  private static long slotId;

  @BeforeAll
  static void makeToken() throws IOException, InterruptedException {
    String conf = System.getenv("SOFTHSM2_CONF");
    Path tool = Path.of("/usr/bin/softhsm2-util");
    if (!Files.isRegularFile(LIBRARY) || !Files.isExecutable(tool)) {
      skipReason = "SoftHSM2 is not installed (Debian package softhsm2; .ci/setup.d/50-softhsm2.sh installs it)";
      return;
    }
    if (conf == null || conf.isBlank()) {
      skipReason = "SOFTHSM2_CONF is not set: run through Maven (foundation/pom.xml sets it for the tests)";
      return;
    }
    Path confFile = Path.of(conf);
    Path tokens = Files.createDirectories(confFile.getParent()).resolve("tokens-" + UUID.randomUUID());
    Files.createDirectories(tokens);
    Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
        StandardCharsets.US_ASCII);
    Process init = new ProcessBuilder(tool.toString(), "--init-token", "--free", "--label", "iotpay-test", "--so-pin",
        "5678", "--pin", PIN).redirectErrorStream(true).start();
    String output = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(init.waitFor(60, TimeUnit.SECONDS)).as("softhsm2-util finished").isTrue();
    Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
    assertThat(slot.find()).as("softhsm2-util output: %s", output).isTrue();
    slotId = Long.parseLong(slot.group(1));
  }

  private static Pkcs11KeyCustody open(String namespace, int cardKeysMax) {
    return Pkcs11KeyCustody.open(LIBRARY, slotId, PIN.toCharArray(), namespace, cardKeysMax, TEST_TAC);
  }

  @Override
  @SuppressWarnings("unchecked")
  Pkcs11KeyCustody newCustody(AlgorithmSuite suite) {
    assumeTrue(skipReason == null, skipReason);
    return open("t" + UUID.randomUUID().toString().substring(0, 8), 64);
  }

  /**
   * SoftHSM2 (like PKCS#11 tokens generally) has no SM2/SM3/SM4 mechanisms, and this custody maps no
   * PKCS#11 mechanism to PIN translation or key wrap: for those the case checks the token's refusal
   * ({@code UNSUPPORTED}, nothing created) instead of skipping. NATIONAL runs on the software custody.
   */
  @Override
  boolean supports(AlgorithmSuite suite, String operation) {
    assumeTrue(skipReason == null, skipReason);
    boolean national = suite == AlgorithmSuite.NATIONAL;
    if (!national && !UNSUPPORTED_ON_TOKEN.contains(operation)) {
      return true;
    }
    try (Pkcs11KeyCustody custody = newCustody(AlgorithmSuite.INTERNATIONAL)) {
      if (national) {
        assertRefused(() -> custody.generate("national", suite, KeyUsage.ZONE_MAC), Reason.UNSUPPORTED);
        assertThat(custody.list()).as("nothing created on the token").isEmpty();
      } else if (operation.equals("PIN translation")) {
        KeyRef pin = custody.generate("zone-pin", suite, KeyUsage.ZONE_PIN);
        assertRefused(() -> custody.translatePinBlock(pin, pin, new byte[16], PAN), Reason.UNSUPPORTED);
      } else {
        KeyRef zmk = custody.generate("zmk", suite, KeyUsage.ZONE_MASTER);
        KeyRef mac = custody.generate("zone-mac", suite, KeyUsage.ZONE_MAC);
        assertRefused(() -> custody.wrap(zmk, mac), Reason.UNSUPPORTED);
      }
    }
    return false;
  }

  @Test
  void tokenKeysSurviveAReopen_andTheValueIsNotExtractable() throws Exception {
    assumeTrue(skipReason == null, skipReason);
    String namespace = "reopen" + UUID.randomUUID().toString().substring(0, 8);
    byte[] data = "checkpoint".getBytes(StandardCharsets.US_ASCII);
    byte[] mac;
    KeyRef ref;
    try (Pkcs11KeyCustody custody = open(namespace, 4)) {
      ref = custody.generate("zone-mac", AlgorithmSuite.INTERNATIONAL, KeyUsage.ZONE_MAC);
      mac = custody.mac(ref, data);
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS11", providerOf(custody));
      store.load(null, PIN.toCharArray());
      for (String alias : java.util.Collections.list(store.aliases())) {
        assertThat(store.getKey(alias, null).getEncoded()).as("token key %s value", alias).isNull();
      }
    }
    try (Pkcs11KeyCustody reopened = open(namespace, 4)) {
      assertThat(reopened.current("zone-mac")).isEqualTo(ref);
      assertThat(reopened.verifyMac(ref, data, mac)).isTrue();
    }
  }

  private static java.security.Provider providerOf(Pkcs11KeyCustody custody) throws ReflectiveOperationException {
    java.lang.reflect.Field field = Pkcs11KeyCustody.class.getDeclaredField("provider");
    field.setAccessible(true);
    return (java.security.Provider) field.get(custody);
  }

  @Test
  void unwrap_importsAPeersKeyOntoTheToken() {
    assumeTrue(skipReason == null, skipReason);
    AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;
    SecretKeyBytes zmk = randomKey();
    SecretKeyBytes macKey = randomKey();
    RFC3394WrapEngine peer = new RFC3394WrapEngine(suite.blockCipher().newEngine());
    peer.init(true, new KeyParameter(zmk.value()));
    byte[] wrapped = peer.wrap(macKey.value(), 0, 16);
    byte[] data = "0800".getBytes(StandardCharsets.US_ASCII);
    try (Pkcs11KeyCustody custody = newCustody(suite)) {
      KeyRef zmkRef = custody.importClear("zmk", suite, KeyUsage.ZONE_MASTER, zmk);

      KeyRef received = custody.unwrap(zmkRef, "peer-mac", KeyUsage.ZONE_MAC, wrapped);

      assertThat(custody.mac(received, data)).isEqualTo(messageMac(suite, macKey, data));
    }
  }

  @Test
  void tokenRefuses_whatPkcs11CannotDo() {
    assumeTrue(skipReason == null, skipReason);
    AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;
    try (Pkcs11KeyCustody custody = newCustody(suite)) {
      KeyRef pin = custody.generate("zone-pin", suite, KeyUsage.ZONE_PIN);
      KeyRef zmk = custody.generate("zmk", suite, KeyUsage.ZONE_MASTER);

      assertRefused(() -> custody.translatePinBlock(pin, pin, new byte[16], PAN), Reason.UNSUPPORTED);
      assertRefused(() -> custody.wrap(zmk, pin), Reason.UNSUPPORTED);
      assertRefused(() -> custody.generate("national", AlgorithmSuite.NATIONAL, KeyUsage.ZONE_MAC), Reason.UNSUPPORTED);
      assertThat(custody.list()).hasSize(2);
    }
  }
}
