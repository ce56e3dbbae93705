package io.iotpay.demo.wallet;

import io.iotpay.bench.wallet.SimulatedCard;
import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.demo.pos.PartyBooks;
import io.iotpay.demo.pos.WalletPartChain;
import io.iotpay.issuer.deposit.DepositAccounts;
import io.iotpay.issuer.wallet.WalletPartIsoIssuer;
import io.iotpay.terminal.wallet.OnlinePartGateway;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.issuer.wallet.LinkedBankAccount;
import io.iotpay.issuer.wallet.LinkedBankAccounts;
import io.iotpay.issuer.wallet.WalletCard;
import io.iotpay.issuer.wallet.WalletIssuerKeys;
import io.iotpay.issuer.wallet.WalletOnlineParts;
import io.iotpay.issuer.wallet.WalletRatingMacs;
import io.iotpay.issuer.wallet.WalletRatings;
import io.iotpay.terminal.wallet.RatingConfirmationLog;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Transfer;
import io.iotpay.issuer.wallet.WalletDayEnd;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.terminal.wallet.CardState;
import io.iotpay.terminal.wallet.SignedOutcomeList;
import io.iotpay.terminal.wallet.WalletDayUpload;
import java.time.LocalDate;
import io.iotpay.terminal.wallet.OnlinePartAgent;
import io.iotpay.terminal.wallet.OnlinePartOutbox;
import io.iotpay.terminal.wallet.OutcomeList;
import io.iotpay.terminal.wallet.RatingSplitPolicy;
import io.iotpay.terminal.wallet.WalletJournal;
import io.iotpay.terminal.wallet.WalletKernel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import io.iotpay.card.se.QrTokenApplet;
import io.iotpay.card.se.SeApplet;
import io.iotpay.phone.wallet.IssuerApp;
import io.iotpay.phone.wallet.NfcController;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.phone.pos.WalletAcceptance;
import io.iotpay.terminal.wallet.WalletApdus;

/**
 * The wallet scheme's parties in one process: per suite a scheme and an issuer
 * ({@link WalletIssuance}); the issuer's books (ledger + signed audit log on SQLite) with one
 * online and one shadow account per card and one merchant account per POS; the issuer as a bank
 * ({@link DepositAccounts}), with the deposit accounts some cardholders link to their cards
 * ({@link #linkBankAccount}, docs/wallet.md §2.7); the issuer's
 * {@link WalletOnlineParts}, its nightly credit ratings ({@link WalletCredit}, {@link WalletRatings});
 * POSes (PSAM in jCardSim, journal, outbox, rating log, kernel, agent) and cards.
 */
public final class WalletNetwork implements AutoCloseable {
  /** The issuer's book of the wallet scheme. */
  public static final long BOOK = 17;
  /** Where the cardholders' online money comes from (their bank accounts, as one account). */
  public static final long FUNDING = 1;
  /** The issuer's wallet clearing account: each day end's offline debits pass through it, zero after. */
  public static final long CLEARING = 2;
  private static final long TRANSFER_ID_PARTS = 1L << 40;
  /** The day end's postings: its transfer ids are derived from its posting numbers (docs/wallet.md §3.3). */
  private static final long TRANSFER_ID_DAY_END = 1L << 41;

  private final Path dir;
  private final ManualBusinessClock clock =
      new ManualBusinessClock(java.time.Instant.parse("2026-03-02T06:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
  private final PartyBooks books;
  private final WalletOnlineParts onlineParts;
  /** The issuer as a bank: its deposit accounts (merchants' settlement accounts, cardholders' linked accounts). */
  private final DepositAccounts deposits;
  private final LinkedBankAccounts linkedAccounts;
  /** Card id → the ledger account of its linked deposit account. */
  private final Map<String, Long> linkedLedgerAccounts = new LinkedHashMap<>();
  private final Map<AlgorithmSuite, WalletIssuance> issuance = new EnumMap<>(AlgorithmSuite.class);
  private final Map<String, Cardholder> cards = new LinkedHashMap<>();
  private final List<Pos> poses = new ArrayList<>();
  private final List<PhonePos> phonePoses = new ArrayList<>();
  private final SchemeEnrolment pki;
  private final WalletDayEnd dayEnd;
  private final WalletCredit credit;
  private final WalletRatings ratings;
  private final WalletIssuerKeys issuerKeys;
  private final boolean nightlyRatings;
  private long nextAccount = 1_000;
  private long listsPublished;
  private long nextTransfer = 1;
  private WalletPartChain scheme;

  /**
   * A card, its suite and its accounts.
   *
   * @param card the plastic card, or null for a wallet in a phone (reached only through {@link #tap()})
   * @param field the card's next tap: a plastic card leaving and coming back, or a reader coming into
   *     a phone's field (its NFC controller)
   */
  public record Cardholder(byte[] cardId, AlgorithmSuite suite, SimulatedCard card, long onlineAccount,
      long shadowAccount, Supplier<CardChannel> field) {
    public String idHex() {
      return Hex.encode(cardId);
    }

    /** The card's next tap at a POS. */
    public CardChannel tap() {
      return field.get();
    }

    /** Whether the wallet is in a phone (card emulation). */
    public boolean phone() {
      return card == null;
    }
  }

  /** One POS of one suite: PSAM, journal, outbox, kernel and agent; {@link #restart()} kills and restarts it. */
  public final class Pos {
    private final String name;
    private final AlgorithmSuite suite;
    private final byte[] posId;
    private final int kindBit;
    private final SimulatedCard psam;
    private final long merchantAccount;
    private final IssuerLink link;
    /** What the agent pushes through: the in-process link, or the scheme's ISO 8583 chain (link faults still apply). */
    private final OnlinePartGateway gateway;
    private WalletJournal journal;
    private OnlinePartOutbox outbox;
    private RatingConfirmationLog ratingLog;
    private WalletKernel kernel;
    private OnlinePartAgent agent;
    private final PartyId party;
    private final FileTrust trust;
    private SignedOutcomeList outcomes = SignedOutcomeList.none();
    private int uploaded;
    private int confirmationsUploaded;
    private long daySequence;

    Pos(String name, AlgorithmSuite suite, byte[] posId, int kindBit, long merchantAccount) {
      this.name = name;
      this.suite = suite;
      this.posId = posId;
      this.kindBit = kindBit;
      this.psam = issuance(suite).newPsam(posId);
      this.merchantAccount = merchantAccount;
      this.link = new IssuerLink(onlineParts);
      this.gateway = scheme == null ? link : throughScheme(link, scheme.gateway(poses.size()));
      this.party = new PartyId("WPOS-" + (poses.size() + 1));
      this.trust = pki.enrol(party, PartyRole.OPERATOR);
      start();
    }

    private void start() {
      journal = WalletJournal.open(dir.resolve(name + ".journal"));
      outbox = OnlinePartOutbox.open(dir.resolve(name + ".outbox"));
      ratingLog = RatingConfirmationLog.open(dir.resolve(name + ".ratings"));
      kernel = new WalletKernel(psam.tap(), journal, new RatingSplitPolicy(2, kindBit), held(() -> outcomes), ratingLog);
      agent = new OnlinePartAgent(journal, outbox, gateway);
    }

    /** The POS killed and started again: in-memory state gone, journal and outbox read back from disk. */
    public void restart() {
      journal.close();
      outbox.close();
      ratingLog.close();
      start();
    }

    public String name() {
      return name;
    }

    public AlgorithmSuite suite() {
      return suite;
    }

    public String posIdHex() {
      return Hex.encode(posId);
    }

    public long merchantAccount() {
      return merchantAccount;
    }

    public WalletKernel kernel() {
      return kernel;
    }

    public WalletJournal journal() {
      return journal;
    }

    /** The POS's party id and certified file key (a test writes a day file of its own making with them). */
    PartyId party() {
      return party;
    }

    FileTrust trust() {
      return trust;
    }

    /** The ratings the cards confirmed at this POS, as its log on disk holds them. */
    public RatingConfirmationLog ratingLog() {
      return ratingLog;
    }

    public OnlinePartAgent agent() {
      return agent;
    }

    public IssuerLink link() {
      return link;
    }

    /** The list the POS holds. */
    public SignedOutcomeList outcomes() {
      return outcomes;
    }

    /**
     * Takes a downloaded list after verifying it; on any refusal keeps the one it holds.
     *
     * @throws io.iotpay.protocol.pki.SignedFileException when the list is refused
     */
    public void download(Path list) {
      outcomes = SignedOutcomeList.accept(list, pki.verifierFor(POS_GROUP), outcomes);
    }

    /** Writes and signs the day file of what the journal holds since the last upload. */
    public Path writeDayFile(LocalDate businessDate) {
      daySequence++;
      var confirmations = ratingLog.confirmations();
      return WalletDayUpload.write(dir.resolve(name + "-day-" + daySequence + ".txt"), journal, uploaded,
          confirmations.subList(Math.min(confirmationsUploaded, confirmations.size()), confirmations.size()), party,
          ISSUER_PARTY, businessDate, daySequence, trust.signer());
    }

    /** The issuer cleared the last day file. */
    void acknowledged() {
      uploaded = journal.records().size();
      confirmationsUploaded = ratingLog.confirmations().size();
    }

    void close() {
      journal.close();
      outbox.close();
      ratingLog.close();
    }
  }

  /**
   * A merchant's phone as a wallet POS (reader mode of the acquiring SDK, docs/phone-sdk.md "Wallet
   * cards"): one jCardSim secure element holding the SDK's terminal key applet and the PSAM applet
   * (personalised and certified by the scheme as any POS's), the SDK enrolled at the scheme's
   * acquirer over HTTP, its wallet journal and outbox in the SDK's directory, its online parts pushed
   * over the SDK's ISO 8583 link. {@link #restart()} kills the app and opens the SDK again.
   */
  public final class PhonePos {
    private final String name;
    private final byte[] posId;
    private final long merchantAccount;
    private final SimulatedCard se;
    private final Path sdkDir;
    private final WalletPartChain.PhoneTerminal terminal;
    private final PartyId party;
    private final FileTrust trust;
    private PosSdk sdk;
    private WalletAcceptance wallet;
    private SignedOutcomeList outcomes = SignedOutcomeList.none();
    private long daySequence;

    PhonePos(String name, AlgorithmSuite suite, byte[] posId, long merchantAccount) {
      this.name = name;
      this.posId = posId;
      this.merchantAccount = merchantAccount;
      this.se = new SimulatedCard();
      se.install(SecureElement.AID, SeApplet.class, new byte[] {(byte) (suite == AlgorithmSuite.INTERNATIONAL ? 1 : 2)});
      issuance(suite).installPsam(se, posId);
      this.sdkDir = dir.resolve(name);
      this.terminal = scheme.enrolPhone(sdkDir, new SecureElement(se.logicalChannel(SecureElement.AID)), suite);
      this.party = new PartyId("WPOS-P" + (phonePoses.size() + 1));
      this.trust = pki.enrol(party, PartyRole.OPERATOR);
      start();
    }

    private void start() {
      sdk = scheme.openPhone(terminal, sdkDir, new SecureElement(se.logicalChannel(SecureElement.AID)),
          clock.asJavaClock());
      wallet = sdk.acceptWallet(se.logicalChannel(WalletApdus.PSAM_AID), new RatingSplitPolicy(2, RatingSplitPolicy.ANY_KIND),
          held(() -> outcomes));
    }

    /** The app killed (the SDK's memory gone) and started again on its directory. */
    public void restart() {
      sdk.close();
      start();
    }

    public WalletAcceptance wallet() {
      return wallet;
    }

    public PosSdk sdk() {
      return sdk;
    }

    public WalletPartChain.PhoneTerminal terminal() {
      return terminal;
    }

    public String posIdHex() {
      return Hex.encode(posId);
    }

    public long merchantAccount() {
      return merchantAccount;
    }

    void download(Path list) {
      outcomes = SignedOutcomeList.accept(list, pki.verifierFor(POS_GROUP), outcomes);
    }

    Path writeDayFile(LocalDate businessDate) {
      daySequence++;
      return wallet.writeDayFile(dir.resolve(name + "-day-" + daySequence + ".txt"), party, ISSUER_PARTY, businessDate,
          daySequence, trust.signer());
    }

    void close() {
      sdk.close();
    }
  }

  /**
   * A merchant's phone accepting wallet cards, with its own merchant account at the issuer: the
   * second terminal, enrolled from the phone, of the next of the scheme acquirer's merchants (one
   * phone per merchant of {@link #pushThroughScheme}, which must have been called).
   */
  public PhonePos openPhonePos(String name, AlgorithmSuite suite, byte[] posId) {
    if (scheme == null) {
      throw new IllegalStateException("a phone POS pushes through the scheme: call pushThroughScheme first");
    }
    long merchant = nextAccount++;
    books.createAccounts(List.of(customerAccount(merchant)));
    PhonePos phone = new PhonePos(name, suite, posId, merchant);
    phonePoses.add(phone);
    return phone;
  }

  /** The kernel's view of the signed list a POS holds now (it takes a newer one at each day end). */
  private static OutcomeList held(Supplier<SignedOutcomeList> list) {
    return new OutcomeList() {
      @Override
      public Optional<SignedOutcome> find(byte[] cardId, long pendingCounter) {
        return list.get().find(cardId, pendingCounter);
      }

      @Override
      public boolean blocked(byte[] cardId) {
        return list.get().blocked(cardId);
      }

      @Override
      public Optional<SignedRating> rating(byte[] cardId) {
        return list.get().rating(cardId);
      }
    };
  }

  /** A POS whose link is down pushes nothing; otherwise the part goes as an 0200 through the scheme. */
  private static OnlinePartGateway throughScheme(IssuerLink link, OnlinePartGateway iso) {
    return part -> link.fault() == IssuerLink.Fault.LINK_DOWN ? Optional.empty() : iso.push(part);
  }

  /** The issuer's party id in the scheme's PKI. */
  public static final PartyId ISSUER_PARTY = new PartyId("WISSUER");
  /** The receiver named in every list: all wallet POSes. */
  public static final PartyId POS_GROUP = new PartyId("WPOS-ALL");

  /**
   * @param pkiSuite the suite of the scheme's file PKI (day files and lists)
   */
  public WalletNetwork(Path dir, long seed, AlgorithmSuite pkiSuite) {
    this(dir, seed, pkiSuite, true);
  }

  /**
   * @param nightlyRatings whether each day end scores the cardholders and lists their ratings for the
   *     cards (false: the cards keep their personalised rating)
   */
  public WalletNetwork(Path dir, long seed, AlgorithmSuite pkiSuite, boolean nightlyRatings) {
    this.nightlyRatings = nightlyRatings;
    this.dir = dir;
    this.pki = SchemeEnrolment.create(dir.resolve("pki"), pkiSuite, java.time.Instant.parse("2026-01-01T00:00:00Z"),
        java.time.Instant.parse("2027-01-01T00:00:00Z"));
    SecureRandom random = new SecureRandom(ByteBuffer.allocate(8).putLong(seed).array());
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      issuance.put(suite, new WalletIssuance(suite, random));
    }
    books = new PartyBooks("wallet-issuer", AlgorithmSuite.INTERNATIONAL, dir.resolve("issuer/issuer.db"),
        clock);
    books.createAccounts(List.of(Account.of(FUNDING, BOOK, CurrencyUnit.CNY), Account.of(CLEARING, BOOK, CurrencyUnit.CNY)));
    byte[] storageKey = new byte[32];
    random.nextBytes(storageKey);
    Map<AlgorithmSuite, SecretKeyBytes> imks = new EnumMap<>(AlgorithmSuite.class);
    issuance.forEach((suite, keys) -> imks.put(suite, keys.walletImk()));
    issuerKeys = new WalletIssuerKeys(dir.resolve("issuer/custody"), new SecretKeyBytes(storageKey), imks);
    deposits = new DepositAccounts(books.database, clock.asJavaClock());
    linkedAccounts = new LinkedBankAccounts(books.database, WalletPartChain.ISSUER_BANK, deposits,
        clock.asJavaClock());
    onlineParts = new WalletOnlineParts(books.database, books.ledger, WalletIssuance.CURRENCY,
        row -> TRANSFER_ID_PARTS + row, this::merchantAccountOf, linkedAccounts);
    credit = new WalletCredit(books.database);
    ratings = new WalletRatings(credit.store(), onlineParts, WalletIssuance.CURRENCY, issuerKeys.ratingMacs(),
        credit::cardholderOf, clock::now);
    dayEnd = new WalletDayEnd(books.database, onlineParts, books.ledger, pki.enrol(ISSUER_PARTY, PartyRole.ISSUER),
        (suite, input) -> suite.signature().sign(issuance(suite).issuerKeys().getPrivate(), input),
        issuerKeys.tacVerifier(), CLEARING, this::merchantAccountOf, posting -> TRANSFER_ID_DAY_END + posting,
        nightlyRatings ? ratings : null);
  }

  /**
   * From now on, POSes opened push their online parts as ISO 8583 0200s through the card scheme's
   * acquirer and switch to this issuer ({@link WalletPartChain}) instead of in process; at most
   * {@code terminals} of them (each is an enrolled terminal of the acquirer).
   */
  public WalletPartChain pushThroughScheme(int terminals) {
    if (scheme != null || !poses.isEmpty()) {
      throw new IllegalStateException("the scheme is chosen once, before any POS opens");
    }
    scheme = new WalletPartChain(dir.resolve("scheme"), clock, terminals, new WalletPartIsoIssuer(onlineParts, deposits),
        AlgorithmSuite.NATIONAL);
    return scheme;
  }

  /** The scheme chain the POSes push through, if {@link #pushThroughScheme} was called. */
  public Optional<WalletPartChain> scheme() {
    return Optional.ofNullable(scheme);
  }

  /** The issuer's rating publication and confirmation check. */
  WalletRatings ratings() {
    return ratings;
  }

  /** The issuer's rating MACs through its custody (a test MACs a rating the credit system never stored). */
  WalletRatingMacs ratingMacs() {
    return issuerKeys.ratingMacs();
  }

  /** The issuer's credit system: cardholders, facts, the nightly run and its ratings. */
  WalletCredit credit() {
    return credit;
  }

  public WalletDayEnd dayEnd() {
    return dayEnd;
  }

  public long listsPublished() {
    return listsPublished;
  }

  /**
   * The day end: every POS pushes what it can, writes and signs its day file; the issuer verifies and
   * clears each (and marks the ratings the cards confirmed written), checks the cards against their
   * shadow accounts, scores every cardholder for the night, publishes the signed list with the new
   * ratings; every POS verifies and takes it. POSes in {@code offline} upload nothing today (their day waits).
   */
  public List<WalletDayEnd.Clearing> endDay(java.util.Set<Pos> offline) {
    LocalDate date = clock.businessDate();
    Map<Path, Pos> files = new LinkedHashMap<>();
    for (Pos pos : poses) {
      if (offline.contains(pos)) {
        continue;
      }
      pos.agent().pushPending();
      files.put(pos.writeDayFile(date), pos);
    }
    Map<Path, PhonePos> phoneFiles = new LinkedHashMap<>();
    for (PhonePos phone : phonePoses) {
      phone.wallet().pushPending();
      phoneFiles.put(phone.writeDayFile(date), phone);
    }
    List<Path> all = new ArrayList<>(files.keySet());
    all.addAll(phoneFiles.keySet());
    WalletDayEnd.Batch batch = dayEnd.clearAll(all);
    if (!batch.refused().isEmpty()) {
      throw batch.refused().values().iterator().next();
    }
    files.values().forEach(Pos::acknowledged);
    phoneFiles.values().forEach(phone -> phone.wallet().acknowledged());
    List<WalletDayEnd.Clearing> clearings = batch.clearings();
    dayEnd.detectMismatches();
    if (nightlyRatings) {
      credit.endOfDay(date, dayEnd, onlineParts, card -> balance(cards.get(card).onlineAccount()));
    }
    listsPublished++;
    Path list = dayEnd.publishList(dir.resolve("wallet-list-" + listsPublished + ".txt"), POS_GROUP, date);
    for (Pos pos : poses) {
      pos.download(list);
    }
    for (PhonePos phone : phonePoses) {
      phone.download(list);
    }
    clock.advance(java.time.Duration.ofDays(1));
    return clearings;
  }

  public ManualBusinessClock clock() {
    return clock;
  }

  public WalletIssuance issuance(AlgorithmSuite suite) {
    return issuance.get(suite);
  }

  public PartyBooks books() {
    return books;
  }

  public WalletOnlineParts onlineParts() {
    return onlineParts;
  }

  /** A new card of {@code suite}: personalised, enrolled, its online account funded with {@code onlineMinor}. */
  public Cardholder issueCard(AlgorithmSuite suite, byte[] cardId, WalletIssuance.Limits limits, long onlineMinor) {
    return issueCard(suite, cardId, limits, onlineMinor, false);
  }

  /** As above; {@code staleIssuerKey} personalises a card that refuses the issuer's write-backs and loads. */
  public Cardholder issueCard(AlgorithmSuite suite, byte[] cardId, WalletIssuance.Limits limits, long onlineMinor,
      boolean staleIssuerKey) {
    byte[][] key = new byte[1][];
    SimulatedCard card = issuance(suite).newWallet(cardId, limits, key, staleIssuerKey
        ? suite.signature().generateKeyPair(new SecureRandom()) : issuance(suite).issuerKeys());
    return enrolCard(suite, cardId, key[0], card, card::tap, onlineMinor);
  }

  /**
   * A cardholder whose wallet is in a phone (docs/wallet.md §8.1), as the demo makes it: one chip
   * holding the wallet (personalised as the plastic cards are, not through the GP hierarchy, whose
   * runtime model is test code), the QR token applet and the SDK's terminal key applet; a POS reaches
   * it through the phone's {@link NfcController}, which routes only the wallet's AID (screen unlocked).
   */
  public Cardholder issuePhoneCard(AlgorithmSuite suite, byte[] cardId, WalletIssuance.Limits limits, long onlineMinor) {
    SimulatedCard se = new SimulatedCard();
    byte suiteByte = (byte) (suite == AlgorithmSuite.INTERNATIONAL ? 1 : 2);
    se.install(SecureElement.AID, SeApplet.class, new byte[] {suiteByte});
    byte[] tokenKey = new byte[17];
    new SecureRandom().nextBytes(tokenKey);
    tokenKey[0] = suiteByte;
    se.install(IssuerApp.TOKEN_APPLET_AID, QrTokenApplet.class, tokenKey);
    byte[][] key = new byte[1][];
    issuance(suite).installWallet(se, cardId, limits, key, issuance(suite).issuerKeys());
    NfcController nfc = new NfcController(command -> se.channel().transmit(command));
    nfc.route(WalletApdus.WALLET_AID, true);
    nfc.screenUnlocked(true);
    return enrolCard(suite, cardId, key[0], null, () -> {
      se.tap(); // the previous reader left the field
      return nfc.field();
    }, onlineMinor);
  }

  /**
   * A card personalised elsewhere (a wallet in a phone's secure element) enrolled at the issuer with
   * its public key {@code cardKey}: accounts opened, online account funded with {@code onlineMinor}.
   *
   * @param card the plastic card, or null for a wallet in a phone
   * @param field the card's next tap (a phone: a reader coming into its NFC controller's field)
   */
  public Cardholder enrolCard(AlgorithmSuite suite, byte[] cardId, byte[] cardKey, SimulatedCard card,
      Supplier<CardChannel> field, long onlineMinor) {
    long online = nextAccount++;
    long shadow = nextAccount++;
    books.createAccounts(List.of(customerAccount(online), customerAccount(shadow)));
    Cardholder holder = new Cardholder(cardId.clone(), suite, card, online, shadow, field);
    if (onlineMinor > 0) {
      fundOnline(holder, onlineMinor);
    }
    onlineParts.enrol(new WalletCard(holder.idHex(), suite, WalletCard.keyOf(suite, cardKey), online, shadow));
    credit.enrol(holder.idHex(), clock.businessDate());
    cards.put(holder.idHex(), holder);
    return holder;
  }

  private static Account customerAccount(long id) {
    return new Account(id, BOOK, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS);
  }

  /**
   * The cardholder opens a deposit account at the issuer (its own bank, {@link WalletPartChain#ISSUER_BANK}),
   * held in the ledger and funded with {@code fundedMinor} from the funding account, and links it to
   * the card: the second source of the card's online parts (docs/wallet.md §2.7). Returns its ledger account.
   */
  public long linkBankAccount(Cardholder holder, long fundedMinor) {
    long account = nextAccount++;
    books.createAccounts(List.of(customerAccount(account)));
    if (fundedMinor > 0) {
      books.post(Transfer.single(nextTransfer++, FUNDING, account, fundedMinor));
    }
    String number = linkedAccountNumber(account);
    deposits.open(number, account);
    linkedAccounts.link(holder.idHex(), new LinkedBankAccount(WalletPartChain.ISSUER_BANK, number));
    linkedLedgerAccounts.put(holder.idHex(), account);
    return account;
  }

  /** The number of the linked deposit account held in ledger account {@code ledgerAccount}. */
  static String linkedAccountNumber(long ledgerAccount) {
    return String.format("62170000%08d", ledgerAccount);
  }

  /** The ledger account of the card's linked deposit account, if it has one. */
  public Optional<Long> linkedAccount(Cardholder holder) {
    return Optional.ofNullable(linkedLedgerAccounts.get(holder.idHex()));
  }

  /** The issuer's deposit accounts (a test closes or blocks a linked one). */
  public DepositAccounts deposits() {
    return deposits;
  }

  /** The cardholder pays {@code minor} into the online account from the bank (the funding account). */
  public void fundOnline(Cardholder holder, long minor) {
    books.post(Transfer.single(nextTransfer++, FUNDING, holder.onlineAccount(), minor));
  }

  /** A new POS of {@code suite} with its merchant account, splitting whatever the rating's kinds. */
  public Pos openPos(String name, AlgorithmSuite suite, byte[] posId) {
    return openPos(name, suite, posId, RatingSplitPolicy.ANY_KIND);
  }

  /** A new POS whose purchases are of the kind {@code kindBit} (docs/credit.md's mask bits). */
  public Pos openPos(String name, AlgorithmSuite suite, byte[] posId, int kindBit) {
    if (scheme != null && poses.size() >= scheme.terminals()) {
      throw new IllegalStateException("the scheme has " + scheme.terminals() + " terminals, all in use");
    }
    long merchant = nextAccount++;
    books.createAccounts(List.of(customerAccount(merchant)));
    Pos pos = new Pos(name, suite, posId, kindBit, merchant);
    poses.add(pos);
    return pos;
  }

  private Long merchantAccountOf(String posIdHex) {
    Optional<Long> counterTop = poses.stream().filter(p -> p.posIdHex().equalsIgnoreCase(posIdHex)).findFirst()
        .map(Pos::merchantAccount);
    return counterTop.or(() -> phonePoses.stream().filter(p -> p.posIdHex().equalsIgnoreCase(posIdHex)).findFirst()
        .map(PhonePos::merchantAccount)).orElse(null);
  }

  /**
   * A load of {@code amountMinor} at {@code pos}: online account → shadow account in the ledger,
   * then the issuer-signed LOAD on the card. Refused (nothing moved) when the online account is short.
   */
  public Optional<WalletKernel.LoadResult> load(Pos pos, Cardholder holder, long amountMinor) {
    CardState before = WalletKernel.readState(holder.tap());
    Transfer transfer = Transfer.single(nextTransfer++, holder.onlineAccount(), holder.shadowAccount(), amountMinor);
    var result = PartyBooks.join(books.ledger.submit(List.of(transfer))).get(0);
    if (result != io.iotpay.ledger.TransferResult.OK) {
      return Optional.empty();
    }
    WalletKernel.LoadResult loaded = pos.kernel().load(holder.tap(), amountMinor,
        issuance(holder.suite())::signLoad);
    if (loaded.loadNumber() != before.loadNumber() + 1) {
      throw new IllegalStateException("load not applied on card " + holder.idHex());
    }
    dayEnd.loaded(holder.idHex(), before.counter(), amountMinor, before.debtMinor(), loaded.debtMinor());
    credit.loaded(holder.idHex(), amountMinor, before.debtMinor(), loaded.debtMinor(), clock.businessDate());
    return Optional.of(loaded);
  }

  public List<Pos> poses() {
    return List.copyOf(poses);
  }

  /** The merchants' phones accepting wallet cards, in the order opened. */
  public List<PhonePos> phonePoses() {
    return List.copyOf(phonePoses);
  }

  public List<Cardholder> cards() {
    return List.copyOf(cards.values());
  }

  public long balance(long account) {
    return books.balance(account).creditBalanceMinor();
  }

  @Override
  public void close() {
    poses.forEach(Pos::close);
    phonePoses.forEach(PhonePos::close);
    if (scheme != null) {
      scheme.close();
    }
    books.close();
    issuerKeys.close();
    pki.close();
  }
}
