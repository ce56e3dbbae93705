package io.iotpay.switching.transit;

import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Ledger;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.OfflineFileInbox;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.settlement.SettlementReport;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.SwitchStore;
import io.iotpay.switching.settlement.GrossSource;
import io.iotpay.switching.settlement.SettlementPoster;
import io.iotpay.switching.settlement.SettlementReportWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The scheme switch for transit, as one entry point that only wires its services together: {@link
 * OfflineFileIntake} (operators' files: refusals, de-duplication, routing, spooling, recovery),
 * {@link TransitSettlement} (T+1: netting, posting, clearing files, settlement reports) and {@link
 * DenyListDistribution} (issuers' lists to operators). Thread-safe as its services are.
 */
public final class TransitSwitch implements OfflineFileInbox, AutoCloseable {
  private final OfflineFileIntake intake;
  private final TransitSettlement settlement;
  private final DenyListDistribution denyLists;
  private final ExceptionDesk exceptions;
  private final SettlementPoster poster;
  private final FileTrust trust;
  private final SwitchStore store;
  private final SwitchConfig config;
  private final Path outDirectory;

  /**
   * Opens the switch's accounts in its book and prepares the work directory.
   *
   * @param config never null
   * @param ledger the shared ledger; the switch posts only to {@code config.bookId()}
   * @param database where the switch records accepted files and settled days (Flyway component
   *     {@code switch}); not closed by the switch
   * @param workDirectory where the file archive, spools, clearing and report files live; created if
   *     missing; must be the same directory across restarts
   * @throws UncheckedIOException when the directory cannot be created or an archived file read
   * @throws io.iotpay.switching.SwitchStoreException when the database cannot be read
   */
  public TransitSwitch(SwitchConfig config, Ledger ledger, Database database, Path workDirectory) {
    this(config, ledger, database, workDirectory, null, List.of());
  }

  /**
   * As {@link #TransitSwitch(SwitchConfig, Ledger, Database, Path)}, with other schemes' gross amounts
   * folded into every settlement run (docs/online-clearing.md): their participants get positions and
   * due-to accounts after the operators'.
   *
   * @param sources e.g. the online card clearing; empty for transit alone
   */
  public TransitSwitch(SwitchConfig config, Ledger ledger, Database database, Path workDirectory,
      List<GrossSource> sources) {
    this(config, ledger, database, workDirectory, null, sources);
  }

  /**
   * As {@link #TransitSwitch(SwitchConfig, Ledger, Database, Path)}, with signed files
   * (docs/signed-files.md): operators' files and issuers' deny lists are taken only with their
   * sender's valid signature, checked before they are parsed; clearing files, settlement reports and
   * the deny lists relayed to operators are signed with the switch's key.
   *
   * @param trust the switch's signer (role SWITCH) and verifier; null for unsigned files (unit tests of the file logic)
   */
  public TransitSwitch(SwitchConfig config, Ledger ledger, Database database, Path workDirectory, FileTrust trust) {
    this(config, ledger, database, workDirectory, trust, List.of());
  }

  /**
   * With signed files and other schemes' gross amounts (both described above).
   *
   * @param trust null for unsigned files
   * @param sources empty for transit alone
   */
  public TransitSwitch(SwitchConfig config, Ledger ledger, Database database, Path workDirectory, FileTrust trust,
      List<GrossSource> sources) {
    this.trust = trust;
    LinkedHashSet<PartyId> issuerSet = new LinkedHashSet<>();
    config.ranges().stream().map(CardRange::issuer).sorted(SwitchConfig.PARTY_ORDER).forEach(issuerSet::add);
    List<PartyId> issuers = List.copyOf(issuerSet);
    List<PartyId> operators = config.operators().stream().sorted(SwitchConfig.PARTY_ORDER).distinct().toList();
    LinkedHashSet<PartyId> receiverSet = new LinkedHashSet<>(operators);
    sources.stream().flatMap(source -> source.participants().stream()).sorted(SwitchConfig.PARTY_ORDER)
        .filter(party -> !issuerSet.contains(party)).forEach(receiverSet::add);
    List<PartyId> receivers = List.copyOf(receiverSet);
    Path spool = directory(workDirectory.resolve("spool"));
    Path out = directory(workDirectory.resolve("out"));
    Path archive = directory(workDirectory.resolve("archive"));
    this.store = new SwitchStore(database, config.self());
    this.config = config;
    this.outDirectory = out;
    this.poster = new SettlementPoster(config, ledger, issuers, receivers);
    poster.openAccounts();
    this.intake = new OfflineFileIntake(config, store, spool, archive, trust);
    this.exceptions = new ExceptionDesk(config, issuers, operators, new DisputeStore(database, config.self()),
        new SettledRecords(store, archive, config.limits()), out, trust);
    this.settlement = new TransitSettlement(config, issuers, receivers, intake, poster,
        new ClearingFileWriter(config, issuers, spool, out, store.clearingSequences()),
        new SettlementReportWriter(config.self(), out), store, sources, exceptions);
    this.denyLists = new DenyListDistribution(config, issuers, out, trust);
  }

  private static Path directory(Path path) {
    try {
      return Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the switch's work directory " + path, e);
    }
  }

  /** @see OfflineFileIntake#receive */
  @Override
  public IntakeReceipt receive(Path file) {
    return intake.receive(file);
  }

  /** The first {@code rejectionsKeptMax} rejections, oldest first. */
  public List<Rejection> rejections() {
    return intake.rejections();
  }

  /** Every rejection ever recorded, including those beyond {@code rejectionsKeptMax}. */
  public long rejectionsTotal() {
    return intake.rejectionsTotal();
  }

  /** Records accepted so far for business day T (0 when none). */
  public long recordsAccepted(LocalDate businessDate) {
    return intake.recordsAccepted(businessDate);
  }

  /**
   * Settles business day T on {@code today} (T+1 or later): multilateral net positions of T's fares,
   * of the late presentments accepted into window T and of the disputes accepted since the last
   * window, posted to the switch's book; one clearing file per issuer, one settlement report file per
   * participant and one exception notice per party with disputes netted, all written (and signed)
   * before T is marked settled. Files for T arriving afterwards go to the open window (late
   * presentments).
   *
   * @throws IllegalStateException when {@code today} is not after T or T was settled already
   */
  public SettlementRun settle(LocalDate businessDate, LocalDate today) {
    return settlement.settle(businessDate, today, run -> {
      if (trust != null) {
        run.clearingFiles().values().forEach(file -> trust.signer().sign(file, FileKind.CLEARING));
        run.reportFiles().values().forEach(file -> trust.signer().sign(file, FileKind.SETTLEMENT));
        // exception notices are signed as they are written
      }
    });
  }

  /**
   * The files of window T as settled, read back from the work directory: for a receiver that
   * lost them, or a caller whose {@link #settle} was cut short by a crash after the window
   * committed (every file is written and signed before the day is marked settled).
   *
   * @return empty when T is not settled
   * @throws io.iotpay.protocol.ProtocolException when a settled window's report no longer reads
   * @throws UncheckedIOException when the work directory cannot be read
   */
  public Optional<SettlementRun> settledRun(LocalDate businessDate) {
    if (!store.settledDays().contains(businessDate)) {
      return Optional.empty();
    }
    Map<PartyId, Path> clearing = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    Map<PartyId, Path> reports = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    Map<PartyId, Path> notices = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    String suffix = "-" + businessDate + ".txt";
    try (Stream<Path> files = Files.list(outDirectory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList()) {
        String name = file.getFileName().toString();
        int dash = name.indexOf('-');
        String party = name.substring(dash + 1, name.length() - suffix.length());
        switch (name.substring(0, dash)) {
          case "clearing" -> clearing.put(PartyId.of(party), file);
          case "settlement" -> reports.put(PartyId.of(party), file);
          case "exceptions" -> notices.put(PartyId.of(party), file);
          default -> { } // deny lists and other files of the directory
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + outDirectory, e);
    }
    SettlementReport report;
    try (InputStream in = Files.newInputStream(reports.values().iterator().next())) {
      report = SettlementReportFile.read(in, config.limits()).report();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the settlement report of " + businessDate, e);
    }
    return Optional.of(new SettlementRun(report, clearing, reports, notices));
  }

  /**
   * Takes an exception file (docs/clearing-files.md §11): an issuer's chargebacks or an operator's
   * re-presentments, signed by its sender. The file is refused whole (nothing changes) when its
   * signature, format, sender or addressing is wrong; each line is then checked against the
   * switch's own settled record (card, fare, routed issuer; one chargeback and one re-presentment
   * per record, a re-presentment only after its chargeback was netted, of the same card transaction,
   * claiming at most the fare charged back: less when the operator corrected its record), refused lines reported.
   * Accepted lines are netted in the next settlement window.
   *
   * @return ACCEPTED with the lines accepted and refused and the amount accepted; ALREADY_ACCEPTED
   *     for an authentic file accepted before (nothing changes); REJECTED with the reason
   */
  public IntakeReceipt receiveExceptions(Path file) {
    return exceptions.receive(file);
  }

  /** Every dispute step accepted so far, in acceptance order (what the switch's records say). */
  public List<Dispute> disputes() {
    return exceptions.disputes().stream().map(d -> new Dispute(d.exception(), d.issuer(), d.window())).toList();
  }

  /**
   * One dispute step the switch accepted.
   *
   * @param window the settlement window that netted it; null while it waits for the next one
   */
  public record Dispute(TransitException exception, PartyId issuer, LocalDate window) {}

  /**
   * What came late (docs/clearing-files.md §12): records the switch accepted from files whose
   * business day had settled, and their fares, from its durable record of accepted files.
   */
  public LatePresentments latePresentments() {
    long records = 0;
    long faresMinor = 0;
    for (SwitchStore.AcceptedFile file : store.acceptedFiles()) {
      if (file.late()) {
        records += file.recordsAccepted();
        faresMinor += file.faresAcceptedMinor();
      }
    }
    return new LatePresentments(records, faresMinor);
  }

  /** Records accepted late and their fares (minor units). */
  public record LatePresentments(long records, long faresMinor) {}

  /** Refused exception files and lines, oldest first. */
  public List<Rejection> exceptionRejections() {
    return exceptions.rejections();
  }

  /** @see DenyListDistribution#publish */
  public boolean publishDenyList(Path file) {
    return denyLists.publish(file);
  }

  /** The current deny list of every issuer that published one. */
  public List<DenyList> denyLists() {
    return denyLists.denyLists();
  }

  /** @see DenyListDistribution#filesFor */
  public List<Path> denyListFilesFor(PartyId operator, LocalDate businessDate) {
    return denyLists.filesFor(operator, businessDate);
  }

  /** The switch's settlement account id (its balance is zero after every settled day). */
  public long settlementAccountId() {
    return poster.settlementAccount();
  }

  /** The account holding what {@code issuer} owes the switch. */
  public long dueFromIssuerAccountId(PartyId issuer) {
    return poster.dueFromIssuer(issuer);
  }

  /** The account holding what the switch owes {@code operator} (or an online acquirer of a gross source). */
  public long dueToOperatorAccountId(PartyId operator) {
    return poster.dueToOperator(operator);
  }

  /** Deletes open days' spools. */
  @Override
  public void close() {
    intake.close();
  }
}
