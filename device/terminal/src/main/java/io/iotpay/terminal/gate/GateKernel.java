package io.iotpay.terminal.gate;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.pki.SignedDenyLists;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitTac;
import io.iotpay.terminal.gate.TapOutcome.Reason;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metro gate kernel. One {@link #tap} per card presented: SELECT, READ CAPP DATA, GPO, then
 * READ RECORD (a card new to gates) or GET TRANS PROVE (the card's last transaction, unless this
 * gate's journal holds it), then UPDATE CAPP DATA CACHE and GENERATE AC: at most 6 command APDUs
 * without offline data authentication.
 * Every resulting {@link TransitRecord} is in the journal (fsync'd) before {@link TapOutcome.Opened}
 * is returned. The gate holds no card keys: the issuer verifies each TAC in clearing. A gate given
 * the scheme's CA keys ({@link OdaVerifier}) also authenticates every card offline (fDDA, one more
 * command: at most 7): a counterfeit is refused {@link Reason#ODA_FAILED}. Rules and sequences:
 * docs/gate.md. Not thread-safe: one kernel per gate.
 */
public final class GateKernel {
  /** The transit application's AID (docs/card-apdus.md §2). */
  public static final byte[] TRANSIT_AID = Hex.decode("A000000333010101");
  private static final Logger LOG = LoggerFactory.getLogger(GateKernel.class);
  private static final int SW_OK = 0x9000;
  private static final int SW_DATA_MAYBE_CORRUPTED = 0x6281;
  private static final int SW_NOT_FOUND = 0x6A88;
  private static final int TAG_PDOL = 0x9F38;

  private final GateConfig config;
  private final FareTable fares;
  private final GateJournal journal;
  private final BusinessClock clock;
  private final String stationId;
  private final Map<PartyId, DenyList> denyLists = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final GateOda oda;

  /**
   * A gate without offline data authentication (the tests of the other rules; docs/gate.md §9).
   *
   * @param journal this gate's journal, open; the kernel appends to it
   * @throws GateException when the gate's station is not in the fare table
   */
  public GateKernel(GateConfig config, FareTable fares, GateJournal journal, BusinessClock clock) {
    this(config, fares, journal, clock, null);
  }

  /**
   * A gate that authenticates every card offline before it opens.
   *
   * @param journal this gate's journal, open; the kernel appends to it
   * @param oda the scheme's CA public keys and CA revocation list; null for no ODA
   * @throws GateException when the gate's station is not in the fare table
   */
  public GateKernel(GateConfig config, FareTable fares, GateJournal journal, BusinessClock clock, OdaVerifier oda) {
    this.oda = oda == null ? null : new GateOda(oda);
    this.config = config;
    this.fares = fares;
    this.journal = journal;
    this.clock = clock;
    this.stationId = fares.station(config.stationNumber())
        .orElseThrow(() -> new GateException("gate " + config.terminalId() + ": station "
            + config.stationNumber() + " is not in the fare table")).id();
  }

  /**
   * Keeps {@code list} when its version is above the one held for its issuer. Unchecked: for this
   * package's tests only; lists from outside come through {@link #installDenyList}.
   */
  void updateDenyList(DenyList list) {
    denyLists.merge(list.issuer(), list, (held, offered) -> offered.version() > held.version() ? offered : held);
  }

  /**
   * Installs a signed deny list file (docs/signed-files.md §6): accepted only with a valid signature
   * of its issuer or of the switch and a version that follows the one held within the bound of
   * {@code acceptance}; otherwise refused with its reason and the list held is kept.
   *
   * @return the installed list
   * @throws io.iotpay.protocol.pki.SignedFileException REPLAYED, VERSION_JUMP, FORGED, … ; nothing changes
   * @throws io.iotpay.protocol.ProtocolException when the signed file is malformed; nothing changes
   */
  public DenyList installDenyList(Path file, SignedDenyLists acceptance) {
    DenyList list = acceptance.accept(file, this::denyListVersion);
    denyLists.put(list.issuer(), list);
    LOG.info("Deny list installed [gate={}, issuer={}, version={}, cards={}]", config.terminalId(), list.issuer(),
        list.version(), list.pans().size());
    return list;
  }

  /** The version of {@code issuer}'s list this gate holds, 0 when none. */
  public long denyListVersion(PartyId issuer) {
    DenyList held = denyLists.get(issuer);
    return held == null ? 0 : held.version();
  }

  public GateConfig config() {
    return config;
  }

  public GateJournal journal() {
    return journal;
  }

  /**
   * Runs one tap with the card on {@code card}.
   *
   * @return the outcome, never null; {@link TapOutcome.Torn} when the card exchange broke off
   * @throws UncheckedIOException when the journal cannot be written (the gate stays shut)
   */
  public TapOutcome tap(CardChannel card) {
    Tap tap = new Tap(card, clock.now().truncatedTo(ChronoUnit.SECONDS));
    try {
      return run(tap);
    } catch (CardGoneException e) {
      LOG.debug("Tap torn [gate={}, commands={}, detail={}]", config.terminalId(), tap.count, e.getMessage());
      return new TapOutcome.Torn(e.getMessage(), tap.journaled, tap.count);
    } catch (Refusal r) {
      return refused(tap, r.reason, r.getMessage());
    } catch (GateOda.Failure f) {
      LOG.info("Card failed offline authentication, gate stays shut [gate={}, detail={}]", config.terminalId(),
          f.getMessage());
      return refused(tap, Reason.ODA_FAILED, f.getMessage());
    } catch (CardStatusException e) {
      return refused(tap, Reason.CARD_ERROR, e.getMessage());
    } catch (InvalidInputException e) {
      return refused(tap, Reason.INVALID_CARD_DATA, e.getMessage());
    }
  }

  private TapOutcome refused(Tap tap, Reason reason, String detail) {
    LOG.debug("Tap refused [gate={}, reason={}, detail={}]", config.terminalId(), reason, detail);
    return new TapOutcome.Refused(reason, detail, tap.journaled, tap.count);
  }

  private TapOutcome run(Tap tap) {
    Session session = openSession(tap);
    boolean resumeHere = recover(tap, session);
    DenyList denying = denyListFor(session.pan);
    if (denying != null) {
      throw new Refusal(Reason.DENIED, "card " + session.pan + " is on the deny list of " + denying.issuer()
          + " v" + denying.version());
    }
    return switch (decide(session, resumeHere, tap.now)) {
      case Action.Refuse r -> throw new Refusal(r.reason(), r.detail());
      case Action.Resume r -> {
        authenticateWithoutTransaction(tap, session);
        LOG.debug("Torn tap completed, gate opens [gate={}, card={}]", config.terminalId(), session.pan);
        yield new TapOutcome.Opened(tap.journaled, true, tap.count);
      }
      case Action.Run r -> {
        verifyChain(tap, session);
        transact(tap, session, r.kind(), r.amountMinor());
        yield new TapOutcome.Opened(tap.journaled, false, tap.count);
      }
      case Action.CloseThenEnter r -> {
        verifyChain(tap, session);
        transact(tap, session, TransitKind.EXIT_INCOMPLETE, session.lockedMinor);
        Session second = openSession(tap);
        transact(tap, second, TransitKind.ENTRY, entryLock(second));
        yield new TapOutcome.Opened(tap.journaled, false, tap.count);
      }
    };
  }

  // ---- session: SELECT, READ CAPP DATA, GPO, PSN --------------------------------------------

  /** What the card told the gate before any money moves. */
  private static final class Session {
    byte[] aip;
    int atc;
    Pan pan;
    int panSequence;
    long quotaMinor;
    long limitMinor;
    long lockedMinor;
    byte[] cappBytes;
    CappRecord.Read capp;
    byte[] un;
    byte[] gpo;
  }

  private Session openSession(Tap tap) {
    Session s = new Session();
    byte[] fci = tap.expectOk(GateApdus.select(TRANSIT_AID), "SELECT", Reason.NOT_A_TRANSIT_CARD);
    byte[] pdol = CardData.find(fci, TAG_PDOL, "FCI");
    if (pdol == null) {
      throw new Refusal(Reason.NOT_A_TRANSIT_CARD, "FCI has no PDOL (card not personalised)");
    }
    s.cappBytes = tap.expectOk(GateApdus.readCappData(), "READ CAPP DATA", Reason.NOT_A_TRANSIT_CARD);
    s.capp = CappRecord.decode(s.cappBytes);
    s.un = new byte[4];
    random.nextBytes(s.un);
    byte[] gpo = tap.expectOk(GateApdus.gpo(pdolData(pdol, gpoAmount(s.capp), s.un, tap)), "GPO", Reason.CARD_ERROR);
    readGpo(s, gpo);
    s.gpo = gpo;
    if (oda != null) {
      GateOda.requireOffered(s.aip);
    }
    s.panSequence = s.capp instanceof CappRecord.Ours ours ? ours.record().panSequence() : readPanSequence(tap);
    return s;
  }

  private void readGpo(Session s, byte[] gpo) {
    byte[] quota = CardData.find(gpo, 0x9F79, "GPO response");
    if (quota == null) {
      throw new Refusal(Reason.NOT_A_TRANSIT_CARD, "GPO did not take the extension path (no 9F79)");
    }
    s.aip = CardData.require(gpo, 0x82, 2, "GPO response");
    s.atc = unsigned16(CardData.require(gpo, 0x9F36, 2, "GPO response"));
    s.pan = Pan.of(panDigits(CardData.require(gpo, 0x5A, -1, "GPO response")));
    s.quotaMinor = Bcd.decodeAmount(quota);
    s.limitMinor = Bcd.decodeAmount(CardData.require(gpo, 0xDF62, 6, "GPO response"));
    s.lockedMinor = Bcd.decodeAmount(CardData.require(gpo, 0xDF63, 6, "GPO response"));
  }

  private int readPanSequence(Tap tap) {
    byte[] record = tap.expectOk(GateApdus.readApplicationRecord(), "READ RECORD SFI 1", Reason.CARD_ERROR);
    byte[] psn = CardData.find(record, 0x5F34, "SFI 1 record 1");
    return psn == null || psn.length != 1 ? 0 : (int) Bcd.decode(psn);
  }

  /** PDOL data: the gate fills 9F02, 5F2A, 9A, 9F37, 9F1A and DF60 = 01; other tags zeros. */
  private byte[] pdolData(byte[] pdol, long amountMinor, byte[] un, Tap tap) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    boolean df60 = false;
    for (CardData.DolEntry e : CardData.dol(pdol)) {
      byte[] value = switch (e.tag()) {
        case 0x9F02 -> Bcd.encodeAmount(amountMinor);
        case 0x5F2A -> Bcd.encode(config.currency().numericCode(), 4);
        case 0x9F1A -> Bcd.encode(config.countryCode(), 4);
        case 0x9A -> dateBcd(tap.localNow);
        case 0x9F37 -> un;
        case 0xDF60 -> new byte[] {0x01};
        default -> new byte[0];
      };
      df60 |= e.tag() == 0xDF60;
      byte[] fitted = new byte[e.length()];
      System.arraycopy(value, Math.max(0, value.length - e.length()), fitted, Math.max(0, e.length() - value.length),
          Math.min(value.length, e.length()));
      out.writeBytes(fitted);
    }
    if (!df60) {
      throw new Refusal(Reason.NOT_A_TRANSIT_CARD, "PDOL has no DF60: no low-value extended application");
    }
    return out.toByteArray();
  }

  private long gpoAmount(CappRecord.Read capp) {
    if (config.direction() == GateConfig.Direction.EXIT && capp instanceof CappRecord.Ours ours
        && ours.record().state() == CappRecord.STATE_ENTERED && fares.station(ours.record().stationNumber()).isPresent()) {
      return fares.fareMinor(ours.record().stationNumber(), config.stationNumber());
    }
    return fares.maxFareFromMinor(config.stationNumber());
  }

  // ---- flash-card recovery ---------------------------------------------------------------------

  /**
   * Journals the card's last transaction when this gate does not hold it (GET TRANS PROVE).
   *
   * @return true when that transaction was torn at THIS gate (so the rider never passed)
   */
  private boolean recover(Tap tap, Session s) {
    if (!(s.capp instanceof CappRecord.Ours ours)) {
      return false; // no transaction at a gate of our layout yet: nothing to recover
    }
    CappRecord last = ours.record();
    TransitRecord.CardTransactionKey key = new TransitRecord.CardTransactionKey(s.pan, s.panSequence, last.atc());
    if (journal.holds(key)) {
      return false;
    }
    ResponseApdu proof = tap.send(GateApdus.getTransProve(last.atc()));
    if (proof.sw() == SW_NOT_FOUND) {
      LOG.warn("No proof for the card's last gate transaction [card={}, atc={}]", s.pan, last.atc());
      return false;
    }
    if (proof.sw() != SW_OK && proof.sw() != SW_DATA_MAYBE_CORRUPTED) {
      throw new CardStatusException("GET TRANS PROVE", proof.sw());
    }
    TransitRecord record = recoveredRecord(s, last, proof.data());
    journal.append(record);
    tap.journaled.add(record);
    LOG.info("Torn transaction recovered [gate={}, card={}, atc={}, kind={}, fareMinor={}]", config.terminalId(),
        s.pan, last.atc(), last.kind(), record.fare().amountMinor());
    return last.operatorCode() == config.operatorCode() && last.stationNumber() == config.stationNumber()
        && last.gateNumber() == config.gateNumber();
  }

  private TransitRecord recoveredRecord(Session s, CappRecord last, byte[] proof) {
    int cid = unsigned8(CardData.require(proof, 0x9F27, 1, "GET TRANS PROVE"));
    int atc = unsigned16(CardData.require(proof, 0x9F36, 2, "GET TRANS PROVE"));
    if (cid != GateApdus.CID_TC || atc != last.atc()) {
      throw new GateException("GET TRANS PROVE: CID " + cid + " / ATC " + atc + " is not the TC of ATC " + last.atc());
    }
    byte[] acceptor = CardData.require(proof, 0xDF65, TransitTac.Input.CDOL1_BYTES - TransitTac.Input.TERMINAL_ID,
        "GET TRANS PROVE");
    byte[] cdol1 = cdol1(last.amountMinor(), last.dateBcd(), last.un(), acceptor);
    Instant time = last.time().atZone(clock.rule().zone()).toInstant();
    String station = fares.station(last.stationNumber()).map(FareTable.Station::id)
        .orElse("N" + last.stationNumber());
    // The operator is the one the TAC covers: the issuer checks the record against it.
    PartyId operator = PartyId.of(TransitTac.Input.operatorId(cdol1));
    return record(s, cdol1, proof, last, operator, station, time, true);
  }

  // ---- decision -------------------------------------------------------------------------------

  private sealed interface Action {
    record Refuse(Reason reason, String detail) implements Action {}

    record Resume() implements Action {}

    record Run(TransitKind kind, long amountMinor) implements Action {}

    record CloseThenEnter() implements Action {}
  }

  private Action decide(Session s, boolean resumeHere, Instant now) {
    CappRecord last = s.capp instanceof CappRecord.Ours ours ? ours.record() : null;
    boolean entered = switch (s.capp) {
      case CappRecord.Fresh f -> false;
      case CappRecord.Foreign f -> f.state() == CappRecord.STATE_ENTERED;
      case CappRecord.Ours o -> o.record().state() == CappRecord.STATE_ENTERED;
    };
    Duration elapsed = last == null ? null : Duration.between(last.time().atZone(clock.rule().zone()).toInstant(), now);
    return switch (config.direction()) {
      case ENTRY -> decideEntry(s, last, entered, elapsed, resumeHere);
      case EXIT -> decideExit(s, last, entered, elapsed, resumeHere);
    };
  }

  private Action decideEntry(Session s, CappRecord last, boolean entered, Duration elapsed, boolean resumeHere) {
    if (!entered) {
      return checkedRun(s, TransitKind.ENTRY, entryLock(s));
    }
    if (resumeHere && last.kind() == TransitKind.ENTRY && withinPassback(elapsed)) {
      return new Action.Resume();
    }
    if (withinPassback(elapsed)) {
      return new Action.Refuse(Reason.PASSBACK, "entered " + elapsed.toSeconds() + " s ago, no exit since");
    }
    return new Action.CloseThenEnter();
  }

  private Action decideExit(Session s, CappRecord last, boolean entered, Duration elapsed, boolean resumeHere) {
    if (!entered) {
      if (resumeHere && last.kind() != TransitKind.ENTRY && withinPassback(elapsed)) {
        return new Action.Resume();
      }
      return new Action.Refuse(Reason.NO_ENTRY, "no open journey on the card");
    }
    boolean known = last != null && fares.station(last.stationNumber()).isPresent();
    if (!known || elapsed.compareTo(config.journeyTimeLimit()) > 0) {
      return checkedRun(s, TransitKind.EXIT_INCOMPLETE, s.lockedMinor);
    }
    return checkedRun(s, TransitKind.EXIT, fares.fareMinor(last.stationNumber(), config.stationNumber()));
  }

  private boolean withinPassback(Duration elapsed) {
    return elapsed != null && elapsed.compareTo(config.passbackWindow()) < 0;
  }

  private Action checkedRun(Session s, TransitKind kind, long amountMinor) {
    long available = kind == TransitKind.ENTRY ? s.quotaMinor : s.quotaMinor + s.lockedMinor;
    if (available < amountMinor) {
      return new Action.Refuse(Reason.LOW_QUOTA, "needs " + amountMinor + ", card has " + available);
    }
    return new Action.Run(kind, amountMinor);
  }

  /** An entry locks the maximum fare from here, capped by the card's DF62. */
  private long entryLock(Session s) {
    long lock = Math.min(fares.maxFareFromMinor(config.stationNumber()), s.limitMinor);
    if (s.quotaMinor < lock) {
      throw new Refusal(Reason.LOW_QUOTA, "entry locks " + lock + ", card has " + s.quotaMinor);
    }
    return lock;
  }

  // ---- the card transaction: UPDATE CAPP DATA CACHE, GENERATE AC, journal -------------------

  private void transact(Tap tap, Session s, TransitKind kind, long amountMinor) {
    int state = kind == TransitKind.ENTRY ? CappRecord.STATE_ENTERED : CappRecord.STATE_EXITED;
    CappRecord capp = new CappRecord(state, config.operatorCode(), config.stationNumber(), config.gateNumber(),
        tap.localNow, s.atc, s.panSequence, kind, amountMinor, s.un);
    byte[] cappBytes = capp.encode();
    tap.expectOk(GateApdus.updateCappDataCache(cappBytes), "UPDATE CAPP DATA CACHE", Reason.CARD_ERROR);
    byte[] cdol1 = cdol1(amountMinor, capp.dateBcd(), s.un, acceptor());
    byte[] response = tap.expectOk(GateApdus.generateAcTc(cdol1), "GENERATE AC", Reason.CARD_ERROR);
    int cid = unsigned8(CardData.require(response, 0x9F27, 1, "GENERATE AC"));
    if (cid != GateApdus.CID_TC) {
      byte[] iad = CardData.find(response, 0x9F10, "GENERATE AC");
      String cvr = iad != null && iad.length > 2 ? String.format("%02X", iad[2]) : "?";
      throw new Refusal(Reason.CARD_DECLINED, "card declined " + kind + " (CID " + cid + ", CVR " + cvr + ")");
    }
    if (unsigned16(CardData.require(response, 0x9F36, 2, "GENERATE AC")) != s.atc) {
      throw new GateException("GENERATE AC: ATC differs from the GPO's " + s.atc);
    }
    if (oda != null) {
      checkCardSignature(tap, response, cdol1);
    }
    s.cappBytes = cappBytes;
    TransitRecord record = record(s, cdol1, response, capp, config.operator(), stationId, tap.now, false);
    journal.append(record); // before the gate opens: a crash after this cannot lose the fare
    tap.journaled.add(record);
    LOG.debug("Tap accepted [gate={}, card={}, kind={}, fareMinor={}, quotaAfterMinor={}]", config.terminalId(),
        s.pan, kind, record.fare().amountMinor(), record.quotaAfterMinor());
  }

  /**
   * CDOL1: 9F02, 9F03, 9F1A, 95, 5F2A, 9A, 9C, 9F37 (29 bytes; TVR and type always zero), then the
   * acceptor the TAC binds (terminal id ‖ operator id, {@link TransitTac.Input}).
   */
  private byte[] cdol1(long amountMinor, byte[] date, byte[] un, byte[] acceptor) {
    byte[] out = new byte[TransitTac.Input.CDOL1_BYTES];
    System.arraycopy(Bcd.encodeAmount(amountMinor), 0, out, TransitTac.Input.AMOUNT, 6);
    System.arraycopy(Bcd.encode(config.countryCode(), 4), 0, out, 12, 2);
    System.arraycopy(Bcd.encode(config.currency().numericCode(), 4), 0, out, TransitTac.Input.CURRENCY, 2);
    System.arraycopy(date, 0, out, TransitTac.Input.DATE, 3);
    System.arraycopy(un, 0, out, TransitTac.Input.UN, 4);
    System.arraycopy(acceptor, 0, out, TransitTac.Input.TERMINAL_ID, acceptor.length);
    return out;
  }

  private byte[] acceptor() {
    return TransitTac.Input.acceptor(config.terminalId(), config.operator());
  }

  // ---- offline data authentication (docs/gate.md §2a) -----------------------------------------

  /** Before money moves: SFI 1 record 2 and the certificate chain, once per tap. */
  private void verifyChain(Tap tap, Session s) {
    if (oda == null || tap.chain != null) {
      return;
    }
    byte[] record = tap.expectOk(GateOda.readIssuerCertificate(), "READ RECORD SFI 1 record 2", Reason.ODA_FAILED);
    tap.chain = oda.verifyChain(s.gpo, record, s.aip, tap.localNow.toLocalDate());
  }

  /** A tap that opens without a transaction still proves the card: INTERNAL AUTHENTICATE. */
  private void authenticateWithoutTransaction(Tap tap, Session s) {
    if (oda == null) {
      return;
    }
    verifyChain(tap, s);
    byte[] terminalData = new byte[12];
    random.nextBytes(terminalData); // UN in bytes 0-3; amount 0 and currency follow
    System.arraycopy(Bcd.encodeAmount(0), 0, terminalData, 4, 6);
    System.arraycopy(Bcd.encode(config.currency().numericCode(), 4), 0, terminalData, 10, 2);
    byte[] response = tap.expectOk(GateOda.internalAuthenticate(terminalData), "INTERNAL AUTHENTICATE",
        Reason.ODA_FAILED);
    GateOda.checkSignature(tap.chain, terminalData, response);
  }

  /** The TC's fDDA signature over this tap's UN, amount and currency, under the chain's key and suite. */
  private void checkCardSignature(Tap tap, byte[] response, byte[] cdol1) {
    byte[] iad = CardData.require(response, 0x9F10, -1, "GENERATE AC");
    if (suiteOf(iad) != tap.chain.suite()) {
      throw new GateOda.Failure("SUITE_MISMATCH: certificates of " + tap.chain.suite() + ", cryptogram of " + suiteOf(iad));
    }
    byte[] terminalData = new byte[12];
    System.arraycopy(cdol1, TransitTac.Input.UN, terminalData, 0, 4);
    System.arraycopy(cdol1, TransitTac.Input.AMOUNT, terminalData, 4, 6);
    System.arraycopy(cdol1, TransitTac.Input.CURRENCY, terminalData, 10, 2);
    GateOda.checkSignature(tap.chain, terminalData, response);
  }

  private static AlgorithmSuite suiteOf(byte[] iad) {
    return iad.length > 1 && iad[1] == 0x04 ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
  }

  /**
   * The transit record of a TC response (GENERATE AC, or its copy from GET TRANS PROVE): the TAC
   * input is CDOL1 ‖ AIP ‖ ATC ‖ CID ‖ IAD ‖ 9F79 ‖ DF63 ‖ CAPP record (docs/card-apdus.md §6).
   */
  private TransitRecord record(Session s, byte[] cdol1, byte[] tc, CappRecord capp, PartyId operator, String station,
      Instant time, boolean recovered) {
    byte[] iad = CardData.require(tc, 0x9F10, -1, "TC");
    byte[] quotaAfter = CardData.require(tc, 0x9F79, 6, "TC");
    byte[] lockedAfter = CardData.require(tc, 0xDF63, 6, "TC");
    ByteArrayOutputStream input = new ByteArrayOutputStream(96);
    input.writeBytes(cdol1);
    input.writeBytes(s.aip);
    input.writeBytes(new byte[] {(byte) (capp.atc() >>> 8), (byte) capp.atc(), (byte) GateApdus.CID_TC});
    input.writeBytes(iad);
    input.writeBytes(quotaAfter);
    input.writeBytes(lockedAfter);
    input.writeBytes(capp.encode());
    long fareMinor = capp.kind() == TransitKind.ENTRY ? 0 : capp.amountMinor();
    AlgorithmSuite suite = suiteOf(iad);
    return new TransitRecord(new RecordId(config.terminalId(), journal.nextSequence()), operator, station, capp.kind(),
        s.pan, s.panSequence, suite, capp.atc(), Money.ofMinor(fareMinor, config.currency()),
        Bcd.decodeAmount(quotaAfter), time, clock.rule().businessDateOf(time), input.toByteArray(),
        CardData.require(tc, 0x9F26, 8, "TC"), recovered);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private DenyList denyListFor(Pan pan) {
    for (DenyList list : denyLists.values()) {
      if (list.denies(pan)) {
        return list;
      }
    }
    return null;
  }

  private static String panDigits(byte[] bcd) {
    String hex = Hex.encode(bcd).toUpperCase();
    int end = hex.indexOf('F');
    return end < 0 ? hex : hex.substring(0, end);
  }

  private static byte[] dateBcd(LocalDateTime t) {
    return Bcd.encode((t.getYear() % 100) * 10_000L + t.getMonthValue() * 100L + t.getDayOfMonth(), 6);
  }

  private static int unsigned8(byte[] b) {
    return b[0] & 0xFF;
  }

  private static int unsigned16(byte[] b) {
    return ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
  }

  /** One tap's exchange with the card: counts commands, collects journaled records. */
  private final class Tap {
    final CardChannel card;
    final Instant now;
    final LocalDateTime localNow;
    final List<TransitRecord> journaled = new ArrayList<>(2);
    int count;
    GateOda.Chain chain;

    Tap(CardChannel card, Instant now) {
      this.card = card;
      this.now = now;
      this.localNow = LocalDateTime.ofInstant(now, clock.rule().zone());
    }

    ResponseApdu send(CommandApdu command) {
      count++;
      return card.transmit(command);
    }

    byte[] expectOk(CommandApdu command, String name, Reason reasonIfNot) {
      ResponseApdu response = send(command);
      if (response.sw() != SW_OK) {
        if (reasonIfNot == Reason.CARD_ERROR) {
          throw new CardStatusException(name, response.sw());
        }
        throw new Refusal(reasonIfNot, name + " returned SW " + String.format("%04X", response.sw()));
      }
      return response.data();
    }
  }

  /** Ends a tap with the gate shut; caught in {@link #tap}. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Reason reason;

    Refusal(Reason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }
}
