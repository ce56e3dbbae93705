package io.iotpay.demo.pos;

import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.bench.pos.OdaScheme;
import io.iotpay.bench.pos.PosCard;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.CaRevocationList;
import io.iotpay.foundation.crypto.oda.OdaTrustStore;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.issuer.authorisation.card.CardAccount.CardState;
import io.iotpay.issuer.authorisation.card.IssuerScript;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.audit.VerificationReport;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeEnrolment;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.terminal.pos.Iso8583OnlineAuthoriser;
import io.iotpay.terminal.pos.PosConfig;
import io.iotpay.terminal.pos.PosJournal;
import io.iotpay.terminal.pos.PosKernel;
import io.iotpay.terminal.pos.PosOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * {@code iotpay demo pos}: the four-party online card scheme in one JVM over loopback TCP.
 * Merchants register over the acquirer's HTTP API (four applicants refused by the review); cardholders
 * of two issuers (one per crypto suite) tap real EMV applets in jCardSim at merchants' terminals (the
 * POS kernel with fDDA) and at phones with the acquiring SDK ({@link PhoneTills}: attestation before
 * each payment, a tampered phone blocked, a suspended merchant); terminal → acquirer → switch → issuer over ISO 8583, each
 * party on its own SQLite file under {@code dataDir/pos}; seeded faults; a day end per business day
 * and T+1 settlement and payout. The report is read back from the parties' records.
 */
public final class PosScenario {
  private static final PartyId INTL = PartyId.of("ISSINTL");
  private static final PartyId NATL = PartyId.of("ISSNATL");
  private static final Instant START = Instant.parse("2026-12-07T08:00:00Z");
  /** The scheme certificates' validity around the run's start: the run's days fall well inside. */
  private static final Duration CERTIFICATES_BEFORE_START = Duration.ofDays(1);
  private static final Duration CERTIFICATES_AFTER_START = Duration.ofDays(400);
  private static final Duration BETWEEN_TAPS = Duration.ofMinutes(3);
  private static final long WAIT_MS = 20_000;
  private static final StandInLimits LIMITS = new StandInLimits(Money.ofMinor(20_000, CurrencyUnit.CNY),
      Money.ofMinor(50_000, CurrencyUnit.CNY), Money.ofMinor(1_000_000, CurrencyUnit.CNY));

  private final PosSettings settings;
  private final PrintStream progress;
  private final Random random;
  private final ManualBusinessClock clock = new ManualBusinessClock(START, BusinessDayRule.UTC_MIDNIGHT);
  private final List<String> notes = new ArrayList<>();
  /** The acquirer's signer and verifier of clearing files (set up with the scheme's PKI in {@link #run}). */
  private FileTrust acquirerFiles;
  /** Online clearing files verified by their receivers, and refused by them (docs/signed-files.md §7). */
  private long onlineFilesVerified;
  private long onlineFilesRefused;

  private PosScenario(PosSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
    this.random = new Random(settings.seed());
  }

  /** Runs the scenario and reads the report back from the records. */
  public static PosReport run(PosSettings settings, PrintStream progress) {
    return new PosScenario(settings, progress).run();
  }

  /** A terminal: its kernel, journal, its link to the acquirer and the kernel's authoriser on it. */
  private record Till(String terminalId, String merchantField, PosKernel kernel, PosJournal journal,
      Iso8583Client client, Iso8583OnlineAuthoriser authoriser) {}

  /** An approved purchase, as the merchant remembers it (to refund part of it later). */
  private record Sale(Till till, PosCard card, long sequence, long amountMinor, LocalDate day) {}

  private PosReport run() {
    Path dir = settings.dataDir().resolve("pos");
    replace(dir);
    Iso8583Wire wire = Iso8583Wire.load();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      PinKeys pinKeys = new PinKeys(AlgorithmSuite.NATIONAL);
      // The scheme's file PKI, in the switch's suite: every party signs the clearing files it sends.
      SchemeEnrolment pki = SchemeEnrolment.create(dir.resolve("pki"), AlgorithmSuite.NATIONAL,
          START.minus(CERTIFICATES_BEFORE_START), START.plus(CERTIFICATES_AFTER_START));
      open.add(pki);
      PinPayments pinPayments = new PinPayments(pinKeys, notes);
      IssuerNode intl = new IssuerNode(INTL, AlgorithmSuite.INTERNATIONAL, "6212341", dir.resolve("issuer-intl"), clock,
          wire, pinKeys, pki.enrol(INTL, PartyRole.ISSUER)).start();
      open.add(intl);
      IssuerNode natl = new IssuerNode(NATL, AlgorithmSuite.NATIONAL, "6212342", dir.resolve("issuer-natl"), clock,
          wire, pinKeys, pki.enrol(NATL, PartyRole.ISSUER)).start();
      open.add(0, natl);
      List<IssuerNode> issuers = List.of(intl, natl);
      ZoneKeys acquirerLink = Links.zoneKeys(AlgorithmSuite.NATIONAL);
      SwitchNode scheme = new SwitchNode(dir.resolve("switch"), clock, wire, issuers, AcquirerNode.ID, acquirerLink,
          LIMITS, pinKeys, pki.enrol(SwitchNode.ID, PartyRole.SWITCH));
      acquirerFiles = pki.enrol(AcquirerNode.ID, PartyRole.OPERATOR);
      open.add(0, scheme);
      DropProxy proxy = new DropProxy(scheme.port(AcquirerNode.ID));
      open.add(0, proxy);
      MerchantDesk.openAccounts(natl.service.deposits(), settings.merchants()); // natl is the merchants' bank
      AcquirerNode acquirer = new AcquirerNode(dir.resolve("acquirer"), clock, proxy.port(), acquirerLink,
          settings.merchants(), pinKeys);
      open.add(0, acquirer);

      OdaVerifier oda = new OdaVerifier(OdaTrustStore.of(List.of(OdaScheme.of(AlgorithmSuite.INTERNATIONAL).ca.publicKey(),
          OdaScheme.of(AlgorithmSuite.NATIONAL).ca.publicKey())), CaRevocationList.empty());
      Files.createDirectories(dir.resolve("terminals"));
      List<Till> tills = new ArrayList<>();
      for (int m = 0; m < acquirer.merchants.size(); m++) {
        String terminalId = acquirer.merchants.get(m).terminalId();
        String merchantField = String.format("MERCHANT%07d", m + 1); // the acquirer puts the acceptor id in field 42
        PosJournal journal = PosJournal.open(dir.resolve("terminals").resolve(terminalId + ".journal"));
        open.add(0, journal);
        Iso8583Client client = new Iso8583Client(Links.loopback(acquirer.terminalPort()),
            Links.settings(AcquirerNode.INSTITUTION, terminalId, Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS),
            acquirer.terminalLink, wire);
        open.add(0, client);
        Iso8583OnlineAuthoriser authoriser = new Iso8583OnlineAuthoriser(client, AcquirerNode.INSTITUTION,
            clock.asJavaClock());
        PosConfig config = PosConfig.defaults(terminalId, merchantField, Links.randomKey())
            .withLimits(0, 30_000, PosConfig.RandomSelection.OFF);
        tills.add(new Till(terminalId, merchantField, new PosKernel(config, authoriser, pinPayments.pinPad(m), journal, clock, oda),
            journal, client, authoriser));
      }

      // Cardholders: the first of each issuer has little money (declines for insufficient funds).
      List<PosCard> cards = new ArrayList<>();
      for (IssuerNode issuer : issuers) {
        for (int c = 0; c < settings.cardholdersPerIssuer(); c++) {
          Pan pan = issuer.issueCard(c == 0 ? 4_000 : 500_000, 40, 300_000);
          cards.add(PosCard.withOda(issuer.suite, issuer.cardMasterKeys(pan), pan, PosCard.Profile.STANDARD,
              OdaScheme.of(issuer.suite)));
        }
      }
      PhoneTills phones = new PhoneTills(dir.resolve("phones"), acquirer, wire, clock, settings.seed() + 1, notes);
      open.add(0, phones);
      QrNode qr = new QrNode(scheme, issuers, List.of(cards.get(2).pan,
          cards.get(settings.cardholdersPerIssuer() + 2).pan), acquirer, clock, wire);
      open.add(0, qr);
      List<QrNode.Shop> shops = new ArrayList<>();
      for (int m = 0; m < tills.size(); m++) {
        shops.add(new QrNode.Shop(acquirer.merchants.get(m).id(), "Stall " + (m + 1)));
      }
      progress.printf("demo pos: %d merchants, %d cardholders (%d per issuer, both suites), %d days, seed %d%n",
          settings.merchants(), cards.size(), settings.cardholdersPerIssuer(), settings.days(), settings.seed());
      progress.printf("demo pos: merchants registered over the acquirer's API (4 applicants refused), 4 phones enrolled"
          + " through the SDK (one with a repackaged SDK, one rooted)%n");
      // A script for the card's next tap (the run's first): raise a NATIONAL card's upper consecutive offline limit.
      PosCard limitUpdate = cards.get(settings.cardholdersPerIssuer() + 1);
      natl.service.queueScript(limitUpdate.pan, IssuerScript.upperConsecutiveOfflineLimit(6));

      List<Sale> sales = new ArrayList<>();
      LocalDate previous = null;
      for (int day = 1; day <= settings.days(); day++) {
        LocalDate today = clock.businessDate();
        if (previous != null) {
          settle(previous, today, acquirer, issuers, scheme, qr); // T+1, before the day's business
        }
        refundsOf(previous, sales);
        runDay(day, today, tills, cards, issuers, proxy, sales, day == 1 ? limitUpdate : null);
        qr.runDay(day, shops, phones.genuineSdks(), random, notes);
        if (day == 1) {
          pinPayments.run(issuers, tills.stream().map(Till::kernel).toList(), () -> clock.advance(BETWEEN_TAPS));
        }
        phones.payDay(day, settings.days(), cards);
        dayEnd(day, today, acquirer, issuers, scheme);
        previous = today;
        clock.advanceToNextBusinessDay();
        clock.advance(Duration.ofHours(8));
      }
      settle(previous, clock.businessDate(), acquirer, issuers, scheme, qr);
      scheme.online.flushLog(WAIT_MS);
      progress.printf("demo pos: faults injected: %d responses dropped, %d requests duplicated on the acquirer's"
          + " link%n", proxy.dropped(), proxy.duplicated());
      phones.close();
      return report(issuers, acquirer, scheme, tills, phones.finals(), cards.size() + issuers.size() * 2);
    } catch (IOException e) {
      throw new UncheckedIOException("demo pos: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("demo pos interrupted", e);
    } finally {
      for (AutoCloseable c : open) {
        try {
          c.close();
        } catch (Exception e) {
          progress.println("demo pos: close failed: " + e.getMessage());
        }
      }
    }
  }

  /**
   * Merchants refund half of some of yesterday's approved purchases: an 0200 with processing code
   * 20 and the purchase's RRN from the terminal, recorded by the acquirer and presented at day end.
   */
  private void refundsOf(LocalDate yesterday, List<Sale> sales) {
    List<Sale> candidates = sales.stream().filter(s -> s.day().equals(yesterday)).toList();
    int wanted = Math.min(candidates.size(), Math.max(1, settings.merchants() / 2));
    List<Sale> chosen = new ArrayList<>(candidates);
    Collections.shuffle(chosen, random);
    for (Sale sale : chosen.subList(0, wanted)) {
      MonthDayTime now = MonthDayTime.utc(clock.now());
      Iso8583Client client = sale.till().client();
      CardTransaction t = new CardTransaction(sale.card().pan, "200000",
          Money.ofMinor(Math.max(1, sale.amountMinor() / 2), CurrencyUnit.CNY), now, client.nextStan(), now,
          IssuerNode.CARD_EXPIRY, "071", 1, AcquirerNode.INSTITUTION, String.format("%012d", sale.sequence()),
          sale.till().terminalId(), sale.till().merchantField(), null, null);
      Outcome outcome = client.send(new FinancialRequest(t));
      if (!(outcome instanceof Outcome.Answered a && a.response() instanceof CardResponse r
          && r.responseCode().approved())) {
        notes.add("a refund was not taken by the acquirer: " + outcome);
      }
    }
  }

  private void runDay(int day, LocalDate today, List<Till> tills, List<PosCard> cards, List<IssuerNode> issuers,
      DropProxy proxy, List<Sale> sales, PosCard first) {
    int taps = tills.size() * PosSettings.TAPS_PER_TERMINAL_DAY;
    IssuerNode intl = issuers.get(0);
    IssuerNode natl = issuers.get(1);
    boolean downDay = day == Math.min(2, settings.days());
    int downFrom = taps * 2 / 5;
    int downTo = taps * 3 / 5;
    PosCard next = first; // a card whose script waits: its tap without an injected fault
    for (int i = 0; i < taps; i++) {
      if (day == 1 && i == taps * 3 / 10) {
        // The INTERNATIONAL issuer blocks its second card: refused from now on, and a script blocks the
        // card itself on its next tap (which the demo makes the next one, without an injected fault: the
        // issuer marks a script sent when it answers, so a lost 0110 would lose the script).
        next = cards.get(1);
        intl.service.setState(next.pan, CardState.BLOCKED);
        intl.service.queueScript(next.pan, IssuerScript.applicationBlock());
      }
      if (day == 1 && i == taps * 3 / 10 + 1) {
        // The blocked card is presented once more, right after the tap that carried its script: the
        // card itself now refuses contactless, whatever the random choices of the other taps.
        next = cards.get(1);
      }
      if (downDay && i == downFrom) {
        natl.stop();
        progress.printf("demo pos: day %d: issuer %s down%n", day, natl.id.value());
      }
      if (downDay && i == downTo) {
        natl.start();
        progress.printf("demo pos: day %d: issuer %s back%n", day, natl.id.value());
      }
      Till till = tills.get(i % tills.size());
      PosCard card = next != null ? next : cards.get(random.nextInt(cards.size()));
      long amount = 500 + random.nextInt(150) * 100L;
      double fault = next != null ? 1 : random.nextDouble();
      next = null;
      if (i > 0 && fault < 0.05) {
        proxy.dropNextResponse();
      } else if (i > 0 && fault < 0.10) {
        proxy.duplicateNextRequest();
      } else if (fault < 0.14) {
        (card.suite == AlgorithmSuite.INTERNATIONAL ? intl : natl).answerNextLate(Links.STAND_IN_AFTER_MS + 600);
      }
      card.reinsert();
      PosOutcome outcome = till.kernel().charge(card.channel(), Money.ofMinor(amount, CurrencyUnit.CNY));
      if (outcome.entry().reversal()) {
        reverse(till, outcome.entry());
      }
      if (outcome.approved()) {
        sales.add(new Sale(till, card, outcome.entry().sequence(), amount, today));
      }
      clock.advance(BETWEEN_TAPS);
    }
  }

  /** The terminal's 0400 for a journal entry marked for reversal, sent until the acquirer acknowledges it. */
  private void reverse(Till till, PosJournal.Entry entry) {
    for (int attempt = 1; attempt <= 5; attempt++) {
      if (till.authoriser().reverse(entry.sequence(), ResponseCode.DO_NOT_HONOUR)
          == Iso8583OnlineAuthoriser.ReversalResult.ACKNOWLEDGED) {
        return;
      }
    }
    notes.add("terminal " + till.terminalId() + " could not get its reversal of transaction " + entry.sequence()
        + " acknowledged");
  }

  /**
   * Day end: the acquirer's reversals acknowledged and the switch's advices delivered, then the
   * acquirer's batch as a presentment file to the switch, the switch's files to the issuers, the
   * issuers' result files back to the switch.
   */
  private void dayEnd(int dayNumber, LocalDate day, AcquirerNode acquirer, List<IssuerNode> issuers, SwitchNode scheme)
      throws IOException, InterruptedException {
    await(() -> acquirer.host.reversalsPending() == 0, "every reversal acknowledged");
    await(() -> issuers.stream().allMatch(i -> scheme.online.pendingAdvices(i.id) == 0), "every advice delivered");
    scheme.online.flushLog(WAIT_MS);
    List<Presentment> batch = acquirer.host.dayEnd(day);
    Path out = Files.createDirectories(acquirer.books.file.getParent().resolve("out"));
    Path file = out.resolve("presentments-" + AcquirerNode.ID.value() + "-" + day + ".txt");
    try (OutputStream stream = Files.newOutputStream(file)) {
      PresentmentFile.write(stream, AcquirerNode.ID, SwitchNode.ID, day, dayNumber, CurrencyUnit.CNY, batch);
    }
    acquirerFiles.signer().sign(file, FileKind.PRESENTMENT);
    OnlineClearing.Intake intake = scheme.clearing.accept(file);
    if (!intake.taken()) {
      notes.add("the switch refused the presentment file of " + day + ": " + intake.detail());
    }
    if (intake.refusal() == OnlineClearing.Refusal.SIGNATURE) {
      onlineFilesRefused++;
    } else {
      onlineFilesVerified++;
    }
    if (intake.resultFile() != null) {
      verified("the switch's result file of " + day, () -> acquirerFiles.verifier().verify(intake.resultFile(),
          FileKind.PRESENTMENT_RESULT, AcceptedFiles.NONE));
    }
    for (Map.Entry<PartyId, Path> issuerFile : scheme.clearing.writeIssuerFiles(day).entrySet()) {
      IssuerNode issuer = issuers.stream().filter(i -> i.id.equals(issuerFile.getKey())).findFirst().orElseThrow();
      Path[] results = new Path[1];
      verified("the switch's presentment file for " + issuer.id + " of " + day,
          () -> results[0] = issuer.clearing.apply(issuerFile.getValue()));
      if (results[0] != null) {
        verified(issuer.id + "'s result file of " + day, () -> scheme.clearing.recordIssuerResults(results[0]));
      }
    }
    progress.printf("demo pos: %s day end: %d presentments, %d accepted by the switch%n", day, batch.size(),
        intake.accepted());
  }

  /** Runs a receiver's step that verifies a signed clearing file first; a refusal is counted and noted. */
  private void verified(String what, Runnable step) {
    try {
      step.run();
      onlineFilesVerified++;
    } catch (SignedFileException e) {
      onlineFilesRefused++;
      notes.add(what + " was refused: " + e.getMessage());
    }
  }

  /**
   * T+1: the switch's multilateral net run (card presentments of T and the push credits approved
   * since the last run), each party's position paid or received, the merchants paid (cards and QR
   * push credits, net of MDR).
   */
  private void settle(LocalDate day, LocalDate on, AcquirerNode acquirer, List<IssuerNode> issuers, SwitchNode scheme,
      QrNode qr) throws InterruptedException {
    qr.flushLog();
    SettlementRun run = scheme.settlement.settle(day, on);
    for (NetPosition position : run.report().positions()) {
      long net = position.net().amountMinor();
      if (position.party().equals(AcquirerNode.ID)) {
        acquirer.receiveSettlement(day, net);
      } else {
        issuers.stream().filter(i -> i.id.equals(position.party())).findFirst()
            .orElseThrow(() -> new IllegalStateException("a position for an unknown party " + position.party()))
            .settle(day, net);
      }
    }
    acquirer.host.payMerchants(day, qr.credits);
    progress.printf("demo pos: %s settled T+1 on %s, merchants paid%n", day, on);
  }

  private PosReport report(List<IssuerNode> issuers, AcquirerNode acquirer, SwitchNode scheme, List<Till> tills,
      List<PosJournal.Entry> phoneFinals, int cardholders) {
    long transactions = 0;
    long approved = 0;
    long declined = 0;
    long scripts = 0;
    Map<String, Long> outcomes = new TreeMap<>();
    List<PosJournal.Entry> entries = new ArrayList<>(phoneFinals);
    tills.forEach(till -> entries.addAll(till.journal().entries()));
    for (PosJournal.Entry e : entries) {
      if (e.stage() != PosJournal.Stage.FINAL) {
        continue;
      }
      transactions++;
      outcomes.merge(e.reason().name(), 1L, Long::sum);
      PosOutcome.Result result = e.reason().result();
      approved += result == PosOutcome.Result.APPROVED ? 1 : 0;
      declined += result == PosOutcome.Result.DECLINED ? 1 : 0;
      scripts += e.scriptsApplied();
    }
    long standIn = scheme.count("SELECT COUNT(*) FROM online_message_log WHERE answered_by = 'STAND_IN'"
        + " AND request_mti = '0100'");
    long duplicates = scheme.count("SELECT COUNT(*) FROM online_message_log WHERE answered_by = 'DUPLICATE'");
    long late = scheme.count("SELECT COUNT(*) FROM online_message_log WHERE answered_by = 'ISSUER_LATE'");
    long advices = scheme.count("SELECT COUNT(*) FROM online_advice WHERE delivered_at_ms IS NOT NULL");
    long acceptedCaptures = scheme.count("SELECT COUNT(*) FROM online_presentment WHERE kind = 'C'"
        + " AND status = 'ACCEPTED'");
    PartyBooks acq = acquirer.books;
    long reversals = acq.count("SELECT COUNT(*) FROM online_request WHERE state = 'REVERSED'");
    long lost = acq.count("SELECT COUNT(*) FROM online_reversal WHERE reason = '91'");
    long refunds = issuers.stream().mapToLong(i -> i.books.count("SELECT COUNT(*) FROM issuer_auth_refund")).sum();
    long qrMpm = acq.count("SELECT COUNT(*) FROM acquirer_qr_credit WHERE state = 'CREDITED'");
    long qrCpm = issuers.stream().mapToLong(i -> i.books.count(
        "SELECT COUNT(*) FROM issuer_qr_decision WHERE response_code = '00'")).sum();
    long qrIssuersPaid = issuers.stream().mapToLong(i -> i.books.count(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM issuer_qr_push WHERE state = 'PAID'")).sum();
    long qrCredited = acq.count("SELECT COALESCE(SUM(amount_minor), 0) FROM acquirer_qr_credit WHERE state = 'CREDITED'");
    long qrSettled = scheme.pushCount("SELECT COALESCE(SUM(amount_minor), 0) FROM online_push_credit"
        + " WHERE reversed_on IS NULL");
    long qrPaidOut = acq.count("SELECT COALESCE(SUM(qr_credited_minor - qr_taken_back_minor), 0) FROM online_payout"
        + " WHERE posted = 1");
    long pinVerified = issuers.stream().mapToLong(i -> i.books.count("SELECT SUM(verified) FROM issuer_card_pin")).sum();
    long pinFailed = issuers.stream().mapToLong(i -> i.books.count("SELECT SUM(failed) FROM issuer_card_pin")).sum();

    Map<String, Long> hanging = new LinkedHashMap<>();
    hanging.put("acquirer_requests_unanswered", acq.count("SELECT COUNT(*) FROM online_request"
        + " WHERE state IN ('SENT', 'REVERSAL_QUEUED')"));
    hanging.put("acquirer_reversals_unacknowledged", acq.count("SELECT COUNT(*) FROM online_reversal"
        + " WHERE acked_at_ms IS NULL"));
    hanging.put("acquirer_approved_never_presented", acq.count("SELECT COUNT(*) FROM online_request"
        + " WHERE state = 'APPROVED'"));
    hanging.put("acquirer_payouts_not_posted", acq.count("SELECT COUNT(*) FROM online_payout WHERE posted = 0"));
    hanging.put("switch_advices_undelivered", scheme.count(
        "SELECT COUNT(*) FROM online_advice WHERE delivered_at_ms IS NULL"));
    hanging.put("switch_presentments_without_issuer_result", scheme.count("SELECT COUNT(*) FROM online_presentment"
        + " WHERE status = 'ACCEPTED' AND issuer_status IS NULL"));
    hanging.put("switch_days_not_settled", scheme.count("SELECT COUNT(*) FROM online_clearing_day WHERE settled = 0"));
    hanging.put("issuer_holds_open", issuers.stream().mapToLong(i -> i.books.count(
        "SELECT COUNT(*) FROM issuer_auth_txn WHERE state = 'HELD'")).sum());
    hanging.put("issuer_qr_push_credits_unsettled", issuers.stream().mapToLong(i -> i.books.count(
        "SELECT COUNT(*) FROM issuer_qr_push WHERE state IN ('DEBITING', 'SENT', 'REVERSAL_PENDING')")).sum());
    hanging.put("switch_push_credits_not_settled", scheme.pushCredits.approvedNotSettled());
    hanging.put("switch_push_days_not_settled", scheme.pushCount("SELECT COUNT(*) FROM online_push_day"
        + " WHERE settled = 0"));
    hanging.put("acquirer_qr_credits_not_paid_out", acq.count("SELECT COUNT(*) FROM acquirer_qr_credit"
        + " WHERE state = 'CREDITED' AND payout_date IS NULL"));
    long hangingTotal = hanging.values().stream().mapToLong(Long::longValue).sum();

    long debited = issuers.stream().mapToLong(IssuerNode::cardholdersDebitedMinor).sum();
    long exposure = issuers.stream().mapToLong(i -> debitBalance(i.books.balance(IssuerNode.STAND_IN))).sum();
    long issuerUnsettled = issuers.stream().mapToLong(i -> -debitBalance(i.books.balance(IssuerNode.SETTLEMENT))).sum();
    long settledByIssuers = issuers.stream().mapToLong(i -> -debitBalance(i.books.balance(IssuerNode.SCHEME_OUT))).sum();
    long settledToAcquirer = debitBalance(acq.balance(AcquirerNode.SCHEME_IN));
    long acquirerAdvanced = debitBalance(acq.balance(AcquirerNode.SETTLEMENT));
    long paid = 0;
    for (MerchantId merchant : acquirer.transactingMerchants()) {
      Optional<Long> account = acquirer.host.merchantAccount(merchant);
      if (account.isPresent()) {
        paid -= debitBalance(acq.balance(account.get()));
      }
    }
    long mdr = acq.balance(AcquirerNode.REVENUE).creditsPostedMinor();
    long switchOpen = scheme.books.balances().values().stream()
        .mapToLong(b -> Math.abs(b.debitsPostedMinor() - b.creditsPostedMinor())).sum();
    Map<String, Long> inFlight = new LinkedHashMap<>();
    inFlight.put("issuers_settlement_not_yet_paid_out", issuerUnsettled);
    inFlight.put("acquirer_paid_merchants_ahead_of_settlement", -acquirerAdvanced);
    long inFlightTotal = issuerUnsettled - acquirerAdvanced;

    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("issuers_paid_what_the_acquirer_received", settledByIssuers == settledToAcquirer);
    checks.put("switch_dues_all_settled", switchOpen == 0);
    checks.put("cardholders_debited_equals_paid_plus_mdr_plus_in_flight",
        debited + exposure == paid + mdr + inFlightTotal);
    // The phones' journals hold their consumer-presented QR payments too: every approval is a capture.
    checks.put("journal_approvals_equal_captures_accepted_by_the_switch", approved == acceptedCaptures);
    checks.put("qr_push_credits_paid_by_issuers_equal_settled_credited_and_paid_out_once",
        qrIssuersPaid == qrSettled && qrSettled == qrCredited && qrCredited == qrPaidOut);
    checks.put("every_online_clearing_file_verified_as_its_senders", onlineFilesVerified > 0 && onlineFilesRefused == 0);
    boolean conserved = checks.get("issuers_paid_what_the_acquirer_received") && checks.get("switch_dues_all_settled")
        && checks.get("cardholders_debited_equals_paid_plus_mdr_plus_in_flight")
        && checks.get("qr_push_credits_paid_by_issuers_equal_settled_credited_and_paid_out_once");
    boolean balanced = acq.balanced() && scheme.books.balanced() && issuers.stream().allMatch(i -> i.books.balanced());

    List<PartyBooks> parties = new ArrayList<>();
    issuers.forEach(i -> parties.add(i.books));
    parties.add(scheme.books);
    parties.add(acq);
    VerificationReport registryAudit = acquirer.verifyRegistryAudit();
    boolean verified = registryAudit.verified();
    StringBuilder detail = new StringBuilder("acquirer registry " + (registryAudit.verified()
        ? "OK (" + registryAudit.leavesChecked() + " leaves)" : "FAILED " + registryAudit.failure().orElseThrow().describe()));
    for (PartyBooks books : parties) {
      books.closeLedger();
      VerificationReport r = books.verifyAudit();
      verified &= r.verified();
      detail.append(detail.isEmpty() ? "" : ", ").append(books.name).append(' ')
          .append(r.verified() ? "OK (" + r.leavesChecked() + " leaves)" : "FAILED " + r.failure().orElseThrow().describe());
    }
    return new PosReport(settings.merchants(), settings.days(), settings.seed(), cardholders, transactions, approved,
        declined, transactions - approved - declined, outcomes, standIn, reversals, refunds, scripts, duplicates, late, advices,
        lost, qrMpm, qrCpm, qrSettled, qrPaidOut, pinVerified, pinFailed, hangingTotal, hanging, paid, mdr, debited, exposure, inFlightTotal, inFlight, settledByIssuers,
        settledToAcquirer, balanced, verified, detail.toString(), conserved, checks, List.copyOf(notes),
        PhoneFigures.read(acquirer, phoneFinals.size()));
  }

  /** Debits minus credits posted (an asset's natural balance; negative for a liability). */
  private static long debitBalance(AccountBalance b) {
    return b.debitsPostedMinor() - b.creditsPostedMinor();
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("demo pos: timed out waiting until " + what);
      }
      LockSupport.parkNanos(50_000_000);
    }
  }

  private static void replace(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> paths = Files.walk(dir)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
  }
}
