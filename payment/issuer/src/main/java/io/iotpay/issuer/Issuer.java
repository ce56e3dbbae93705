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
import io.iotpay.issuer.transit.ClearingReport;
import io.iotpay.issuer.transit.ClearingStore;
import io.iotpay.issuer.transit.DenyListPublisher;
import io.iotpay.issuer.transit.MetroEnablement;
import io.iotpay.issuer.transit.QuotaPushes;
import io.iotpay.issuer.transit.ScriptStep;
import io.iotpay.issuer.transit.TransitClearing;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.enrolment.ServiceApplication;
import io.iotpay.protocol.enrolment.ServiceDecision;
import io.iotpay.protocol.file.FileHeaders;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.pki.AcceptedFileLog;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.VerifiedFile;
import io.iotpay.protocol.script.CardScript;
import io.iotpay.protocol.script.CardScriptResult;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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
public final class Issuer {
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
  final TransitClearing clearing;
  private final FileTrust trust;
  private final AcceptedFileLog acceptedFiles;

  /**
   * Opens the issuer on its store and ledger: migrates its tables, creates its system accounts,
   * wraps the master keys into its key vault, and completes the postings of a clearing a crash
   * stopped.
   *
   * @param masters the issuer master keys of each suite it issues (copied into the vault)
   * @param storageMasterKey the key that wraps keys at rest (16 bytes; AES)
   * @throws IssuerInputException when a suite's master keys are missing
   */
  public Issuer(IssuerConfig config, Map<AlgorithmSuite, IssuerMasterKeys> masters, SecretKeyBytes storageMasterKey,
      Database database, Ledger ledger) {
    this(config, masters, storageMasterKey, database, ledger, null);
  }

  /**
   * As {@link #Issuer(IssuerConfig, Map, SecretKeyBytes, Database, Ledger)}, with signed files
   * (docs/signed-files.md): clearing files and settlement reports are used only once the switch's
   * signature is verified (and are refused as replays once used, recorded in this issuer's database);
   * its deny list files are signed with the issuer's key.
   *
   * @param trust the issuer's signer (role ISSUER) and verifier; null for unsigned files (unit tests of the file logic)
   */
  public Issuer(IssuerConfig config, Map<AlgorithmSuite, IssuerMasterKeys> masters, SecretKeyBytes storageMasterKey,
      Database database, Ledger ledger, FileTrust trust) {
    this.trust = trust;
    this.acceptedFiles = trust == null ? null : new AcceptedFileLog(database, config.id());
    this.config = config;
    this.keys = new IssuerKeys(config.id(), masters, storageMasterKey);
    IssuerStore store = new IssuerStore(database);
    this.registry = new CardRegistry(store);
    this.clearingStore = new ClearingStore(store);
    this.book = new IssuerBook(config, store, ledger);
    this.issuing = new CardIssuing(config, registry, keys, book);
    this.pushes = new QuotaPushes(config, registry, keys, book);
    this.enablement = new MetroEnablement(registry, book, pushes);
    this.settlement = new SwitchSettlement(config.id(), book);
    this.denyLists = new DenyListPublisher(config.id(), clearingStore);
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
    VerifiedFile verified = verified(clearingFile, FileKind.CLEARING, limits);
    ClearingReport report = clearing.clearFile(clearingFile, limits);
    record(verified);
    return report;
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

  CardRegistry registry() {
    return registry;
  }

  ClearingStore clearingStore() {
    return clearingStore;
  }
}
