package io.iotpay.acquirer.transit;

import io.iotpay.foundation.Assert;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.file.OfflineFileInbox;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.journal.JournalFile;
import io.iotpay.protocol.pki.FileClaims;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.SignedDenyLists;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.pki.VerifiedFile;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metro operator's back office: collects gate journals, builds the day-T offline transaction
 * file (each record id once), uploads it to the switch, books the fares as revenue receivable from
 * the switch, and books the switch's settlement report as received.
 *
 * <p>Books (its own book only): upload accepted → Dr receivable from switch, Cr fare revenue (the
 * fares the switch accepted, as its receipt says: duplicates it refused are not revenue); settlement → Dr settlement bank account, Cr receivable from switch (its net
 * position). What the switch refused stays on the receivable, visible in {@link #receivableMinor()}.
 * State is in memory. Thread-safe (synchronized).
 */
public final class OperatorBackOffice {
  static final long RECEIVABLE_FROM_SWITCH = 1;
  static final long FARE_REVENUE = 2;
  static final long SETTLEMENT_BANK = 3;
  private static final long TRANSFERS_PER_DAY_MAX = 1_000;
  private static final long SETTLEMENT_TRANSFER = 999;
  private static final Logger LOG = LoggerFactory.getLogger(OperatorBackOffice.class);
  private static final Comparator<TransitRecord> JOURNAL_ORDER =
      Comparator.comparing((TransitRecord r) -> r.id().terminalId()).thenComparingLong(r -> r.id().sequence());

  private final OperatorConfig config;
  private final Ledger ledger;
  private final Path outDirectory;
  private final Map<RecordId, TransitRecord> collected = new HashMap<>();
  private final Map<LocalDate, List<TransitRecord>> pending = new TreeMap<>();
  private final Set<LocalDate> settledDays = new HashSet<>();
  private final Map<LocalDate, Long> uploadsPerDay = new HashMap<>();
  private final Map<PartyId, DenyList> denyLists = new TreeMap<>(Comparator.comparing(PartyId::value));
  private long fileSequence;
  private final FileTrust trust;
  private final SignedDenyLists denyListAcceptance;
  /** Signed reports used (sender, business date, sequence): a replay is refused. */
  private final Set<List<Object>> acceptedReports = new HashSet<>();

  /**
   * Opens the operator's accounts in its book.
   *
   * @param workDirectory where offline files are written; created if missing
   */
  public OperatorBackOffice(OperatorConfig config, Ledger ledger, Path workDirectory) {
    this(config, ledger, workDirectory, null);
  }

  /**
   * As {@link #OperatorBackOffice(OperatorConfig, Ledger, Path)}, with signed files
   * (docs/signed-files.md): its offline files are signed with the operator's key; settlement reports
   * and deny lists are used only once the switch's (or, for a list, its issuer's) signature is
   * verified, before they are parsed; a deny list's version must follow the held one within the bound
   * of {@link SignedDenyLists}. Reports already used are refused as replays (remembered in memory, as
   * the rest of this back office's state).
   *
   * @param trust the operator's signer (role OPERATOR) and verifier; null for unsigned files (unit tests of the file logic)
   */
  public OperatorBackOffice(OperatorConfig config, Ledger ledger, Path workDirectory, FileTrust trust) {
    this.trust = trust;
    this.denyListAcceptance = trust == null ? null
        : new SignedDenyLists(trust.verifier(), SignedDenyLists.VERSION_STEP_MAX_DEFAULT, config.limits());
    this.config = config;
    this.ledger = ledger;
    this.outDirectory = workDirectory;
    try {
      Files.createDirectories(workDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + workDirectory, e);
    }
    List<Account> accounts = List.of(account(RECEIVABLE_FROM_SWITCH), account(FARE_REVENUE), account(SETTLEMENT_BANK));
    for (AccountResult result : ledger.createAccounts(accounts).join()) {
      Assert.that(result == AccountResult.OK, "operator account not created [result={}]", result);
    }
  }

  private Account account(long local) {
    return Account.of(config.accountIdBase() + local, config.bookId(), config.currency());
  }

  /**
   * Collects a gate journal; a record id seen before is a duplicate if identical, refused otherwise.
   *
   * @param journal never null, no nulls
   */
  public synchronized CollectResult collect(List<TransitRecord> journal) {
    long added = 0;
    long duplicates = 0;
    long refused = 0;
    for (TransitRecord record : journal) {
      TransitRecord known = collected.get(record.id());
      if (known != null && known.equals(record)) {
        duplicates++;
      } else if (known != null || !record.operator().equals(config.self()) || !record.fare().currency()
          .equals(config.currency())) {
        LOG.warn("Journal record refused [record={}, reason={}]", record.id(),
            known != null ? "record id reused with different content" : "another operator's or currency's record");
        refused++;
      } else {
        collected.put(record.id(), record);
        pending.computeIfAbsent(record.businessDate(), d -> new ArrayList<>()).add(record);
        added++;
      }
    }
    return new CollectResult(added, duplicates, refused);
  }

  /**
   * Collects a gate's journal file as written (the protocol's journal format, {@link JournalFile}),
   * even while the gate appends to it: a torn last line is skipped. Recovered copies of another
   * operator's transactions (a tap torn at that operator's gate and completed at ours) are skipped
   * and counted as {@link CollectResult#foreign()}: that operator holds the original.
   *
   * @throws io.iotpay.protocol.journal.JournalException when a line other than the last is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public CollectResult collectJournal(Path journalFile) {
    List<TransitRecord> own = new ArrayList<>();
    long foreign = 0;
    for (TransitRecord record : JournalFile.readRecords(journalFile)) {
      if (record.operator().equals(config.self())) {
        own.add(record);
      } else {
        foreign++;
      }
    }
    CollectResult collected = collect(own);
    return new CollectResult(collected.added(), collected.duplicates(), collected.refused(), foreign);
  }

  /**
   * Collects a journal written as a transit file (kind OFFLINE).
   *
   * @throws ProtocolException when the file is malformed
   */
  public CollectResult collectFile(Path journalFile) {
    try (InputStream in = Files.newInputStream(journalFile)) {
      return collect(TransitFileReader.readAll(in, FileKind.OFFLINE, config.limits()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal " + journalFile, e);
    }
  }

  /**
   * Every record in the offline files this back office wrote (accepted by the switch or not), read
   * back from its work directory in file-name order: what it told the switch, for reconciliation.
   *
   * @throws ProtocolException when one of its files no longer reads
   * @throws UncheckedIOException when the directory or a file cannot be read
   */
  public synchronized List<TransitRecord> uploadedRecords() {
    List<Path> files;
    try (Stream<Path> list = Files.list(outDirectory)) {
      files = list.filter(p -> p.getFileName().toString().startsWith("offline-")
          && p.getFileName().toString().endsWith(".txt")).sorted().toList(); // not the signatures (.txt.sig)
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + outDirectory, e);
    }
    List<TransitRecord> records = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        records.addAll(TransitFileReader.readAll(in, FileKind.OFFLINE, config.limits()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return records;
  }

  /** Records of day T collected but not yet in an accepted upload. */
  public synchronized long pendingRecords(LocalDate businessDate) {
    return pending.getOrDefault(businessDate, List.of()).size();
  }

  /**
   * Builds day T's offline file from the records not yet uploaded and delivers it to the switch.
   * On acceptance the file's fares are booked as receivable; on rejection they stay pending.
   *
   * @throws IllegalStateException when day T was already settled
   */
  public synchronized IntakeReceipt upload(LocalDate businessDate, OfflineFileInbox inbox) {
    Assert.that(!settledDays.contains(businessDate), "day already settled [day={}]", businessDate);
    List<TransitRecord> records = new ArrayList<>(pending.getOrDefault(businessDate, List.of()));
    records.sort(JOURNAL_ORDER);
    FileHeader header = TransitFileWriter.headerFor(FileKind.OFFLINE, config.self(), config.switchId(), businessDate,
        fileSequence + 1, config.currency(), records);
    Path file = outDirectory.resolve("offline-" + config.self().value() + "-" + businessDate + "-"
        + header.sequence() + ".txt");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      TransitFileWriter.writeAll(out, header, records);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    fileSequence++;
    if (trust != null) {
      trust.signer().sign(file, header);
    }
    IntakeReceipt receipt = inbox.receive(file);
    if (receipt.status() != IntakeStatus.REJECTED) {
      pending.remove(businessDate);
      long upload = uploadsPerDay.merge(businessDate, 1L, Long::sum);
      Assert.that(upload < SETTLEMENT_TRANSFER, "too many uploads for one day [day={}]", businessDate);
      // Only what the switch accepted is revenue: a recovered copy another gate already uploaded is not.
      if (receipt.faresAcceptedMinor() > 0) {
        post(transferId(businessDate, upload), RECEIVABLE_FROM_SWITCH, FARE_REVENUE, receipt.faresAcceptedMinor());
      }
    }
    LOG.info("Offline file uploaded [file={}, records={}, status={}]", file.getFileName(), records.size(),
        receipt.status());
    return receipt;
  }

  /**
   * Books the switch's settlement report for day T: the operator's net position, received into its
   * settlement bank account.
   *
   * @return the operator's net position in minor units
   * @throws ProtocolException when the file is malformed, not from the switch to this operator, or
   *     has no position for it
   */
  public synchronized long receiveSettlement(Path reportFile) {
    VerifiedFile verified = trust == null ? null : trust.verifier().verify(reportFile, FileKind.SETTLEMENT,
        claims -> acceptedReports.contains(reportKey(claims)));
    SettlementReportFile.Read read;
    try (InputStream in = Files.newInputStream(reportFile)) {
      read = SettlementReportFile.read(in, config.limits());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + reportFile, e);
    }
    if (verified != null) {
      verified.requireHeader(read.header());
    }
    if (!read.header().sender().equals(config.switchId()) || !read.header().receiver().equals(config.self())) {
      throw new ProtocolException("settlement report " + reportFile.getFileName() + " is from "
          + read.header().sender() + " to " + read.header().receiver() + ", not from the switch to " + config.self());
    }
    long netMinor = read.report().positions().stream().filter(p -> p.party().equals(config.self()))
        .map(NetPosition::net).findFirst()
        .orElseThrow(() -> new ProtocolException("settlement report has no position for " + config.self()))
        .amountMinor();
    LocalDate day = read.report().businessDate();
    if (netMinor < 0) {
      throw new ProtocolException("settlement report: an operator receives, but its position is " + netMinor);
    }
    settledDays.add(day);
    post(transferId(day, SETTLEMENT_TRANSFER), SETTLEMENT_BANK, RECEIVABLE_FROM_SWITCH, netMinor);
    if (verified != null) {
      acceptedReports.add(reportKey(verified.claims()));
    }
    LOG.info("Settlement received [day={}, netMinor={}]", day, netMinor);
    return netMinor;
  }

  /** A settlement report's identity for replays: the switch numbers every day's report 1. */
  private static List<Object> reportKey(FileClaims claims) {
    return List.of(claims.sender(), claims.businessDate(), claims.sequence());
  }

  /**
   * Takes a deny list the switch distributed; the highest version per issuer wins (with signed
   * files: only a signed list whose version follows the held one within the bound; a version held
   * already is not taken, false).
   *
   * @return true when it replaced the issuer's list
   * @throws io.iotpay.protocol.pki.SignedFileException with signed files, for a list refused for another reason
   */
  public synchronized boolean receiveDenyList(Path file) {
    if (denyListAcceptance != null) {
      DenyList list;
      try {
        list = denyListAcceptance.accept(file, issuer -> {
          DenyList held = denyLists.get(issuer);
          return held == null ? 0 : held.version();
        });
      } catch (SignedFileException e) {
        if (e.reason() == SignedFileException.Reason.REPLAYED) {
          return false; // the list held is this one or a later one, as in the unsigned path
        }
        throw e;
      }
      denyLists.put(list.issuer(), list);
      return true;
    }
    DenyListFile.Read read;
    try (InputStream in = Files.newInputStream(file)) {
      read = DenyListFile.read(in, config.limits());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (!read.header().receiver().equals(config.self())) {
      throw new ProtocolException("deny list " + file.getFileName() + " is for " + read.header().receiver());
    }
    DenyList current = denyLists.get(read.denyList().issuer());
    if (current != null && current.version() >= read.denyList().version()) {
      return false;
    }
    denyLists.put(read.denyList().issuer(), read.denyList());
    return true;
  }

  /** The current deny list of each issuer, for the gates. */
  public synchronized List<DenyList> denyLists() {
    return List.copyOf(denyLists.values());
  }

  /** Fares uploaded but not (yet) settled by the switch, minor units. */
  public long receivableMinor() {
    return ledger.balance(config.accountIdBase() + RECEIVABLE_FROM_SWITCH).map(b -> b.debitBalanceMinor()).orElse(0L);
  }

  /** Fare revenue booked, minor units. */
  public long fareRevenueMinor() {
    return ledger.balance(config.accountIdBase() + FARE_REVENUE).map(b -> b.creditBalanceMinor()).orElse(0L);
  }

  /** Money received from settlements, minor units. */
  public long settledMinor() {
    return ledger.balance(config.accountIdBase() + SETTLEMENT_BANK).map(b -> b.debitBalanceMinor()).orElse(0L);
  }

  private long transferId(LocalDate day, long local) {
    return Math.addExact(config.transferIdBase(), Math.addExact(Math.multiplyExact(day.toEpochDay(),
        TRANSFERS_PER_DAY_MAX), local));
  }

  private void post(long id, long debitLocal, long creditLocal, long amountMinor) {
    if (amountMinor == 0) {
      return;
    }
    TransferResult result = ledger.submit(List.of(Transfer.single(id, config.accountIdBase() + debitLocal,
        config.accountIdBase() + creditLocal, amountMinor))).join().get(0);
    Assert.that(result == TransferResult.OK, "operator posting refused [id={}, result={}]", id, result);
  }
}
