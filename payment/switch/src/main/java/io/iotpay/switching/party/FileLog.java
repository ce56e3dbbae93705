package io.iotpay.switching.party;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.file.PresentmentResultFile;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.SettlementWindowStore;
import io.iotpay.switching.online.SettlementWindowStore.Direction;
import io.iotpay.switching.online.SettlementWindowStore.FileEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Writes what the switch process did with each clearing file into the file log the console shows
 * ({@link SettlementWindowStore#files}): received (taken, replayed or refused and why) and sent. The
 * party processes take and write unsigned files (docs/parties.md), so the signer is "unsigned".
 */
final class FileLog {
  static final String PRESENTMENT = "PRESENTMENT";
  static final String PRESENTMENT_RESULT = "PRESENTMENT_RESULT";

  private final SettlementWindowStore store;
  private final Clock clock;

  FileLog(SettlementWindowStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** An acquirer's presentment file and, when taken now, the result file written back to it. */
  void presentments(Path file, OnlineClearing.Intake intake) {
    FileHeader h = intake.header();
    String outcome = intake.taken() ? "TAKEN" : intake.refusal() == OnlineClearing.Refusal.REPLAYED ? "REPLAYED" : "REFUSED";
    String reason = intake.taken() ? null : clip(intake.refusal() + ": " + intake.detail());
    store.record(new FileEvent(0, clock.instant(), Direction.RECEIVED, PRESENTMENT, name(file),
        h == null ? null : h.sender().value(), h == null ? null : h.businessDate(), h == null ? null : h.sequence(),
        SwitchParty.UNSIGNED, outcome, reason, intake.results().size(), (int) intake.accepted()));
    if (intake.taken() && intake.resultFile() != null) {
      store.record(new FileEvent(0, clock.instant(), Direction.SENT, PRESENTMENT_RESULT, name(intake.resultFile()),
          h.sender().value(), h.businessDate(), h.sequence(), SwitchParty.UNSIGNED, "WRITTEN", null,
          intake.results().size(), (int) intake.accepted()));
    }
  }

  /** The issuer files just written. */
  void issuerFiles(Map<PartyId, Path> files) throws IOException {
    for (Map.Entry<PartyId, Path> written : files.entrySet()) {
      PresentmentFile.Read read;
      try (InputStream in = Files.newInputStream(written.getValue())) {
        read = PresentmentFile.read(in, FileLimits.defaults());
      }
      FileHeader h = read.header();
      int count = read.presentments().size();
      store.record(new FileEvent(0, clock.instant(), Direction.SENT, PRESENTMENT, name(written.getValue()),
          written.getKey().value(), h.businessDate(), h.sequence(), SwitchParty.UNSIGNED, "WRITTEN", null, count, count));
    }
  }

  /** An issuer's result file, recorded. */
  void issuerResults(Path file, OnlineClearing.IssuerResults results) throws IOException {
    FileHeader h;
    try (InputStream in = Files.newInputStream(file)) {
      h = PresentmentResultFile.read(in, FileLimits.defaults()).header();
    }
    int records = results.recorded() + results.already() + results.unknown();
    String reason = results.unknown() == 0 ? null : results.unknown() + " results name no presentment sent to this issuer";
    store.record(new FileEvent(0, clock.instant(), Direction.RECEIVED, PRESENTMENT_RESULT, name(file), h.sender().value(),
        h.businessDate(), h.sequence(), SwitchParty.UNSIGNED, results.recorded() == 0 && results.already() > 0 ? "REPLAYED" : "TAKEN", reason, records,
        results.recorded()));
  }

  /** An issuer's result file, refused whole. */
  void issuerResultsRefused(Path file, Exception refusal) {
    store.record(new FileEvent(0, clock.instant(), Direction.RECEIVED, PRESENTMENT_RESULT, name(file), null, null, null,
        SwitchParty.UNSIGNED, "REFUSED", clip(refusal.getMessage()), 0, 0));
  }

  private static String name(Path file) {
    return clip(file.getFileName().toString());
  }

  /** At most 255 characters (the columns' width). */
  private static String clip(String text) {
    return text == null || text.length() <= 255 ? text : text.substring(0, 255);
  }
}
