package io.iotpay.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMessageCounterTest {
  @TempDir Path tempDir;

  @Test
  void next_continuesAboveEveryUsedValueAfterARestart() {
    Path file = tempDir.resolve("counter");
    FileMessageCounter before = new FileMessageCounter(file, 10);
    long lastUsed = 0;
    for (int i = 0; i < 13; i++) {
      long value = before.next();
      assertThat(value).isGreaterThan(lastUsed);
      lastUsed = value;
    }

    // "Restart" without any shutdown step: only what was forced to disk survives.
    FileMessageCounter after = new FileMessageCounter(file, 10);

    assertThat(lastUsed).isEqualTo(13);
    assertThat(after.next()).isGreaterThan(lastUsed).isLessThanOrEqualTo(lastUsed + 10 + 1);
  }

  @Test
  void blockOfOne_losesNoValueAcrossRestarts() {
    Path file = tempDir.resolve("counter");
    FileMessageCounter first = new FileMessageCounter(file, 1);
    first.next();
    first.next();
    assertThat(new FileMessageCounter(file, 1).next()).isEqualTo(3);
  }

  @Test
  void corruptOrNegativeFile_isRefused() throws Exception {
    Path corrupt = Files.writeString(tempDir.resolve("corrupt"), "not a number");
    Path negative = Files.writeString(tempDir.resolve("negative"), "-5");
    Path huge = Files.writeString(tempDir.resolve("huge"), "1".repeat(100));

    assertThatThrownBy(() -> new FileMessageCounter(corrupt, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new FileMessageCounter(negative, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new FileMessageCounter(huge, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new FileMessageCounter(tempDir.resolve("x"), 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void next_atTheTop_isExhausted() throws Exception {
    Path file = Files.writeString(tempDir.resolve("top"), Long.toString(Long.MAX_VALUE - 1));
    FileMessageCounter counter = new FileMessageCounter(file, 5);
    assertThat(counter.next()).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(counter::next).isInstanceOf(IllegalStateException.class);
  }
}
