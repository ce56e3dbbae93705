package io.iotpay.issuer.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.transit.DenyList;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The issuer's deny list (cards clearing denied) and its file to the switch (docs/clearing-files.md
 * §5), written by the issuer itself.
 */
public final class DenyListPublisher {
  private final PartyId self;
  private final ClearingStore store;

  public DenyListPublisher(PartyId self, ClearingStore store) {
    this.self = self;
    this.store = store;
  }

  /** The current deny list (version 1 when empty; +1 per card added). */
  public DenyList current() {
    return store.denyList(self);
  }

  /**
   * Writes the current list as a file addressed to {@code switchId}, named {@code
   * denylist-ISSUER-vVERSION.txt}, in {@code directory} (created if missing).
   *
   * @return the file
   * @throws UncheckedIOException when it cannot be written
   */
  public Path writeFile(Path directory, PartyId switchId, LocalDate businessDate) {
    DenyList list = current();
    Path file = directory.resolve("denylist-" + self.value() + "-v" + list.version() + ".txt");
    try {
      Files.createDirectories(directory);
      try (OutputStream out = Files.newOutputStream(file)) {
        DenyListFile.write(out, switchId, businessDate, list);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }
}
