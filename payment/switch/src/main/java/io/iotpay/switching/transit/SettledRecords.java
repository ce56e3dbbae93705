package io.iotpay.switching.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.switching.SwitchStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a record the switch settled, in its own archive of accepted operator files: a dispute is
 * about the switch's copy of the record (its fare, its card), never about what the disputing party
 * claims. Reads the archived files of the record's operator and business date (a day's files, not
 * the whole archive); a dispute file of n lines costs n such reads at most. Not thread-safe.
 */
final class SettledRecords {
  /** A record found, and the window that settled it. */
  record Settled(TransitRecord record, LocalDate window) {}

  private final SwitchStore store;
  private final Path archive;
  private final FileLimits limits;

  SettledRecords(SwitchStore store, Path archive, FileLimits limits) {
    this.store = store;
    this.archive = archive;
    this.limits = limits;
  }

  /**
   * The record {@code id} of {@code operator} for {@code businessDate}, when an accepted file held
   * it and that file's window is settled.
   *
   * @throws UncheckedIOException when an archived file cannot be read
   */
  Optional<Settled> find(PartyId operator, LocalDate businessDate, RecordId id) {
    Set<LocalDate> settled = store.settledDays();
    for (SwitchStore.AcceptedFile file : store.acceptedFiles()) {
      if (!file.sender().equals(operator) || !file.businessDate().equals(businessDate)
          || !settled.contains(file.windowDate())) {
        continue;
      }
      Optional<TransitRecord> record = read(archive.resolve(file.archiveName()), id);
      if (record.isPresent()) {
        return Optional.of(new Settled(record.get(), file.windowDate()));
      }
    }
    return Optional.empty();
  }

  private Optional<TransitRecord> read(Path file, RecordId id) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      TransitFileReader reader = TransitFileReader.open(in, FileKind.OFFLINE, limits);
      while (reader.next()) {
        TransitRecord record = reader.record();
        if (record.id().equals(id)) {
          return Optional.of(record);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read archived file " + file, e);
    }
  }
}
