package io.iotpay.switching.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.TransitRecordSpool;
import io.iotpay.switching.SwitchConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a settled day's clearing files, one per issuer in card order (docs/clearing-files.md §3),
 * from the day's spools, and numbers them per issuer. Not thread-safe: the settlement that owns it
 * calls it one day at a time.
 */
final class ClearingFileWriter {
  private final SwitchConfig config;
  private final List<PartyId> issuers;
  private final Path spoolDirectory;
  private final Path outDirectory;
  private final Map<PartyId, Long> sequences;

  /** @param sequences each issuer's last clearing file sequence (from the store) */
  ClearingFileWriter(SwitchConfig config, List<PartyId> issuers, Path spoolDirectory, Path outDirectory,
      Map<PartyId, Long> sequences) {
    this.config = config;
    this.issuers = issuers;
    this.spoolDirectory = spoolDirectory;
    this.outDirectory = outDirectory;
    this.sequences = new HashMap<>(sequences);
  }

  /** Each issuer's last clearing file sequence, for the store. */
  Map<PartyId, Long> sequences() {
    return sequences;
  }

  /**
   * One clearing file per issuer, written concurrently (each sorts and copies its own spool; on two
   * cores the day's files take half the time).
   */
  Map<PartyId, Path> write(DayClearing day) {
    Map<PartyId, Path> files = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    Map<PartyId, Long> numbers = new HashMap<>();
    for (PartyId issuer : issuers) {
      numbers.put(issuer, sequences.merge(issuer, 1L, Long::sum));
      files.put(issuer, outDirectory.resolve("clearing-" + issuer.value() + "-" + day.businessDate() + ".txt"));
    }
    int threads = Math.max(1, Math.min(issuers.size(), Runtime.getRuntime().availableProcessors()));
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> writes = new ArrayList<>();
      for (PartyId issuer : issuers) {
        writes.add(pool.submit(() -> writeOne(day, issuer, numbers.get(issuer), files.get(issuer))));
      }
      for (Future<?> write : writes) {
        write.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing clearing files", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime
          : new IllegalStateException("cannot write clearing files", e.getCause());
    }
    return files;
  }

  private void writeOne(DayClearing day, PartyId issuer, long sequence, Path path) {
    TransitRecordSpool spool = day.spool(issuer);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
      if (spool == null) {
        try (TransitRecordSpool empty = new TransitRecordSpool(spoolDirectory
            .resolve(issuer.value() + "-" + day.businessDate() + ".empty"), config.currency())) {
          empty.writeFile(out, FileKind.CLEARING, config.self(), issuer, day.businessDate(), sequence);
        }
      } else {
        spool.writeFile(out, FileKind.CLEARING, config.self(), issuer, day.businessDate(), sequence);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write clearing file " + path, e);
    }
  }
}
