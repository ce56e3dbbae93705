package io.iotpay.protocol.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PartyPropertiesTest {
  @TempDir Path dir;

  static PartyProperties parse(String text) {
    return PartyProperties.parse("test.properties", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsKeysValuesCommentsAndBlankLines() {
    PartyProperties p = parse("# comment\n\nid = ISS1\nlisten=127.0.0.1:18610\r\nn=42\nids=A,B-2\n");
    assertThat(p.string("id")).isEqualTo("ISS1");
    assertThat(p.address("listen").getPort()).isEqualTo(18610);
    assertThat(p.number("n", 0, 100)).isEqualTo(42);
    assertThat(p.ids("ids")).containsExactly("A", "B-2");
    assertThat(p.number("missing", 0, 100, 7)).isEqualTo(7);
  }

  @Test
  void refusesWhatAStrictReaderMustNotGuess() {
    assertThatThrownBy(() -> parse("a=1\na=2\n")).isInstanceOf(PartyConfigException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> parse("no equals sign\n")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> parse("bad key!=1\n")).hasMessageContaining("bad key");
    assertThatThrownBy(() -> PartyProperties.parse("x", new byte[] {'a', '=', (byte) 0xC3})).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> parse("typo=1\n").onlyKeys(Set.of("id")::contains)).hasMessageContaining("unknown key typo");
    assertThatThrownBy(() -> parse("n=x\n").number("n", 0, 9)).hasMessageContaining("n is not a whole number");
    assertThatThrownBy(() -> parse("n=10\n").number("n", 0, 9)).hasMessageContaining("outside 0..9");
    assertThatThrownBy(() -> parse("listen=host\n").address("listen")).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> parse("listen=h:70000\n").address("listen")).hasMessageContaining("port");
    assertThatThrownBy(() -> parse("ids=A,A\n").ids("ids")).hasMessageContaining("twice");
    assertThatThrownBy(() -> parse("ids=a\n").ids("ids")).hasMessageContaining("bad id");
    assertThatThrownBy(() -> parse("suite=OTHER\n").suite("suite")).hasMessageContaining("INTERNATIONAL or NATIONAL");
    assertThatThrownBy(() -> PartyProperties.parse("x", new byte[PartyProperties.BYTES_MAX + 1]))
        .hasMessageContaining("larger than");
  }

  @Test
  void aKeyIsNeverEchoedInItsError() {
    String secret = "0123456789ABCDEF0123456789ABCDEFZZ";
    assertThatThrownBy(() -> parse("k=" + secret + "\n").key("k", 16))
        .isInstanceOf(PartyConfigException.class).hasMessageNotContaining(secret);
  }

  @Test
  void secretFilesMustBeOwnerOnly() throws Exception {
    Path file = dir.resolve("party.keys");
    PartyFiles.writeOwnerOnly(file, "a=1\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PartyProperties.read(file, true).string("a")).isEqualTo("1");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> PartyProperties.read(file, true)).isInstanceOf(PartyConfigException.class)
        .hasMessageContaining("owner-only");
    assertThatThrownBy(() -> PartyProperties.read(dir.resolve("missing.properties"), false))
        .hasMessageContaining("party init");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void linkKeysRoundTripAndBothEndsMakeTheSameZoneKeys(AlgorithmSuite suite) {
    LinkKeys keys = LinkKeys.generate(suite, new SecureRandom());
    LinkKeys read = LinkKeys.of(parse(keys.lines("switch")), "switch");
    assertThat(read).isEqualTo(keys);
    assertThat(read.zoneKeys().current().zak()).isEqualTo(keys.zak());
    assertThat(read.toString()).doesNotContain(io.iotpay.foundation.codec.Hex.encode(keys.zmk().value()));
  }

  @Test
  void theMasterKeyIsMadeOnceOwnerOnlyAndTheEnvironmentWins() throws Exception {
    var made = PartyFiles.masterKey(dir, null, 32, true, new SecureRandom());
    assertThat(PartyFiles.masterKey(dir, null, 32, false, null)).isEqualTo(made);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(PartyFiles.MASTER_KEY_FILE))))
        .isEqualTo("rw-------");
    assertThat(PartyFiles.masterKey(dir, "00".repeat(16), 16, false, null).value()).containsOnly(0);
    assertThatThrownBy(() -> PartyFiles.masterKey(dir, "00", 16, false, null)).hasMessageContaining("16 bytes");
    assertThatThrownBy(() -> PartyFiles.masterKey(dir.resolve("none"), null, 16, false, null))
        .hasMessageContaining(PartyFiles.MASTER_KEY_ENV);
  }
}
