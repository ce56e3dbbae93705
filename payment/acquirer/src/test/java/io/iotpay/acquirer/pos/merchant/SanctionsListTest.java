package io.iotpay.acquirer.pos.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SanctionsListTest {
  @TempDir Path dir;

  static KeyedHash hash(AlgorithmSuite suite) {
    return new KeyedHash(suite, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void load_matchesNormalisedNumbers_andSkipsCommentsAndBlankLines(AlgorithmSuite suite) throws Exception {
    Path file = dir.resolve("deny.txt");
    Files.writeString(file, "# deny list 2026-12\r\n\n110105 19491231-002x;court order 17\r\n  A1234567  \n\t\n", StandardCharsets.UTF_8);
    SanctionsList list = SanctionsList.load(file, hash(suite));
    assertThat(list.size()).isEqualTo(2);
    assertThat(list.contains("11010519491231002X")).isTrue();
    assertThat(list.contains("A1234567")).isTrue();
    assertThat(list.contains("11010519491231002")).isFalse();
    // The same number under another key does not match: entries are kept only as keyed hashes.
    SanctionsList otherKey = SanctionsList.parse("A1234567\n".getBytes(StandardCharsets.UTF_8),
        new KeyedHash(suite, "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII)));
    assertThat(otherKey.containsHash(hash(suite).of(SanctionsList.HASH_DOMAIN, "A1234567"))).isFalse();
    assertThat(list.containsHash(hash(suite).of(SanctionsList.HASH_DOMAIN, "A1234567"))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void parse_refusesBadFilesNamingTheLineButNotTheEntry(AlgorithmSuite suite) {
    assertThatThrownBy(() -> SanctionsList.parse("A1234567\n12$45678;x\n".getBytes(StandardCharsets.UTF_8), hash(suite)))
        .isInstanceOf(SanctionsFileException.class).hasMessageContaining("line 2").hasMessageNotContaining("12$45678");
    assertThatThrownBy(() -> SanctionsList.parse(new byte[] {'A', '1', (byte) 0xC3, '2', '3', '4', '5', '6'}, hash(suite)))
        .isInstanceOf(SanctionsFileException.class).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> SanctionsList.parse(("x".repeat(SanctionsList.LINE_CHARS_MAX + 1)).getBytes(StandardCharsets.UTF_8), hash(suite)))
        .isInstanceOf(SanctionsFileException.class).hasMessageContaining("longer than");
    assertThatThrownBy(() -> SanctionsList.parse("A123\u0000\u00014567\n".getBytes(StandardCharsets.UTF_8), hash(suite)))
        .isInstanceOf(SanctionsFileException.class);
    assertThatThrownBy(() -> SanctionsList.parse("12345\n".getBytes(StandardCharsets.UTF_8), hash(suite)))
        .isInstanceOf(SanctionsFileException.class).hasMessageContaining("line 1");
  }
}
