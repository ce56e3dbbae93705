package io.iotpay.switching.transit;

import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Ledger;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.OfflineFileInbox;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.protocol.transit.DenyList;
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
  private final SettlementPoster poster;

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
    this(config, ledger, database, workDirectory, List.of());
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
    SwitchStore store = new SwitchStore(database, config.self());
    this.poster = new SettlementPoster(config, ledger, issuers, receivers);
    poster.openAccounts();
    this.intake = new OfflineFileIntake(config, store, spool, archive);
    this.settlement = new TransitSettlement(config, issuers, receivers, intake, poster,
        new ClearingFileWriter(config, issuers, spool, out, store.clearingSequences()),
        new SettlementReportWriter(config.self(), out), store, sources);
    this.denyLists = new DenyListDistribution(config, issuers, out);
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
   * Settles business day T on {@code today} (T+1 or later): multilateral net positions, posted to the
   * switch's book; one clearing file per issuer and one settlement report file per participant.
   * Files for T arriving afterwards are rejected.
   *
   * @throws IllegalStateException when {@code today} is not after T or T was settled already
   */
  public SettlementRun settle(LocalDate businessDate, LocalDate today) {
    return settlement.settle(businessDate, today);
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
