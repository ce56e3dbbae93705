package io.iotpay.issuer.transit;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.PositiveIds;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.issuer.IssuerBook;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.ExceptionFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.transit.ExceptionReason;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The issuer's side of disputes (docs/clearing-files.md §11): turns the records a clearing refused
 * into a chargeback file for the switch, and books the re-presentments the switch netted against it.
 *
 * <p>Books: nothing when a chargeback is raised (the refused fare was never debited; the issuer paid
 * it in the window's settlement, so due-to-switch holds it as a debit until the chargeback comes back
 * in the next window's settlement); a re-presentment → Dr arrears, Cr due to switch (the issuer owes
 * the fare again and recovers it outside the scheme, as an arrears fare), with an id derived from the
 * record, so a notice read twice books once. Stateless apart from the ledger; thread-safe.
 */
public final class Chargebacks {
  /**
   * Which clearing refusals the issuer raises as chargebacks, as a table. A fare the rider's account
   * could not take (INSUFFICIENT_FUNDS) is owed by the issuer, not disputed, so it has no row; nor
   * has DUPLICATE: the switch presents a card transaction once (late copies included), so a
   * duplicate at the issuer is its own resend of a file after a crash, whose records it cleared.
   */
  static final Map<RefusalReason, ExceptionReason> RAISED = new EnumMap<>(Map.of(
      RefusalReason.UNKNOWN_CARD, ExceptionReason.UNKNOWN_CARD,
      RefusalReason.SUITE_MISMATCH, ExceptionReason.SUITE_MISMATCH,
      RefusalReason.MALFORMED, ExceptionReason.MALFORMED,
      RefusalReason.BAD_TAC, ExceptionReason.BAD_TAC,
      RefusalReason.AMOUNT_MISMATCH, ExceptionReason.AMOUNT_MISMATCH,
      RefusalReason.ACCEPTOR_MISMATCH, ExceptionReason.ACCEPTOR_MISMATCH));

  private static final String FILE_PREFIX = "chargebacks-";

  private final PartyId issuer;
  private final CurrencyUnit currency;
  private final IssuerBook book;

  public Chargebacks(PartyId issuer, CurrencyUnit currency, IssuerBook book) {
    this.issuer = issuer;
    this.currency = currency;
    this.book = book;
  }

  /**
   * Writes the chargebacks of one cleared file: each refused record whose reason is raised, taken
   * from the clearing file itself (the switch's record, with its fare). The file is numbered as the
   * clearing file it answers, so a rewrite after a crash is the same file and a replay at the switch.
   *
   * @return the exception file, or empty when the clearing refused nothing that is raised
   * @throws ProtocolException when the clearing file no longer reads or holds more refusals than one
   *     exception file may carry ({@link ExceptionFile#EXCEPTIONS_MAX})
   * @throws UncheckedIOException when a file cannot be read or written
   */
  public Optional<Path> writeFile(Path clearingFile, ClearingReport report, Path directory, PartyId switchId,
      FileLimits limits) {
    Map<Refused, ExceptionReason> raised = new HashMap<>();
    for (ClearingReport.Refusal refusal : report.refusals()) {
      ExceptionReason reason = RAISED.get(refusal.reason());
      if (reason != null && refusal.recordId() != null) {
        raised.put(new Refused(refusal.recordId(), refusal.key()), reason);
      }
    }
    if (raised.isEmpty()) {
      return Optional.empty();
    }
    List<TransitException> lines = chargebackLines(clearingFile, raised, limits);
    Path file = directory.resolve(FILE_PREFIX + issuer.value() + "-" + report.businessDate() + "-"
        + report.sequence() + ".txt");
    try {
      Files.createDirectories(directory);
      try (OutputStream out = Files.newOutputStream(file)) {
        ExceptionFile.write(out, issuer, switchId, report.businessDate(), report.sequence(),
            currency, lines);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return Optional.of(file);
  }

  /**
   * The chargeback files this issuer wrote in {@code directory} (not their signatures), in name order.
   *
   * @throws UncheckedIOException when the directory cannot be listed
   */
  public List<Path> files(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    String prefix = FILE_PREFIX + issuer.value() + "-";
    try (var list = Files.list(directory)) {
      return list.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString()
          .endsWith(".txt")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  /** The raised records of the clearing file, in file order. */
  private static List<TransitException> chargebackLines(Path clearingFile, Map<Refused, ExceptionReason> raised,
      FileLimits limits) {
    List<TransitException> lines = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(clearingFile), 1 << 16)) {
      TransitFileReader reader = TransitFileReader.open(in, FileKind.CLEARING, limits);
      while (reader.next()) {
        TransitRecord record = reader.record();
        ExceptionReason reason = raised.get(new Refused(record.id(), record.cardKey()));
        if (reason == null) {
          continue;
        }
        if (lines.size() == ExceptionFile.EXCEPTIONS_MAX) {
          throw new ProtocolException("more than " + ExceptionFile.EXCEPTIONS_MAX + " chargebacks for one clearing file");
        }
        lines.add(new TransitException(ExceptionStage.CHARGEBACK, reason, record.operator(), record.businessDate(),
            record.id(), record.cardKey(), record.fare().amountMinor(), TransitException.NO_EVIDENCE));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + clearingFile, e);
    }
    return lines;
  }

  /** A refused record: its id and card transaction (a duplicate's copies share the card key, not the id). */
  private record Refused(RecordId id, CardTransactionKey key) {}

  /**
   * Books a switch's notice of re-presentments netted against this issuer: Dr arrears, Cr due to
   * switch, per record, idempotently.
   *
   * @return the amount booked by this call's lines (a line booked before counts again; the ledger books it once)
   * @throws ProtocolException when the notice is not from {@code switchId} to this issuer or holds another stage
   */
  public long bookRepresentments(ExceptionFile.Read notice, PartyId switchId) {
    if (!notice.header().sender().equals(switchId) || !notice.header().receiver().equals(issuer)) {
      throw new ProtocolException("exception notice from " + notice.header().sender() + " to "
          + notice.header().receiver() + " is not from the switch to " + issuer);
    }
    List<Transfer> transfers = new ArrayList<>();
    long totalMinor = 0;
    for (TransitException line : notice.exceptions()) {
      if (line.stage() != ExceptionStage.REPRESENTMENT) {
        throw new ProtocolException("exception notice to an issuer holds a " + line.stage() + " line");
      }
      if (line.fareMinor() > 0) {
        transfers.add(Transfer.single(PositiveIds.of("representment|" + issuer + "|" + line.operator() + "|"
            + line.recordId().terminalId() + "|" + line.recordId().sequence()), book.arrearsAccountId(),
            book.dueToSwitchAccountId(), line.fareMinor()));
      }
      totalMinor += line.fareMinor();
    }
    List<TransferResult> results = book.submit(transfers);
    for (int i = 0; i < results.size(); i++) {
      Assert.that(results.get(i) == TransferResult.OK, "re-presentment posting refused [id={}, result={}]",
          transfers.get(i).id(), results.get(i));
    }
    return totalMinor;
  }
}
