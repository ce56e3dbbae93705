package io.iotpay.issuer;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.card.CardIssuing;
import io.iotpay.issuer.card.CardRecord;
import io.iotpay.issuer.card.CardRegistry;
import io.iotpay.issuer.card.IssuedCard;
import io.iotpay.issuer.card.IssuerKeys;
import io.iotpay.issuer.card.IssuerMasterKeys;
import io.iotpay.issuer.settlement.SwitchSettlement;
import io.iotpay.issuer.transit.Chargebacks;
import io.iotpay.issuer.transit.ClearingReport;
import io.iotpay.issuer.transit.ClearingStore;
import io.iotpay.issuer.transit.DenyListPublisher;
import io.iotpay.issuer.transit.MetroEnablement;
import io.iotpay.issuer.transit.QuotaPushes;
import io.iotpay.issuer.transit.ScriptStep;
import io.iotpay.issuer.transit.TacVerifier;
import io.iotpay.issuer.transit.TransitClearing;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.enrolment.ServiceApplication;
import io.iotpay.protocol.enrolment.ServiceDecision;
import io.iotpay.protocol.file.ExceptionFile;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileHeaders;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.pki.AcceptedFileLog;
import io.iotpay.protocol.pki.DigestingInputStream;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.VerifiedFile;
import io.iotpay.protocol.script.CardScript;
import io.iotpay.protocol.script.CardScriptResult;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The issuer host of the transit scenario (docs/issuer.md) as one entry point that only wires its
 * services together and hands each call to the one that does the job: {@link IssuerBook} (its
 * accounts), {@link CardIssuing} (issuing, personalisation), {@link MetroEnablement} and {@link
 * QuotaPushes} (the transit service and its quota), {@link TransitClearing} (clearing files) and
 * {@link SwitchSettlement} (paying the switch), {@link DenyListPublisher} (its deny list file). No service
 * calls back into it.
 *
 * <p>Not thread-safe: one caller drives it (the demo's issuer loop). Logs masked PANs only.
 */
public final class Issuer implements AutoCloseable {
  /** Most cards one {@link #issueCards} call creates (one transaction; bounds its memory). */
  public static final int BULK_CARDS_MAX = CardIssuing.BULK_CARDS_MAX;

  private final IssuerConfig config;
  private final IssuerKeys keys;
  private final CardRegistry registry;
  private final ClearingStore clearingStore;
  private final IssuerBook book;
  private final CardIssuing issuing;
  private final QuotaPushes pushes;
  private final MetroEnablement enablement;
  private final SwitchSettlement settlement;
  private final DenyListPublisher denyLists;
  private final Chargebacks chargebacks;
  final TransitClearing clearing;
  private final FileTrust trust;
  private final AcceptedFileLog acceptedFiles;

  /**
   * Opens the issuer on its store and ledger: migrates its tables, creates its system accounts,
   * opens its sealed key store (loading the master keys at the first start), and completes the postings of a clearing a crash
   * stopped.
   *
   * @param keyDirectory where the issuer's keys are sealed ({@link IssuerKeys}); an existing store is
   *     reopened and {@code masters} are then not used
   * @param masters the issuer master keys of each suite it issues (loaded at the first start)
   * @param storageMasterKey the key that seals keys at rest (32 bytes: AES-256-GCM; 16: SM4-GCM)
   * @throws IssuerInputException when a suite's master keys are missing at the first start
   * @throws io.iotpay.foundation.custody.KeyCustodyException when the store does not open under
   *     {@code storageMasterKey} (WRONG_MASTER_KEY, TAMPERED, BAD_PERMISSIONS)
   */
  public Issuer(IssuerConfig config, Path keyDirectory, Map<AlgorithmSuite, IssuerMasterKeys> masters,
      SecretKeyBytes storageMasterKey, Database database, Ledger ledger) {
    this(config, keyDirectory, masters, storageMasterKey, database, ledger, null);
  }

  /**
   * As {@link #Issuer(IssuerConfig, Path, Map, SecretKeyBytes, Database, Ledger)}, with signed files
   * (docs/signed-files.md): clearing files and settlement reports are used only once the switch's
   * signature is verified (and are refused as replays once used, recorded in this issuer's database);
   * its deny list files are signed with the issuer's key.
   *
   * @param trust the issuer's signer (role ISSUER) and verifier; null for unsigned files (unit tests of the file logic)
   */
  public Issuer(IssuerConfig config, Path keyDirectory, Map<AlgorithmSuite, IssuerMasterKeys> masters,
      SecretKeyBytes storageMasterKey, Database database, Ledger ledger, FileTrust trust) {
    this.trust = trust;
    this.acceptedFiles = trust == null ? null : new AcceptedFileLog(database, config.id());
    this.config = config;
    this.keys = new IssuerKeys(config.id(), keyDirectory, masters, storageMasterKey);
    IssuerStore store = new IssuerStore(database);
    this.registry = new CardRegistry(store);
    this.clearingStore = new ClearingStore(store);
    this.book = new IssuerBook(config, store, ledger);
    this.issuing = new CardIssuing(config, registry, keys, book);
    this.pushes = new QuotaPushes(config, registry, keys, book);
    this.enablement = new MetroEnablement(registry, book, pushes);
    this.settlement = new SwitchSettlement(config.id(), book);
    this.denyLists = new DenyListPublisher(config.id(), clearingStore);
    this.chargebacks = new Chargebacks(config.id(), config.currency(), book);
    this.clearing = new TransitClearing(config.id(), keys, registry, book, clearingStore);
  }

  public PartyId id() {
    return config.id();
  }

  public IssuerConfig config() {
    return config;
  }

  /** @see IssuerBook#dueToSwitchAccountId */
  public long dueToSwitchAccountId() {
    return book.dueToSwitchAccountId();
  }

  /** @see IssuerBook#fundingAccountId */
  public long fundingAccountId() {
    return book.fundingAccountId();
  }

  /** @see IssuerBook#arrearsAccountId */
  public long arrearsAccountId() {
    return book.arrearsAccountId();
  }

  /** @see IssuerBook#openRiderAccount */
  public long openRiderAccount(int riderNumber, RiderAccountKind kind, long creditLimitMinor) {
    return book.openRiderAccount(riderNumber, kind, creditLimitMinor);
  }

  /** @see IssuerBook#deposit */
  public TransferResult deposit(long transferId, long accountId, long amountMinor) {
    return book.deposit(transferId, accountId, amountMinor);
  }

  /** @see IssuerBook#availableMinor */
  public long availableMinor(long accountId) {
    return book.availableMinor(accountId);
  }

  /** @see CardIssuing#issueCard */
  public IssuedCard issueCard(AlgorithmSuite suite, long accountId) {
    return issuing.issueCard(suite, accountId);
  }

  /** @see CardIssuing#issueCards */
  public List<Pan> issueCards(AlgorithmSuite suite, long accountId, int count) {
    return issuing.issueCards(suite, accountId, count);
  }

  /** Bulk issuing with one debit rider account per card ({@link CardIssuing#issueCardsOnOwnAccounts}). */
  public List<Pan> issueCardsOnOwnAccounts(AlgorithmSuite suite, int firstRiderNumber, int count) {
    return issuing.issueCardsOnOwnAccounts(suite, firstRiderNumber, count);
  }

  /** @see CardIssuing#personalise */
  public void personalise(Pan pan, CardChannel channel) {
    issuing.personalise(pan, channel);
  }

  /** @see CardIssuing#personalise(Pan, CardChannel, OdaIssuing.IssuerCredentials) */
  public void personalise(Pan pan, CardChannel channel, io.iotpay.foundation.crypto.oda.OdaIssuing.IssuerCredentials oda) {
    issuing.personalise(pan, channel, oda);
  }

  /** @see MetroEnablement#apply */
  public ServiceDecision apply(ServiceApplication application) {
    return enablement.apply(application);
  }

  /** @see QuotaPushes#restoresDue */
  public List<Pan> restoresDue() {
    return pushes.restoresDue();
  }

  /** @see QuotaPushes#startPush */
  public CardScript startPush(Pan pan) {
    return pushes.startPush(pan);
  }

  /** @see QuotaPushes#onScriptResult */
  public ScriptStep onScriptResult(CardScriptResult result) {
    return pushes.onScriptResult(result);
  }

  /** @see QuotaPushes#runPush */
  public ScriptStep runPush(CardScript first, Function<CardScript, CardScriptResult> relay) {
    return pushes.runPush(first, relay);
  }

  /** @see TransitClearing#clear */
  public ClearingReport clear(ClearingFile file) {
    return clearing.clear(file);
  }

  /** @see TransitClearing#clearFile(Path, FileLimits) */
  public ClearingReport clearFile(Path clearingFile, FileLimits limits) {
    if (trust == null) {
      return clearing.clearFile(clearingFile, limits);
    }
    SignatureGate gate = new SignatureGate(clearingFile);
    ClearingReport report = clearing.clearFile(clearingFile, limits, TransitClearing.FILE_CHUNK_RECORDS, gate);
    record(gate.verified);
    return report;
  }

  /**
   * The clearing file's signature checked with the digest computed in the clearing's integrity
   * pass (one read of the file instead of two): the verdict, and the header against the signed
   * claims, come before any record is decoded for use or anything is booked.
   */
  private final class SignatureGate implements TransitClearing.IntegrityGate {
    private final Path file;
    private DigestingInputStream content;
    private VerifiedFile verified;

    SignatureGate(Path file) {
      this.file = file;
    }

    @Override
    public InputStream reading(InputStream in) {
      content = trust.verifier().digesting(in);
      return content;
    }

    @Override
    public void verdict(FileHeader header) {
      verified = trust.verifier().verify(file, content, FileKind.CLEARING, acceptedFiles);
      if (header != null) {
        verified.requireHeader(header);
      }
    }
  }

  /**
   * With signed files: verifies {@code file} (before a byte of it is parsed) and that its header is
   * the signed one; null without.
   *
   * @throws io.iotpay.protocol.pki.SignedFileException with its reason; nothing changes
   */
  private VerifiedFile verified(Path file, FileKind kind, FileLimits limits) {
    if (trust == null) {
      return null;
    }
    VerifiedFile verified = trust.verifier().verify(file, kind, acceptedFiles);
    verified.requireHeader(FileHeaders.read(file, kind, limits));
    return verified;
  }

  private void record(VerifiedFile verified) {
    if (verified != null) {
      acceptedFiles.record(verified);
    }
  }

  /** {@link #clearFile(Path, FileLimits)} with the default file limits. */
  public ClearingReport clearFile(Path clearingFile) {
    return clearFile(clearingFile, FileLimits.defaults());
  }

  /** @see SwitchSettlement#pay */
  public long paySettlement(SettlementReport report) {
    return settlement.pay(report);
  }

  /** @see SwitchSettlement#payFile */
  public long paySettlementFile(Path reportFile) {
    VerifiedFile verified = verified(reportFile, FileKind.SETTLEMENT, FileLimits.defaults());
    long paid = settlement.payFile(reportFile, FileLimits.defaults());
    record(verified);
    return paid;
  }

  /**
   * Writes (and with signed files signs) the chargebacks of a cleared file (docs/clearing-files.md
   * §9), for the switch's {@code receiveExceptions}.
   *
   * @see Chargebacks#writeFile
   */
  public Optional<Path> writeChargebackFile(Path clearingFile, ClearingReport report, Path directory,
      PartyId switchId) {
    Optional<Path> file = chargebacks.writeFile(clearingFile, report, directory, switchId, FileLimits.defaults());
    if (trust != null) {
      file.ifPresent(path -> trust.signer().sign(path, FileKind.EXCEPTION));
    }
    return file;
  }

  /**
   * Clears a clearing file and writes (and signs) its chargebacks before the file is recorded as
   * used (docs/clearing-files.md §11): a crash anywhere in between leaves the file unrecorded, and
   * clearing it again refuses the same records (those it cleared come back as duplicates, which are
   * not charged back), so the same chargeback file is written again. Once recorded, the chargeback
   * file is on disk ({@link #chargebackFiles}).
   *
   * @return the clearing report and the chargeback file, if any
   * @throws io.iotpay.protocol.pki.SignedFileException with signed files, with its reason; nothing changes
   */
  public Cleared clearAndChargeBack(Path clearingFile, Path directory, PartyId switchId) {
    VerifiedFile verified = verified(clearingFile, FileKind.CLEARING, FileLimits.defaults());
    ClearingReport report = clearing.clearFile(clearingFile, FileLimits.defaults());
    Optional<Path> chargebacks = writeChargebackFile(clearingFile, report, directory, switchId);
    record(verified);
    return new Cleared(report, chargebacks);
  }

  /** What {@link #clearAndChargeBack} did: the clearing and the chargeback file it wrote, if any. */
  public record Cleared(ClearingReport report, Optional<Path> chargebacks) {}

  /** The chargeback files this issuer wrote in {@code directory}, in name order. */
  public List<Path> chargebackFiles(Path directory) {
    return chargebacks.files(directory);
  }

  /**
   * Books the switch's notice of re-presentments netted against this issuer (verified first with
   * signed files, and refused as a replay once used).
   *
   * @return the re-presented amount, minor units
   * @throws io.iotpay.protocol.pki.SignedFileException with signed files, with its reason; nothing changes
   * @throws io.iotpay.protocol.ProtocolException when the notice is malformed or not from the switch
   * @see Chargebacks#bookRepresentments
   */
  public long receiveExceptionNotice(Path notice, PartyId switchId) {
    VerifiedFile verified = verified(notice, FileKind.EXCEPTION, FileLimits.defaults());
    ExceptionFile.Read read;
    try (InputStream in = Files.newInputStream(notice)) {
      read = ExceptionFile.read(in, FileLimits.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + notice, e);
    }
    long booked = chargebacks.bookRepresentments(read, switchId);
    record(verified);
    return booked;
  }

  /** The current deny list (version 1 when empty; +1 per card added). */
  public DenyList denyList() {
    return denyLists.current();
  }

  /** @see DenyListPublisher#writeFile */
  public Path writeDenyListFile(Path directory, PartyId switchId, LocalDate businessDate) {
    Path file = denyLists.writeFile(directory, switchId, businessDate);
    if (trust != null) {
      trust.signer().sign(file, FileKind.DENY_LIST);
    }
    return file;
  }

  /** Every card transaction this issuer cleared, with its fare (0 for an entry), minor units. */
  public Map<CardTransactionKey, Long> clearedFaresMinor() {
    return clearingStore.clearedFaresMinor();
  }

  /** @see CardIssuing#card */
  public CardRecord card(Pan pan) {
    return issuing.card(pan);
  }

  IssuerKeys keys() {
    return keys;
  }

  /** A TAC verifier through this issuer's key custody (what clearing uses), for references and checks. */
  public TacVerifier tacVerifier() {
    return clearing.tacVerifier();
  }

  /** Closes the key store: the keys it holds in memory and its card-key cache are wiped. */
  @Override
  public void close() {
    keys.close();
  }

  CardRegistry registry() {
    return registry;
  }

  ClearingStore clearingStore() {
    return clearingStore;
  }
}
