package io.iotpay.issuer;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.enrolment.ServiceApplication;
import io.iotpay.protocol.enrolment.ServiceDecision;
import io.iotpay.protocol.script.CardScript;
import io.iotpay.protocol.script.CardScriptResult;
import io.iotpay.protocol.transit.DenyList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer host of the transit scenario (docs/issuer.md): issues and personalises cards, keeps
 * rider accounts in its ledger book, enables the metro service, pushes quota restores through an
 * untrusted relay, and clears the switch's files.
 *
 * <p>Not thread-safe: one caller drives it (the demo's issuer loop). Logs masked PANs only.
 */
public final class Issuer {
  static final Logger LOG = LoggerFactory.getLogger(Issuer.class);
  static final String METRO = "METRO";
  static final int KVN = 0x20;
  private static final int RIDER_OFFSET = 1000;
  /** Most cards one {@link #issueCards} call creates (one transaction; bounds its memory). */
  public static final int BULK_CARDS_MAX = 10_000_000;

  private final IssuerConfig config;
  private final KeyVault vault;
  private final CardRegistry registry;
  private final Ledger ledger;
  private final Map<String, PushSession> pushes = new ConcurrentHashMap<>();
  private final AtomicLong scriptCounter = new AtomicLong();
  final Clearing clearing;

  /**
   * Opens the issuer on its store and ledger: migrates its tables, creates its system accounts,
   * and wraps the master keys into its key vault.
   *
   * @param masters the issuer master keys of each suite it issues (copied into the vault)
   * @param storageMasterKey the key that wraps keys at rest (16 bytes; AES)
   * @throws IssuerInputException when a suite's master keys are missing
   */
  public Issuer(IssuerConfig config, Map<AlgorithmSuite, IssuerMasterKeys> masters, SecretKeyBytes storageMasterKey,
      Database database, Ledger ledger) {
    this.config = config;
    this.vault = new KeyVault(AlgorithmSuite.INTERNATIONAL, storageMasterKey);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      IssuerMasterKeys keys = masters.get(suite);
      if (keys == null) {
        throw new IssuerInputException("issuer " + config.id() + ": no master keys for suite " + suite);
      }
      vault.put(suite + "/IMK-AC", keys.imkAc());
      vault.put(suite + "/IMK-MAC", keys.imkMac());
      vault.put(suite + "/KMC", keys.kmc());
    }
    this.registry = new CardRegistry(database);
    this.ledger = ledger;
    createAccounts(List.of(
        Account.of(dueToSwitchAccountId(), config.bookId(), config.currency()),
        Account.of(fundingAccountId(), config.bookId(), config.currency()),
        Account.of(arrearsAccountId(), config.bookId(), config.currency())));
    this.clearing = new Clearing(this);
    // Fare postings and arrears recorded by a clearing that stopped before posting them (crash) are
    // posted now; a fare posting the account can no longer take becomes arrears first.
    clearing.postPlannedFares();
    clearing.postArrears(registry.arrears());
  }

  public PartyId id() {
    return config.id();
  }

  public IssuerConfig config() {
    return config;
  }

  /** Account the issuer owes the switch on (credited by every fare cleared). */
  public long dueToSwitchAccountId() {
    return config.accountIdBase() + 1;
  }

  /** Where riders' deposits come from (the issuer's cash). */
  public long fundingAccountId() {
    return config.accountIdBase() + 2;
  }

  /** Fares the issuer owes the switch but could not debit from a rider. */
  public long arrearsAccountId() {
    return config.accountIdBase() + 3;
  }

  // ---------------------------------------------------------------- rider accounts

  /**
   * Opens rider account number {@code riderNumber} in the issuer's book.
   *
   * @param creditLimitMinor the credit limit for {@link RiderAccountKind#CREDIT}, 0 for debit
   * @return the ledger account id
   * @throws IssuerInputException for a negative number or limit
   */
  public long openRiderAccount(int riderNumber, RiderAccountKind kind, long creditLimitMinor) {
    if (riderNumber < 0 || creditLimitMinor < 0 || (kind == RiderAccountKind.DEBIT && creditLimitMinor != 0)) {
      throw new IssuerInputException("rider account " + riderNumber + ": bad number, kind or credit limit");
    }
    long id = config.accountIdBase() + RIDER_OFFSET + riderNumber;
    AccountFlags flags = switch (kind) {
      case DEBIT -> AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS;
      case CREDIT -> AccountFlags.NONE;
    };
    createAccounts(List.of(new Account(id, config.bookId(), config.currency(), flags)));
    if (registry.account(id).isEmpty()) {
      registry.insertAccount(id, kind, creditLimitMinor);
    }
    return id;
  }

  /** Credits a rider's account from the issuer's funding account (idempotent on {@code transferId}). */
  public TransferResult deposit(long transferId, long accountId, long amountMinor) {
    return submit(List.of(Transfer.single(transferId, fundingAccountId(), accountId, amountMinor))).get(0);
  }

  /**
   * What the rider may still spend: for a debit account its balance; for a credit account the
   * limit minus the debt. The transit quota on the card is not subtracted here (see {@link RiderAccountKind}).
   */
  public long availableMinor(long accountId) {
    CardRegistry.RiderAccount account = registry.account(accountId)
        .orElseThrow(() -> new IssuerInputException("no rider account " + accountId));
    long balance = ledger.balance(accountId).map(AccountBalance::creditBalanceMinor).orElse(0L);
    return switch (account.kind()) {
      case DEBIT -> balance;
      case CREDIT -> account.creditLimitMinor() + balance;
    };
  }

  // ---------------------------------------------------------------- issuing and personalisation

  /**
   * Creates a card for a rider's account: the next PAN of the first range (Luhn), PSN 01, and the
   * install parameters with its SCP02 static keys.
   *
   * @throws IssuerInputException for an unknown account or a full range
   */
  public IssuedCard issueCard(AlgorithmSuite suite, long accountId) {
    registry.account(accountId).orElseThrow(() -> new IssuerInputException("no rider account " + accountId));
    String prefix = config.ranges().get(0).prefix();
    int bodyDigits = 15 - prefix.length();
    long serial = registry.cardCount() + 1L;
    Pan pan;
    do {
      if (String.valueOf(serial).length() > bodyDigits) {
        throw new IssuerInputException("card range " + prefix + " is full");
      }
      pan = Pan.withCheckDigit(prefix + String.format("%0" + bodyDigits + "d", serial));
      serial++;
    } while (registry.find(pan).isPresent());
    int panSequence = 1;
    registry.insert(new CardRecord(pan, panSequence, suite, accountId, CardStatus.ISSUED, 0, 0,
        config.defaultQuotaMinor(), -1));
    CardKeys keys = cardKeys(suite, pan, panSequence);
    return new IssuedCard(pan, panSequence, suite, Personalisation.installParameters(config.aid(), keys, KVN));
  }

  /**
   * Issues {@code count} cards of {@code suite} on one rider account in one registry transaction
   * (bulk issuing for load tests and migrations: {@link #issueCard} costs several statements per
   * card). PANs continue the first range's serials; PSN 01; status ISSUED. The install parameters
   * are not returned: the caller personalises with {@link #personalise} or holds the master keys.
   *
   * @return the new PANs, in serial order; never null
   * @throws IssuerInputException for an unknown account, a count outside 1..10,000,000, a full
   *     range, or a PAN already taken
   */
  public List<Pan> issueCards(AlgorithmSuite suite, long accountId, int count) {
    registry.account(accountId).orElseThrow(() -> new IssuerInputException("no rider account " + accountId));
    if (count < 1 || count > BULK_CARDS_MAX) {
      throw new IssuerInputException("bulk issue: count " + count + " is outside 1.." + BULK_CARDS_MAX);
    }
    String prefix = config.ranges().get(0).prefix();
    int bodyDigits = 15 - prefix.length();
    long first = registry.cardCount() + 1L;
    if (String.valueOf(first + count - 1).length() > bodyDigits) {
      throw new IssuerInputException("card range " + prefix + " is full");
    }
    List<CardRecord> cards = new java.util.ArrayList<>(count);
    for (long serial = first; serial < first + count; serial++) {
      Pan pan = Pan.withCheckDigit(prefix + String.format("%0" + bodyDigits + "d", serial));
      cards.add(new CardRecord(pan, 1, suite, accountId, CardStatus.ISSUED, 0, 0, config.defaultQuotaMinor(), -1));
    }
    registry.insertAll(cards);
    return cards.stream().map(CardRecord::pan).toList();
  }

  /**
   * Personalises the card over {@code channel} (SCP02 + STORE DATA, docs/card-apdus.md §7), with the
   * service not yet enabled (quota 0). A lost command or response is retried in a new session;
   * blocks the card already holds answer {@code 6200}.
   *
   * @throws IssuerInputException when the card refuses, or still fails after the retries
   */
  public void personalise(Pan pan, io.iotpay.foundation.card.CardChannel channel) {
    CardRecord card = card(pan);
    new Personalisation(config, cardKeys(card.suite(), pan, card.panSequence()), card).run(channel);
    registry.save(card.withStatus(CardStatus.PERSONALISED));
    LOG.info("card {} personalised", pan);
  }

  // ---------------------------------------------------------------- enablement and pushes

  /**
   * The rider's application for the metro service. Approved when the card is personalised and not
   * denied and the account can carry the quota (debit: balance ≥ 0; credit: available credit ≥
   * quota); the decision then carries the first script of the quota push.
   *
   * @throws IssuerInputException for an unknown service
   */
  public ServiceDecision apply(ServiceApplication application) {
    String id = application.applicationId();
    if (!METRO.equals(application.service())) {
      return new ServiceDecision(id, false, "unknown service " + application.service(), Optional.empty());
    }
    Optional<CardRecord> found = registry.find(application.pan());
    if (found.isEmpty() || found.get().panSequence() != application.panSequence()) {
      return new ServiceDecision(id, false, "not a card of this issuer", Optional.empty());
    }
    CardRecord card = found.get();
    if (card.status() == CardStatus.DENIED || card.status() == CardStatus.ISSUED) {
      return new ServiceDecision(id, false, "card is " + card.status().name().toLowerCase(), Optional.empty());
    }
    if (!inGoodStanding(card, card.quotaConfiguredMinor())) {
      return new ServiceDecision(id, false, "account cannot carry the quota", Optional.empty());
    }
    registry.save(card.withStatus(CardStatus.ENABLED == card.status() ? CardStatus.ENABLED : CardStatus.ENABLING));
    return new ServiceDecision(id, true, "approved", Optional.of(startPush(application.pan())));
  }

  /** Enabled cards whose known quota is below the threshold and whose account can carry a restore. */
  public List<Pan> restoresDue() {
    return registry.all().stream()
        .filter(c -> c.status() == CardStatus.ENABLED && c.quotaKnownMinor() < config.restoreThresholdMinor())
        .filter(c -> inGoodStanding(c, c.quotaConfiguredMinor() - c.quotaKnownMinor()))
        .map(CardRecord::pan)
        .toList();
  }

  /**
   * Starts a push of the card's configured quota: script 1 = SELECT + INITIALIZE UPDATE. Starting
   * again (e.g. after a lost result) abandons the earlier session; its Push ATC is never reused.
   *
   * @throws IssuerInputException for an unknown or denied card
   */
  public CardScript startPush(Pan pan) {
    CardRecord card = card(pan);
    if (card.status() == CardStatus.DENIED || card.status() == CardStatus.ISSUED) {
      throw new IssuerInputException("card " + pan + " is " + card.status() + ": no push");
    }
    pushes.values().removeIf(p -> p.pan().equals(pan));
    String scriptId = "push-" + config.id() + "-" + scriptCounter.incrementAndGet();
    PushSession session = new PushSession(pan, new Scp02Host(cardKeys(card.suite(), pan, card.panSequence())),
        card.quotaConfiguredMinor());
    pushes.put(scriptId, session);
    return new CardScript(scriptId, List.of(Scp02Host.select(config.aid()), session.host().initializeUpdate()));
  }

  /**
   * The relay's result of a push script: after script 1, returns script 2 (EXTERNAL AUTHENTICATE +
   * Push PUT DATA under a fresh, persisted Push ATC); after script 2, the outcome.
   */
  public ScriptStep onScriptResult(CardScriptResult result) {
    PushSession session = pushes.get(result.scriptId());
    if (session == null) {
      return new ScriptStep.Failed("no push waits for script " + result.scriptId());
    }
    List<ResponseApdu> responses = result.responses();
    if (responses.size() != 2 || responses.get(0).sw() != 0x9000) {
      pushes.remove(result.scriptId());
      return new ScriptStep.Failed("script " + result.scriptId() + " incomplete: " + describe(responses));
    }
    if (!session.authenticated()) {
      return secondScript(result.scriptId(), session, responses.get(1));
    }
    pushes.remove(result.scriptId());
    if (responses.get(1).sw() != 0x9000) {
      return new ScriptStep.Failed("card refused the push: " + describe(responses));
    }
    CardRecord card = card(session.pan());
    CardRecord updated = card.withQuota(session.valueMinor(), card.lastAtc());
    registry.save(card.status() == CardStatus.ENABLING ? updated.withStatus(CardStatus.ENABLED) : updated);
    LOG.info("card {} quota set to {} (minor)", session.pan(), session.valueMinor());
    return new ScriptStep.Completed(session.valueMinor());
  }

  /**
   * Runs a push to its end through {@code relay} (the phone: it sends a script to the card and
   * returns what it saw): script after script until {@link ScriptStep.Completed} or {@link
   * ScriptStep.Failed}.
   */
  public ScriptStep runPush(CardScript first, java.util.function.Function<CardScript, CardScriptResult> relay) {
    ScriptStep step = new ScriptStep.Next(first);
    while (step instanceof ScriptStep.Next next) {
      step = onScriptResult(relay.apply(next.script()));
    }
    return step;
  }

  private ScriptStep secondScript(String scriptId, PushSession session, ResponseApdu initializeUpdate) {
    try {
      session.host().acceptInitializeUpdate(initializeUpdate);
    } catch (IssuerInputException e) {
      pushes.remove(scriptId);
      return new ScriptStep.Failed(e.getMessage());
    }
    CardRecord card = card(session.pan());
    int pushAtc = registry.nextPushAtc(session.pan());
    CommandApdu externalAuthenticate = session.host().externalAuthenticate();
    byte[] pushData = KeyVault.concat(new byte[] {(byte) (pushAtc >> 8), (byte) pushAtc},
        new byte[] {(byte) 0x9F, 0x79, 0x06}, Bcd.encodeAmount(session.valueMinor()));
    byte[] macInput = KeyVault.concat(
        new byte[] {0x04, (byte) 0xDA, 0x00, 0x00, (byte) (pushData.length + CardCrypto.MAC_BYTES)}, pushData);
    SecretKeyBytes sessionKey = CardCrypto.counterKey(card.suite(),
        cardKeys(card.suite(), card.pan(), card.panSequence()).macSub(), pushAtc);
    byte[] mac = CardCrypto.mac(card.suite(), sessionKey, macInput);
    CommandApdu putData = session.host().wrap(0x00, 0xDA, 0x00, 0x00, KeyVault.concat(pushData, mac));
    PushSession next = session.authenticatedNow();
    pushes.remove(scriptId);
    String nextId = scriptId + "-2";
    pushes.put(nextId, next);
    return new ScriptStep.Next(new CardScript(nextId, List.of(externalAuthenticate, putData)));
  }

  private static String describe(List<ResponseApdu> responses) {
    StringBuilder out = new StringBuilder(responses.size() + " responses");
    for (ResponseApdu response : responses) {
      out.append(String.format(" %04X", response.sw()));
    }
    return out.toString();
  }

  // ---------------------------------------------------------------- clearing and lists

  /**
   * Clears one file from the switch: verifies every TAC, debits fares, refuses bad records with a
   * reason, puts accounts that cannot be debited on the deny list. Resending a file is harmless.
   *
   * @throws IssuerInputException when the file is addressed to another issuer
   */
  public ClearingReport clear(io.iotpay.protocol.transit.ClearingFile file) {
    return clearing.clear(file);
  }

  /**
   * Clears a clearing file streamed from disk (any size): an integrity pass first (checksum, count,
   * total, line shapes: a damaged file books nothing), then the records in chunks, each chunk
   * cleared as {@link #clear} clears a file (a resend after a crash is idempotent). TACs are
   * verified on a bounded pool of threads, card keys cached for the file.
   *
   * @return one report for the whole file (refusals of every chunk)
   * @throws io.iotpay.protocol.ProtocolException when the file is damaged or a record malformed
   * @throws IssuerInputException when the file is addressed to another issuer
   * @throws java.io.UncheckedIOException when the file cannot be read
   */
  public ClearingReport clearFile(java.nio.file.Path clearingFile, io.iotpay.protocol.file.FileLimits limits) {
    return clearing.clearFile(clearingFile, limits);
  }

  /**
   * Pays the issuer's net position of a settlement report from the switch: Dr due to switch, Cr the
   * issuer's funding account, in its own book. Idempotent per business day (a re-delivered report
   * books nothing twice).
   *
   * @return the amount paid, minor units (0 when the issuer had nothing to pay)
   * @throws IssuerInputException when the report has no position for this issuer or says it receives
   */
  public long paySettlement(io.iotpay.protocol.settlement.SettlementReport report) {
    long netMinor = report.positions().stream().filter(p -> p.party().equals(config.id())).findFirst()
        .orElseThrow(() -> new IssuerInputException("settlement report of " + report.businessDate() + " has no position for "
            + config.id()))
        .net().amountMinor();
    if (netMinor > 0) {
      throw new IssuerInputException("settlement report of " + report.businessDate() + ": an issuer pays in transit settlement, but "
          + config.id() + " would receive " + netMinor);
    }
    if (netMinor == 0) {
      return 0;
    }
    long id = settlementTransferId(report.businessDate());
    TransferResult result = submit(List.of(Transfer.single(id, dueToSwitchAccountId(), fundingAccountId(), -netMinor))).get(0);
    io.iotpay.foundation.Assert.that(result == TransferResult.OK, "issuer settlement refused [issuer={}, result={}]",
        config.id(), result);
    return -netMinor;
  }

  private long settlementTransferId(java.time.LocalDate businessDate) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(("settlement|" + config.id() + "|" + businessDate).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      long id = 0;
      for (int i = 0; i < 8; i++) {
        id = (id << 8) | (hash[i] & 0xFF);
      }
      id &= Long.MAX_VALUE;
      return id == 0 ? 1 : id;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The current deny list (version 1 when empty; +1 per card added). */
  public DenyList denyList() {
    return new DenyList(config.id(), registry.denyVersion(), registry.deniedPans());
  }

  /** The card's registry entry. @throws IssuerInputException for an unknown card */
  public CardRecord card(Pan pan) {
    return registry.find(pan).orElseThrow(() -> new IssuerInputException("no card " + pan + " at " + config.id()));
  }

  // ---------------------------------------------------------------- package helpers

  CardKeys cardKeys(AlgorithmSuite suite, Pan pan, int panSequence) {
    IssuerMasterKeys masters = new IssuerMasterKeys(vault.get(suite + "/IMK-AC"), vault.get(suite + "/IMK-MAC"),
        vault.get(suite + "/KMC"));
    return CardKeys.derive(suite, masters, pan, panSequence);
  }

  /** The suite's IMK-AC, unwrapped: clearing holds it for one file only. */
  SecretKeyBytes imkAc(AlgorithmSuite suite) {
    return vault.get(suite + "/IMK-AC");
  }

  /** A card's AC key alone (clearing needs only it): option A from IMK-AC. */
  static SecretKeyBytes acKey(AlgorithmSuite suite, SecretKeyBytes imkAc, Pan pan, int panSequence) {
    return io.iotpay.foundation.crypto.EmvKeyDerivation.cardMasterKey(suite, imkAc, pan.digits(),
        String.format("%02d", panSequence));
  }

  CardRegistry registry() {
    return registry;
  }

  Ledger ledger() {
    return ledger;
  }

  boolean inGoodStanding(CardRecord card, long quotaMinor) {
    return availableMinor(card.accountId()) >= (isCredit(card.accountId()) ? quotaMinor : 0);
  }

  boolean isCredit(long accountId) {
    return registry.account(accountId).map(a -> a.kind() == RiderAccountKind.CREDIT).orElse(false);
  }

  /**
   * Bulk issuing with one debit rider account per card: opens accounts {@code firstRiderNumber ..
   * firstRiderNumber + count - 1} (ledger accounts in batches, registry rows in one transaction) and
   * issues one card of {@code suite} on each (one transaction), in rider order.
   *
   * @return the cards' PANs; card i is on the account of rider {@code firstRiderNumber + i}
   * @throws IssuerInputException for a bad range, a rider account that exists, or a full card range
   */
  public List<Pan> issueCardsOnOwnAccounts(AlgorithmSuite suite, int firstRiderNumber, int count) {
    if (firstRiderNumber < 0 || count < 1 || count > BULK_CARDS_MAX) {
      throw new IssuerInputException("bulk issue: riders " + firstRiderNumber + " + " + count + " out of range");
    }
    List<Long> ids = new java.util.ArrayList<>(count);
    List<Account> part = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = config.accountIdBase() + RIDER_OFFSET + firstRiderNumber + i;
      ids.add(id);
      part.add(new Account(id, config.bookId(), config.currency(), AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
      if (part.size() == 8190 || i == count - 1) {
        createAccounts(part);
        part = new java.util.ArrayList<>();
      }
    }
    registry.insertAccounts(ids, RiderAccountKind.DEBIT, 0);
    String prefix = config.ranges().get(0).prefix();
    int bodyDigits = 15 - prefix.length();
    long first = registry.cardCount() + 1L;
    if (String.valueOf(first + count - 1).length() > bodyDigits) {
      throw new IssuerInputException("card range " + prefix + " is full");
    }
    List<CardRecord> cards = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Pan pan = Pan.withCheckDigit(prefix + String.format("%0" + bodyDigits + "d", first + i));
      cards.add(new CardRecord(pan, 1, suite, ids.get(i), CardStatus.ISSUED, 0, 0, config.defaultQuotaMinor(), -1));
    }
    registry.insertAll(cards);
    return cards.stream().map(CardRecord::pan).toList();
  }

  List<TransferResult> submit(List<Transfer> transfers) {
    return ledger.submit(transfers).join();
  }

  private void createAccounts(List<Account> accounts) {
    List<AccountResult> results = ledger.createAccounts(accounts).join();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) != AccountResult.OK) {
        throw new IssuerInputException("ledger refused account " + accounts.get(i).id() + ": " + results.get(i));
      }
    }
  }

  /** One push in flight: the card, its SCP02 host session, the value to set. */
  private record PushSession(Pan pan, Scp02Host host, long valueMinor, boolean authenticated) {
    PushSession(Pan pan, Scp02Host host, long valueMinor) {
      this(pan, host, valueMinor, false);
    }

    PushSession authenticatedNow() {
      return new PushSession(pan, host, valueMinor, true);
    }
  }

  static Map<AlgorithmSuite, IssuerMasterKeys> bySuite(IssuerMasterKeys international, IssuerMasterKeys national) {
    Map<AlgorithmSuite, IssuerMasterKeys> map = new EnumMap<>(AlgorithmSuite.class);
    map.put(AlgorithmSuite.INTERNATIONAL, international);
    map.put(AlgorithmSuite.NATIONAL, national);
    return map;
  }
}
