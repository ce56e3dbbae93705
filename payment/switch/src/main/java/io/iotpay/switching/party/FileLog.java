package io.iotpay.switching.party;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.file.PresentmentResultFile;
import io.iotpay.protocol.party.PartyFileTrust;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.SettlementWindowStore.Direction;
import io.iotpay.switching.online.SettlementWindowStore.FileEvent;
import io.iotpay.switching.online.SettlementWindowStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Writes what the switch process did with each clearing file into the file log the console shows
 * ({@link SettlementWindowStore#files}): received (taken, replayed or refused and why) and sent, each
 * with its signer: the party whose signature verified, the switch itself for what it sent, or
 * {@value SwitchParty#NOT_VERIFIED} for a file whose signature was refused (docs/parties.md).
 */
final class FileLog {
  static final String PRESENTMENT = "PRESENTMENT";
  static final String PRESENTMENT_RESULT = "PRESENTMENT_RESULT";

  private final SettlementWindowStore store;
  private final Clock clock;
  /** The switch's party id: the signer of every file it sends. */
  private final String self;

  FileLog(SettlementWindowStore store, Clock clock, String self) {
    this.store = store;
    this.clock = clock;
    this.self = self;
  }

  /** An acquirer's presentment file and, when taken now, the result file written back to it. */
  void presentments(Path file, OnlineClearing.Intake intake) {
    FileHeader h = intake.header();
    String outcome = intake.taken() ? "TAKEN" : intake.refusal() == OnlineClearing.Refusal.REPLAYED ? "REPLAYED" : "REFUSED";
    String reason = intake.taken() ? null : clip(intake.refusal() + ": " + intake.detail());
    store.record(new FileEvent(0, clock.instant(), Direction.RECEIVED, PRESENTMENT, name(file),
        h == null ? null : h.sender().value(), h == null ? null : h.businessDate(), h == null ? null : h.sequence(),
        intake.signer() == null ? SwitchParty.NOT_VERIFIED : intake.signer().value(), outcome, reason, intake.results().size(), (int) intake.accepted()));
    if (intake.taken() && intake.resultFile() != null) {
      store.record(new FileEvent(0, clock.instant(), Direction.SENT, PRESENTMENT_RESULT, name(intake.resultFile()),
          h.sender().value(), h.businessDate(), h.sequence(), self, "WRITTEN", null,
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
          written.getKey().value(), h.businessDate(), h.sequence(), self, "WRITTEN", null, count, count));
    }
  }

  /** An issuer's result file, recorded: its signature verified as its sender's (an issuer's), the header's. */
  void issuerResults(Path file, OnlineClearing.IssuerResults results) throws IOException {
    FileHeader h;
    try (InputStream in = Files.newInputStream(file)) {
      h = PresentmentResultFile.read(in, FileLimits.defaults()).header();
    }
    int records = results.recorded() + results.already() + results.unknown();
    String reason = results.unknown() == 0 ? null : results.unknown() + " results name no presentment sent to this issuer";
    store.record(new FileEvent(0, clock.instant(), Direction.RECEIVED, PRESENTMENT_RESULT, name(file), h.sender().value(),
        h.businessDate(), h.sequence(), h.sender().value(), results.recorded() == 0 && results.already() > 0 ? "REPLAYED" : "TAKEN", reason, records,
        results.recorded()));
  }

  /**
   * An issuer's result file, refused whole: for its signature (the reason's name first, e.g. {@code FORGED: …}),
   * or, its signature verified, as damaged or not for this switch.
   */
  void issuerResultsRefused(Path file, Exception refusal) {
    String signer = refusal instanceof SignedFileException ? SwitchParty.NOT_VERIFIED : "verified";
    store.record(new FileEvent(0, clock.instant(), Direction.RECEIVED, PRESENTMENT_RESULT, name(file), null, null, null,
        signer, "REFUSED", clip(refusal.getMessage()), 0, 0));
  }

  /** A file refused because this switch's directory holds no file-signing certificate (written before signed files). */
  void refusedUnenrolled(Path file, boolean result) {
    store.record(new FileEvent(0, clock.instant(), Direction.RECEIVED, result ? PRESENTMENT_RESULT : PRESENTMENT, name(file),
        null, null, null, SwitchParty.NOT_VERIFIED, "REFUSED", "no " + PartyFileTrust.CERTIFICATE_FILE
        + " in the switch's directory (written before signed files): no file is taken unsigned", 0, 0));
  }

  private static String name(Path file) {
    return clip(file.getFileName().toString());
  }

  /** At most 255 characters (the columns' width). */
  private static String clip(String text) {
    return text == null || text.length() <= 255 ? text : text.substring(0, 255);
  }
}
