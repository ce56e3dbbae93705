package io.iotpay.protocol.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TransitFileReader#hasChecksum}: true for the very file (however its trailer's hex is cased), false for any other. */
class HasChecksumTest {
  @TempDir Path dir;

  @Test
  void theSameFile_hasItsChecksum_anyOtherDoesNot() throws Exception {
    byte[] file = TransitFileTest.write(Records.random(7, 50));
    TransitFileReader reader = TransitFileReader.open(new ByteArrayInputStream(file), FileKind.OFFLINE,
        FileLimits.defaults());
    while (reader.next()) {
      // to the trailer
    }
    byte[] checksum = reader.checksum();
    assertThat(has(file, checksum)).isTrue();
    String text = TransitFileTest.text(file);
    int trailer = text.lastIndexOf("T|");
    assertThat(has(TransitFileTest.bytes(text.substring(0, trailer) + text.substring(trailer).toLowerCase()
        .replace("t|", "T|")), checksum)).isTrue();

    byte[] otherChecksum = checksum.clone();
    otherChecksum[0] ^= 1;
    assertThat(has(file, otherChecksum)).isFalse();
    byte[] recordChanged = file.clone();
    recordChanged[text.indexOf("\nR|") + 3] ^= 1;
    assertThat(has(recordChanged, checksum)).isFalse();
    assertThat(has(Arrays.copyOf(file, file.length - 1), checksum)).isFalse();
    byte[] longer = Arrays.copyOf(file, file.length + 1);
    longer[file.length] = '\n';
    assertThat(has(longer, checksum)).isFalse();
    assertThat(has(new byte[0], checksum)).isFalse();
    assertThat(has(TransitFileTest.bytes("T|" + "00".repeat(32) + "\n"), checksum)).isFalse();
  }

  private boolean has(byte[] bytes, byte[] checksum) throws Exception {
    Path path = Files.write(dir.resolve("f" + System.nanoTime()), bytes);
    return TransitFileReader.hasChecksum(path, checksum);
  }
}
