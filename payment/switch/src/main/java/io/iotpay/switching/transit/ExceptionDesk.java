package io.iotpay.switching.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.ExceptionFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.pki.FileClaims;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.pki.VerifiedFile;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.switching.SwitchConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switch's dispute desk (docs/clearing-files.md §11): takes issuers' chargebacks and operators'
 * re-presentments in signed exception files, checks each line against the switch's own settled
 * record, records what it accepts, hands the pending steps to the next settlement window as gross
 * amounts (a chargeback: operator → issuer; a re-presentment: issuer → operator), and after the
 * window writes each side a notice of what it netted. A refused file changes nothing; a refused
 * line is reported and the file's other lines stand. Thread-safe (synchronized).
 */
final class ExceptionDesk {
  private static final Logger LOG = LoggerFactory.getLogger(ExceptionDesk.class);

  private final SwitchConfig config;
  private final List<PartyId> issuers;
  private final List<PartyId> operators;
  private final CardRangeTable routes;
  private final DisputeStore store;
  private final SettledRecords settled;
  private final Path outDirectory;
  /** Null only in unit tests of the unsigned file logic. */
  private final FileTrust trust;
  private final List<Rejection> rejections = new ArrayList<>();

  /** What the next window nets: the steps, their gross amounts payer → receiver, and the last step it includes. */
  record Pending(List<DisputeStore.Dispute> disputes, Map<PartyId, Map<PartyId, Long>> grossMinor, long through) {}

  ExceptionDesk(SwitchConfig config, List<PartyId> issuers, List<PartyId> operators, DisputeStore store,
      SettledRecords settled, Path outDirectory, FileTrust trust) {
    this.config = config;
    this.issuers = issuers;
    this.operators = operators;
    this.routes = new CardRangeTable(config.ranges());
    this.store = store;
    this.settled = settled;
    this.outDirectory = outDirectory;
    this.trust = trust;
  }

  /** @see TransitSwitch#receiveExceptions */
  synchronized IntakeReceipt receive(Path file) {
    String name = String.valueOf(file.getFileName());
    VerifiedFile verified = null;
    if (trust != null) {
      try {
        verified = trust.verifier().verify(file, FileKind.EXCEPTION,
            claims -> store.fileAccepted(claims.sender(), claims.sequence()));
      } catch (SignedFileException e) {
        FileClaims replayed = e.replayedClaims();
        if (replayed != null) {
          LOG.info("Exception file replayed, no-op [file={}, sender={}, sequence={}]", name, replayed.sender(),
              replayed.sequence());
          return again(replayed.sender(), replayed.sequence(), e.getMessage());
        }
        return refuse(name, e.getMessage());
      }
    }
    ExceptionFile.Read read;
    try (InputStream in = Files.newInputStream(file)) {
      read = ExceptionFile.read(in, config.limits());
      if (verified != null) {
        verified.requireHeader(read.header());
      }
    } catch (ProtocolException e) {
      return refuse(name, e.getMessage());
    } catch (IOException e) {
      return refuse(name, "cannot read the file: " + e.getMessage());
    }
    String refusal = headerRefusal(read, verified);
    if (refusal != null) {
      return refuse(name, refusal);
    }
    if (trust == null && store.fileAccepted(read.header().sender(), read.header().sequence())) {
      return again(read.header().sender(), read.header().sequence(), "file already accepted");
    }
    return take(name, read);
  }

  /** The first receipt of a file accepted before, as ALREADY_ACCEPTED: a sender that lost it learns what was taken. */
  private IntakeReceipt again(PartyId sender, long sequence, String reason) {
    DisputeStore.FileReceipt first = store.fileReceipt(sender, sequence).orElseThrow();
    return new IntakeReceipt(IntakeStatus.ALREADY_ACCEPTED, first.accepted(), first.refused(), first.amountMinor(),
        reason);
  }

  private IntakeReceipt take(String name, ExceptionFile.Read read) {
    PartyId sender = read.header().sender();
    List<DisputeStore.Dispute> accepted = new ArrayList<>();
    long amountMinor = 0;
    long refused = 0;
    String firstRefusal = "";
    for (int i = 0; i < read.exceptions().size(); i++) {
      TransitException exception = read.exceptions().get(i);
      String reason = duplicateInFile(exception, accepted);
      DisputeStore.Dispute dispute = null;
      if (reason == null) {
        Checked checked = exception.stage() == ExceptionStage.CHARGEBACK ? chargeback(sender, exception)
            : representment(sender, exception);
        reason = checked.refusal();
        dispute = checked.dispute();
      }
      if (reason != null) {
        refused++;
        firstRefusal = firstRefusal.isEmpty() ? reason : firstRefusal;
        keep(new Rejection(name, i + 2L, exception.recordId().terminalId() + "#"
            + exception.recordId().sequence(), reason));
        LOG.warn("Exception refused [file={}, line={}, reason={}]", name, i + 2, reason);
        continue;
      }
      accepted.add(dispute);
      amountMinor = Math.addExact(amountMinor, dispute.exception().fareMinor());
    }
    store.record(sender, read.header().sequence(), read.header().businessDate(), accepted,
        new DisputeStore.FileReceipt(accepted.size(), refused, amountMinor));
    LOG.info("Exception file accepted [file={}, sender={}, accepted={}, refused={}, amountMinor={}]", name, sender,
        accepted.size(), refused, amountMinor);
    return new IntakeReceipt(IntakeStatus.ACCEPTED, accepted.size(), refused, amountMinor, firstRefusal);
  }

  private static String duplicateInFile(TransitException exception, List<DisputeStore.Dispute> accepted) {
    for (DisputeStore.Dispute earlier : accepted) {
      TransitException e = earlier.exception();
      if (e.operator().equals(exception.operator()) && e.recordId().equals(exception.recordId())) {
        return "record " + exception.recordId().terminalId() + "#" + exception.recordId().sequence()
            + " appears twice in the file";
      }
    }
    return null;
  }

  /** A line's verdict: the dispute to record, or why it is refused. */
  private record Checked(DisputeStore.Dispute dispute, String refusal) {
    static Checked refused(String reason) {
      return new Checked(null, reason);
    }
  }

  private Checked chargeback(PartyId issuer, TransitException exception) {
    Optional<SettledRecords.Settled> found = settled.find(exception.operator(), exception.businessDate(),
        exception.recordId());
    if (found.isEmpty()) {
      return Checked.refused("no settled record " + exception.recordId().terminalId() + "#"
          + exception.recordId().sequence() + " of " + exception.operator() + " on " + exception.businessDate());
    }
    var record = found.get().record();
    if (!record.cardKey().equals(exception.key()) || record.fare().amountMinor() != exception.fareMinor()) {
      return Checked.refused("the chargeback's card or fare is not the settled record's");
    }
    if (!routes.issuerOf(record.pan()).map(issuer::equals).orElse(false)) {
      return Checked.refused("card " + record.pan().masked() + " is not routed to " + issuer);
    }
    if (store.find(exception.operator(), exception.recordId(), ExceptionStage.CHARGEBACK).isPresent()
        || store.chargedBack(exception.key())) {
      return Checked.refused("the record was already charged back");
    }
    return new Checked(new DisputeStore.Dispute(0, exception.as(ExceptionStage.CHARGEBACK,
        TransitException.NO_EVIDENCE), issuer, null), null);
  }

  private Checked representment(PartyId operator, TransitException exception) {
    if (!exception.operator().equals(operator)) {
      return Checked.refused("a re-presentment of " + exception.operator() + "'s record from " + operator);
    }
    Optional<DisputeStore.Dispute> chargeback = store.find(operator, exception.recordId(), ExceptionStage.CHARGEBACK);
    if (chargeback.isEmpty() || chargeback.get().window() == null) {
      return Checked.refused("no settled chargeback of record " + exception.recordId().terminalId() + "#"
          + exception.recordId().sequence());
    }
    if (store.find(operator, exception.recordId(), ExceptionStage.REPRESENTMENT).isPresent()) {
      return Checked.refused("the record was already re-presented once");
    }
    TransitException original = chargeback.get().exception();
    if (!exception.key().equals(original.key())) {
      return Checked.refused("the re-presentment's card transaction is not the charged-back record's");
    }
    if (exception.fareMinor() > original.fareMinor()) {
      return Checked.refused("a re-presentment of " + exception.fareMinor() + " claims more than the "
          + original.fareMinor() + " charged back");
    }
    // The re-presented fare: the charged-back one, or less when the operator corrected its record.
    TransitException line = new TransitException(ExceptionStage.REPRESENTMENT, original.reason(), original.operator(),
        original.businessDate(), original.recordId(), original.key(), exception.fareMinor(), exception.evidence());
    return new Checked(new DisputeStore.Dispute(0, line, chargeback.get().issuer(), null), null);
  }

  /** A file's own faults: its sender's role for its lines, its receiver and currency. */
  private String headerRefusal(ExceptionFile.Read read, VerifiedFile verified) {
    PartyId sender = read.header().sender();
    if (!read.header().receiver().equals(config.self())) {
      return "file is addressed to " + read.header().receiver() + ", not to this switch " + config.self();
    }
    if (!read.header().currency().equals(config.currency())) {
      return "file currency " + read.header().currency() + " is not the settlement currency " + config.currency();
    }
    ExceptionStage stage = issuers.contains(sender) ? ExceptionStage.CHARGEBACK
        : operators.contains(sender) ? ExceptionStage.REPRESENTMENT : null;
    if (stage == null) {
      return "sender " + sender + " is neither an issuer nor an operator of this scheme";
    }
    PartyRole role = stage == ExceptionStage.CHARGEBACK ? PartyRole.ISSUER : PartyRole.OPERATOR;
    if (verified != null && verified.signer().role() != role) {
      return "sender " + sender + " signed as " + verified.signer().role() + ", not as " + role;
    }
    for (TransitException exception : read.exceptions()) {
      if (exception.stage() != stage) {
        return "a " + exception.stage() + " line from " + sender + ", who may send only " + stage + " lines";
      }
    }
    return null;
  }

  private IntakeReceipt refuse(String name, String reason) {
    LOG.warn("Exception file refused [file={}, reason={}]", name, reason);
    keep(new Rejection(name, 0, "", reason));
    return new IntakeReceipt(IntakeStatus.REJECTED, 0, 0, 0, reason);
  }

  private void keep(Rejection rejection) {
    if (rejections.size() < config.rejectionsKeptMax()) {
      rejections.add(rejection);
    }
  }

  /** What the next window nets. */
  synchronized Pending pending() {
    Map<PartyId, Map<PartyId, Long>> gross = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    long through = 0;
    List<DisputeStore.Dispute> pending = store.pending();
    for (DisputeStore.Dispute dispute : pending) {
      TransitException e = dispute.exception();
      boolean chargeback = e.stage() == ExceptionStage.CHARGEBACK;
      PartyId payer = chargeback ? e.operator() : dispute.issuer();
      PartyId receiver = chargeback ? dispute.issuer() : e.operator();
      gross.computeIfAbsent(payer, p -> new TreeMap<>(SwitchConfig.PARTY_ORDER))
          .merge(receiver, e.fareMinor(), Math::addExact);
      through = Math.max(through, dispute.sequence());
    }
    return new Pending(pending, gross, through);
  }

  /**
   * The notices of window T, written before T is marked settled: to each operator the chargebacks
   * netted against it, to each issuer the re-presentments netted against it (a party with none gets
   * none). Numbered by T's epoch day, so a notice rewritten after a crash has the same number.
   */
  synchronized Map<PartyId, Path> writeNotices(LocalDate window, Pending pending) {
    Map<PartyId, List<TransitException>> byReceiver = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    for (DisputeStore.Dispute dispute : pending.disputes()) {
      TransitException e = dispute.exception();
      PartyId receiver = e.stage() == ExceptionStage.CHARGEBACK ? e.operator() : dispute.issuer();
      byReceiver.computeIfAbsent(receiver, r -> new ArrayList<>()).add(e);
    }
    Map<PartyId, Path> notices = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    byReceiver.forEach((receiver, lines) -> notices.put(receiver, writeNotice(window, receiver, lines)));
    return notices;
  }

  private Path writeNotice(LocalDate window, PartyId receiver, List<TransitException> lines) {
    Path path = outDirectory.resolve("exceptions-" + receiver.value() + "-" + window + ".txt");
    try (OutputStream out = Files.newOutputStream(path)) {
      ExceptionFile.write(out, config.self(), receiver, window, window.toEpochDay(), config.currency(), lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write exception notice " + path, e);
    }
    if (trust != null) {
      trust.signer().sign(path, FileKind.EXCEPTION);
    }
    return path;
  }

  /** Every step accepted (for reports and the demo's findings). */
  synchronized List<DisputeStore.Dispute> disputes() {
    return store.all();
  }

  /** The first {@code rejectionsKeptMax} refused exception files and lines, oldest first (in memory). */
  synchronized List<Rejection> rejections() {
    return List.copyOf(rejections);
  }
}
