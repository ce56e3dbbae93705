package io.iotpay.terminal.pos;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Dol;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.CardOdaData;
import io.iotpay.foundation.crypto.oda.FddaData;
import io.iotpay.foundation.crypto.oda.OdaReason;
import io.iotpay.foundation.crypto.oda.OdaResult;
import io.iotpay.foundation.crypto.oda.OdaVerifier;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.protocol.Pan;
import io.iotpay.terminal.pos.CardSw.Action;
import io.iotpay.terminal.pos.CardSw.Command;
import io.iotpay.terminal.pos.EmvData.Ac;
import io.iotpay.terminal.pos.EmvData.Candidate;
import io.iotpay.terminal.pos.EmvData.IssuerData;
import io.iotpay.terminal.pos.PosJournal.Authorisation;
import io.iotpay.protocol.iso8583.PinBlock;
import io.iotpay.terminal.pos.PosOutcome.Cvm;
import io.iotpay.terminal.pos.PosOutcome.Reason;
import io.iotpay.terminal.pos.RiskRules.Method;
import io.iotpay.terminal.pos.RiskRules.Request;
import io.iotpay.terminal.pos.Tvr.Bit;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contactless POS kernel. One {@link #charge} per card presented: SELECT PPSE, SELECT AID,
 * GET PROCESSING OPTIONS, READ RECORD of the AFL, processing restrictions, cardholder verification,
 * terminal risk management, terminal action analysis, GENERATE AC (with fDDA verification when the
 * card and the terminal support it); for an ARQC the online authorisation, EXTERNAL AUTHENTICATE,
 * scripts (71), the second GENERATE AC and scripts (72). An online tap of this project's card takes
 * 8 command APDUs (10 with fDDA). Every transaction's journal entry is on
 * disk before its outcome is returned; an ARQC is journaled before it leaves the terminal. Rules and
 * sequences: docs/pos-kernel.md. Not thread-safe: one kernel per terminal.
 */
public final class PosKernel {
  private static final Logger LOG = LoggerFactory.getLogger(PosKernel.class);
  static final byte[] PPSE = "2PAY.SYS.DDF01".getBytes(StandardCharsets.US_ASCII);
  /** PDOL / CDOL data sent in one short APDU (255 bytes less the 83 tag and length of GPO). */
  static final int DOL_DATA_BYTES_MAX = 252;
  static final byte[] ARC_UNABLE_TO_GO_ONLINE = {'Z', '3'};
  static final byte[] ARC_OFFLINE_DECLINED = {'Z', '1'};
  /** Terminal type 9F35: attended, online with offline capability, operated by the merchant. */
  static final int TERMINAL_TYPE = 0x22;
  /** Terminal transaction qualifiers 9F66 (EMV Book C-7 / qVSDC form): contactless EMV, online capable, CVM support. */
  static final byte[] TTQ = Hex.decode("36004000");
  private static final int AIP_DDA_SUPPORTED = 0x20;
  private static final int AIP_CVM_SUPPORTED = 0x10;
  private static final int AIP_TRM_TO_BE_PERFORMED = 0x08;
  private static final int AIP_ISSUER_AUTHENTICATION = 0x04;
  /** TSI (9B) byte 1 bits, EMV Book 3 Annex C6. */
  static final int TSI_ODA_PERFORMED = 0x80;
  static final int TSI_CVM_PERFORMED = 0x40;
  static final int TSI_CARD_RISK_MANAGEMENT = 0x20;
  static final int TSI_ISSUER_AUTHENTICATION = 0x10;
  static final int TSI_TERMINAL_RISK_MANAGEMENT = 0x08;
  static final int TSI_SCRIPT_PROCESSING = 0x04;
  /** Tags of the authorisation request's field 55, in order. */
  static final int[] FIELD_55_TAGS = {0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95, 0x9A, 0x9C, 0x9F02, 0x5F2A,
      0x82, 0x9F1A, 0x9F03, 0x9F33, 0x9F34, 0x9F35, 0x84};

  private final PosConfig config;
  private final OnlineAuthoriser authoriser;
  private final PinPad pinPad;
  private final PosJournal journal;
  private final BusinessClock clock;
  private final SecureRandom unpredictable = new SecureRandom();
  private final RandomGenerator selection;
  private final OdaVerifier oda;

  /**
   * @param journal this terminal's journal, open; the kernel appends to it
   * @param pinPad {@link PinPad#NONE} when the terminal has none
   */
  public PosKernel(PosConfig config, OnlineAuthoriser authoriser, PinPad pinPad, PosJournal journal,
      BusinessClock clock) {
    this(config, authoriser, pinPad, journal, clock, null, new SecureRandom());
  }

  /**
   * A kernel that performs fDDA on cards whose AIP offers it, with {@code oda} (the terminal's CA
   * public keys and CA revocation list).
   */
  public PosKernel(PosConfig config, OnlineAuthoriser authoriser, PinPad pinPad, PosJournal journal,
      BusinessClock clock, OdaVerifier oda) {
    this(config, authoriser, pinPad, journal, clock, Assert.notNull(oda, "oda"), new SecureRandom());
  }

  /** As above, with the random source of random transaction selection given (tests). */
  PosKernel(PosConfig config, OnlineAuthoriser authoriser, PinPad pinPad, PosJournal journal, BusinessClock clock,
      OdaVerifier oda, RandomGenerator selection) {
    this.oda = oda;
    this.config = Assert.notNull(config, "config");
    this.authoriser = Assert.notNull(authoriser, "authoriser");
    this.pinPad = Assert.notNull(pinPad, "pinPad");
    this.journal = Assert.notNull(journal, "journal");
    this.clock = Assert.notNull(clock, "clock");
    this.selection = Assert.notNull(selection, "selection");
  }

  public PosConfig config() {
    return config;
  }

  /**
   * Runs one contactless purchase with the card on {@code card}. A torn exchange, a card error or
   * malformed card data is an outcome ({@link PosOutcome.Result#END_APPLICATION}), never an exception.
   *
   * @param amount positive, in the terminal's currency, at most 12 digits
   * @return the outcome, whose journal entry is already on disk (unless its reason is {@link
   *     Reason#JOURNAL_FAILED}, which is never an approval); never null
   * @throws PosException when the amount is not one this terminal can charge (nothing is sent)
   */
  public PosOutcome charge(CardChannel card, Money amount) {
    if (amount == null || !amount.currency().equals(config.currency()) || !RiskRules.amountFits(amount.amountMinor())) {
      throw new PosException("amount " + amount + " is not a positive " + config.currency().alphaCode()
          + " amount of at most 12 digits");
    }
    Txn t = new Txn(Assert.notNull(card, "card"), amount, journal.nextSequence());
    Ending end;
    try {
      end = run(t);
    } catch (Ending e) {
      end = e;
    } catch (CardGoneException e) {
      end = new Ending(Reason.CARD_TORN, e.getMessage());
    } catch (InvalidInputException e) {
      end = new Ending(Reason.MALFORMED_CARD_DATA, e.getMessage());
    }
    return finish(t, end);
  }

  private Ending run(Txn t) {
    List<Candidate> candidates = EmvData.candidates(t.expect(Command.SELECT_PPSE, select(PPSE), "SELECT PPSE"),
        config.supportedAids());
    if (candidates.isEmpty()) {
      return new Ending(Reason.NO_CONTACTLESS_APPLICATION, "no supported AID in the PPSE");
    }
    selectApplication(t, candidates);
    processingOptions(t);
    readRecords(t);
    cardData(t);
    processingRestrictions(t);
    cardholderVerification(t);
    terminalRiskManagement(t);
    boolean fdda = oda != null && (t.aip[0] & AIP_DDA_SUPPORTED) != 0;
    if (!fdda) {
      t.tvr.set(Bit.ODA_NOT_PERFORMED); // no ODA method both the card and this terminal perform (docs §4)
    }
    Request request = RiskRules.firstAction(t.tvr, config, t.iac(0x9F0E, RiskRules.IAC_DENIAL_ABSENT),
        t.iac(0x9F0F, RiskRules.IAC_ONLINE_ABSENT));
    t.first = generateAc(t, request, t.cdol1.build(t::valueOf));
    t.tsi |= TSI_CARD_RISK_MANAGEMENT;
    if (fdda && !fastDda(t)) {
      return odaFailed(t);
    }
    return switch (t.first.type()) {
      case 0x00 -> new Ending(request == Request.AAC ? Reason.DECLINED_BY_TERMINAL : Reason.DECLINED_BY_CARD,
          "first GENERATE AC gave an AAC (TVR " + t.tvr + ")");
      case 0x40 -> new Ending(Reason.APPROVED_OFFLINE, "the card approved offline");
      default -> online(t);
    };
  }

  // ---- application selection, GPO, records -------------------------------------------------

  private static CommandApdu select(byte[] name) {
    return new CommandApdu(0x00, 0xA4, 0x04, 0x00, name, 256);
  }

  private void selectApplication(Txn t, List<Candidate> candidates) {
    for (Candidate c : candidates) {
      ResponseApdu fci = t.send(select(c.aid()));
      switch (CardSw.action(Command.SELECT_AID, fci.sw())) {
        case CONTINUE -> {
          t.aid = c.aid();
          t.pdol = EmvData.pdolOfFci(fci.data(), c.aid());
          return;
        }
        case NEXT_APPLICATION -> LOG.debug("Application not selectable [aid={}, sw={}]", Hex.encode(c.aid()),
            String.format("%04X", fci.sw()));
        default -> throw t.stop(Command.SELECT_AID, fci.sw());
      }
    }
    throw new Ending(Reason.NO_APPLICATION_SELECTED, "no candidate application could be selected");
  }

  private void processingOptions(Txn t) {
    Dol pdol = Dol.parse(t.pdol);
    if (pdol.dataLength() > DOL_DATA_BYTES_MAX) {
      throw new PosException("PDOL asks for " + pdol.dataLength() + " bytes, more than " + DOL_DATA_BYTES_MAX);
    }
    byte[] data = pdol.build(t::valueOf);
    byte[] field = new byte[data.length + 2];
    field[0] = (byte) 0x83;
    field[1] = (byte) data.length;
    System.arraycopy(data, 0, field, 2, data.length);
    EmvData.ProcessingOptions options = EmvData.processingOptions(
        t.expect(Command.GET_PROCESSING_OPTIONS, new CommandApdu(0x80, 0xA8, 0x00, 0x00, field, 256), "GPO"));
    t.aip = options.aip();
    t.afl = options.afl();
    t.values.put(0x82, t.aip);
  }

  private void readRecords(Txn t) {
    Map<Integer, byte[]> card = new HashMap<>();
    for (int i = 0; i < t.afl.length; i += 4) {
      int sfi = (t.afl[i] & 0xFF) >> 3;
      for (int record = t.afl[i + 1] & 0xFF; record <= (t.afl[i + 2] & 0xFF); record++) {
        byte[] data = t.expect(Command.READ_RECORD,
            new CommandApdu(0x00, 0xB2, record, (sfi << 3) | 4, new byte[0], 256), "READ RECORD");
        t.records.add(EmvData.readRecord(data, card));
        if (record - (t.afl[i + 1] & 0xFF) < (t.afl[i + 3] & 0xFF)) {
          // Marked for ODA: SFI 1..10 contribute their template's value (EMV Book 3 §10.3).
          t.staticData.writeBytes(sfi <= 10 ? EmvData.templateValue(data) : data);
        }
      }
    }
    for (Map.Entry<Integer, byte[]> e : card.entrySet()) {
      t.values.putIfAbsent(e.getKey(), e.getValue()); // terminal data wins: the card cannot set the TVR
    }
    t.cardValues = card;
  }

  /** PAN, PSN, CDOLs: what the rest of the transaction needs from the records. */
  private void cardData(Txn t) {
    byte[] pan = t.cardValue(0x5A);
    if (pan == null || pan.length < 6 || pan.length > 10) {
      throw new PosException("records hold no PAN (5A) of 6..10 bytes");
    }
    String digits = Hex.encode(pan).toUpperCase();
    int end = digits.indexOf('F');
    t.pan = Pan.of(end < 0 ? digits : digits.substring(0, end));
    byte[] psn = t.cardValue(0x5F34);
    t.panSequence = psn == null || psn.length != 1 ? 0 : (int) Bcd.decode(psn);
    t.cdol1 = dol(t.cardValue(0x8C), "CDOL1");
    t.cdol2 = dol(t.cardValue(0x8D), "CDOL2");
    byte[] expiry = t.cardValue(0x5F24);
    if (expiry == null || expiry.length != 3) {
      throw new PosException("records hold no expiry date (5F24)");
    }
    t.expiry = Bcd.decodeDate(expiry);
  }

  private static Dol dol(byte[] list, String name) {
    if (list == null) {
      throw new PosException("records hold no " + name);
    }
    Dol dol = Dol.parse(list);
    if (dol.dataLength() > DOL_DATA_BYTES_MAX) {
      throw new PosException(name + " asks for " + dol.dataLength() + " bytes, more than " + DOL_DATA_BYTES_MAX);
    }
    return dol;
  }

  // ---- restrictions, CVM, terminal risk management --------------------------------------------

  /** Expiry, effective date and the application usage control (EMV Book 3 §10.4). */
  private void processingRestrictions(Txn t) {
    if (t.date.isAfter(t.expiry)) {
      t.tvr.set(Bit.EXPIRED_APPLICATION);
    }
    byte[] effective = t.cardValue(0x5F25);
    if (effective != null && effective.length == 3 && t.date.isBefore(Bcd.decodeDate(effective))) {
      t.tvr.set(Bit.APPLICATION_NOT_YET_EFFECTIVE);
    }
    byte[] auc = t.cardValue(0x9F07);
    if (auc == null || auc.length != 2) {
      return;
    }
    byte[] issuerCountry = t.cardValue(0x5F28);
    boolean domestic = issuerCountry != null && Arrays.equals(issuerCountry, t.values.get(0x9F1A));
    int goodsOrServices = domestic ? 0x20 | 0x08 : 0x10 | 0x04;
    if ((auc[0] & 0x01) == 0 || (auc[0] & goodsOrServices) == 0) {
      t.tvr.set(Bit.SERVICE_NOT_ALLOWED);
    }
  }

  /** At or above the CVM limit the card's CVM list is processed (EMV Book 3 §10.5); below it no CVM. */
  private void cardholderVerification(Txn t) {
    if (t.amount.amountMinor() < config.cvmLimitMinor() || (t.aip[0] & AIP_CVM_SUPPORTED) == 0) {
      t.cvm = Cvm.NO_CVM;
      t.cvmResults = Hex.decode("3F0002");
      return;
    }
    t.tsi |= TSI_CVM_PERFORMED;
    byte[] list = t.cardValue(0x8E);
    if (list == null) {
      t.tvr.set(Bit.ICC_DATA_MISSING);
      failCvm(t, Hex.decode("3F0001"));
      return;
    }
    RiskRules.checkCvmList(list);
    long x = RiskRules.amountX(list);
    long y = RiskRules.amountY(list);
    byte[] currency = t.cardValue(0x9F42);
    boolean sameCurrency = currency != null && Arrays.equals(currency, t.values.get(0x5F2A));
    for (int i = 8; i < list.length; i += 2) {
      int code = list[i] & 0xFF;
      int condition = list[i + 1] & 0xFF;
      Method method = Method.of(code & 0x3F);
      if (!RiskRules.conditionHolds(condition, method, config, t.amount.amountMinor(), x, y, sameCurrency)) {
        continue;
      }
      byte[] results = {(byte) code, (byte) condition, 0};
      if (attempt(t, method, results)) {
        return;
      }
      if ((code & 0x40) == 0) {
        failCvm(t, results);
        return;
      }
    }
    failCvm(t, Hex.decode("3F0001"));
  }

  /** Performs one CVM; true when it succeeded (then {@code t.cvm} is set). */
  private boolean attempt(Txn t, Method method, byte[] results) {
    if (method == null) {
      t.tvr.set(Bit.UNRECOGNISED_CVM);
      return false;
    }
    if (!RiskRules.supports(config, method)) {
      return false;
    }
    Cvm cvm = switch (method) {
      case NO_CVM_REQUIRED -> Cvm.NO_CVM;
      case SIGNATURE -> Cvm.SIGNATURE;
      case ENCIPHERED_PIN_ONLINE -> onlinePin(t) ? Cvm.ONLINE_PIN : null;
      case FAIL, PLAINTEXT_PIN_BY_ICC, PLAINTEXT_PIN_BY_ICC_AND_SIGNATURE, ENCIPHERED_PIN_BY_ICC,
          ENCIPHERED_PIN_BY_ICC_AND_SIGNATURE -> null;
    };
    if (cvm == null) {
      return false;
    }
    results[2] = (byte) (cvm == Cvm.NO_CVM ? 0x02 : 0x00); // 02 successful; 00 unknown (decided later)
    t.cvm = cvm;
    t.cvmResults = results;
    return true;
  }

  private boolean onlinePin(Txn t) {
    if (pinPad == PinPad.NONE) {
      t.tvr.set(Bit.PIN_PAD_NOT_PRESENT);
      return false;
    }
    Optional<PinBlock> block;
    try {
      block = pinPad.enterOnlinePin(t.amount, t.pan);
    } catch (RuntimeException e) {
      LOG.warn("PIN pad failed [terminal={}, detail={}]", config.terminalId(), e.getMessage());
      t.tvr.set(Bit.PIN_PAD_NOT_PRESENT); // "not present or not working"
      return false;
    }
    if (block.isEmpty()) {
      t.tvr.set(Bit.PIN_NOT_ENTERED);
      return false;
    }
    t.tvr.set(Bit.ONLINE_PIN_ENTERED);
    t.pinBlock = block.get();
    return true;
  }

  private static void failCvm(Txn t, byte[] results) {
    results[2] = 0x01;
    t.tvr.set(Bit.CVM_NOT_SUCCESSFUL);
    t.cvm = Cvm.FAILED;
    t.cvmResults = results;
  }

  /** Exception file, floor limit, random selection (EMV Book 3 §10.6); velocity is left to the card. */
  private void terminalRiskManagement(Txn t) {
    if (config.exceptionFile().contains(t.pan)) {
      t.tvr.set(Bit.CARD_ON_EXCEPTION_FILE);
    }
    if ((t.aip[0] & AIP_TRM_TO_BE_PERFORMED) == 0) {
      return;
    }
    t.tsi |= TSI_TERMINAL_RISK_MANAGEMENT;
    long amount = t.amount.amountMinor();
    if (amount >= config.floorLimitMinor()) {
      t.tvr.set(Bit.EXCEEDS_FLOOR_LIMIT);
    } else if (RiskRules.selectedRandomly(amount, config.floorLimitMinor(), config.randomSelection(),
        selection.nextInt(1, 100))) {
      t.tvr.set(Bit.SELECTED_RANDOMLY);
    }
  }

  // ---- fDDA ------------------------------------------------------------------------------------

  /**
   * Verifies the first GENERATE AC's 9F4B over 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69 with the certificates of
   * the records (docs/oda.md). The suite is the one of the card's cryptogram version (IAD byte 3).
   *
   * @return true when it verified; otherwise the TVR bit of the reason is set
   */
  private boolean fastDda(Txn t) {
    t.tsi |= TSI_ODA_PERFORMED;
    byte[] iad = t.first.iad();
    AlgorithmSuite suite = iad.length < 3 ? null : switch (iad[2]) {
      case 0x01 -> AlgorithmSuite.INTERNATIONAL;
      case 0x04 -> AlgorithmSuite.NATIONAL;
      default -> null;
    };
    OdaResult result;
    if (suite == null || t.first.cardAuthenticationData() == null || t.first.signedDynamicData() == null
        || t.first.cardAuthenticationData().length != FddaData.CARD_AUTHENTICATION_DATA_BYTES) {
      result = new OdaResult.Refused(OdaReason.DATA_MISSING, "no cryptogram version, 9F69 or 9F4B for fDDA");
    } else {
      CardOdaData card = CardOdaData.fromRecords(Arrays.copyOf(t.aid, 5), t.records, t.staticData.toByteArray());
      FddaData data = new FddaData(t.values.get(0x9F37), t.values.get(0x9F02), t.values.get(0x5F2A),
          t.first.cardAuthenticationData());
      result = oda.verifyFdda(suite, card, data, t.first.signedDynamicData(), t.date);
    }
    if (result instanceof OdaResult.Refused refused) {
      t.tvr.set(refused.reason() == OdaReason.DATA_MISSING ? Bit.ICC_DATA_MISSING : Bit.DDA_FAILED);
      t.odaFailure = refused.reason() + ": " + refused.detail();
      return false;
    }
    return true;
  }

  /**
   * fDDA failed: the card is not sent online. An ARQC is closed with a second GENERATE AC asking for
   * an AAC (ARC "Z1", declined offline), so the card does not count the transaction as pending.
   */
  private Ending odaFailed(Txn t) {
    LOG.info("fDDA failed [terminal={}, sequence={}, card={}, detail={}]", config.terminalId(), t.sequence,
        t.pan.masked(), t.odaFailure);
    if (t.first.type() == 0x80) {
      t.values.put(0x9F36, new byte[] {(byte) (t.first.atc() >> 8), (byte) t.first.atc()});
      t.second = generateAc(t, Request.AAC, cdol2Data(t, ARC_OFFLINE_DECLINED));
    }
    return new Ending(Reason.DECLINED_ODA_FAILED, "fDDA failed: " + t.odaFailure);
  }

  // ---- GENERATE AC and the online part -------------------------------------------------------

  private Ac generateAc(Txn t, Request request, byte[] cdolData) {
    Ac ac = EmvData.generateAcResponse(t.expect(Command.GENERATE_AC,
        new CommandApdu(0x80, 0xAE, request.p1, 0x00, cdolData, 256), "GENERATE AC"));
    if (!request.allows(ac.type())) {
      throw new PosException("GENERATE AC: the card answered CID " + Integer.toHexString(ac.cid()) + " to a "
          + request + " request");
    }
    if (t.first != null && ac.atc() != t.first.atc()) {
      throw new PosException("second GENERATE AC: ATC " + ac.atc() + " differs from the first's " + t.first.atc());
    }
    return ac;
  }

  private Ending online(Txn t) {
    t.values.put(0x9F26, t.first.cryptogram());
    t.values.put(0x9F27, new byte[] {(byte) t.first.cid()});
    t.values.put(0x9F10, t.first.iad());
    t.values.put(0x9F36, new byte[] {(byte) (t.first.atc() >> 8), (byte) t.first.atc()});
    t.values.put(0x9F34, t.cvmResults);
    t.values.put(0x84, t.aid);
    t.values.put(0x95, t.tvr.bytes()); // unchanged since the first GENERATE AC: the TVR the ARQC covers
    AuthorisationRequest request = new AuthorisationRequest(field55(t), t.amount, t.pan, t.panSequence,
        config.terminalId(), config.merchantId(), t.sequence, t.pinBlock, YearMonth.from(t.expiry));
    t.authorisation = Authorisation.PENDING;
    try {
      journal.append(entry(t, PosJournal.Stage.ONLINE_REQUEST, null));
    } catch (UncheckedIOException e) {
      t.authorisation = Authorisation.NOT_SENT; // never sent: nothing to reverse
      throw new Ending(Reason.JOURNAL_FAILED, "the online request could not be journaled: " + e.getMessage());
    }
    AuthorisationResponse response;
    try {
      response = authoriser.authorise(request);
    } catch (RuntimeException e) {
      response = new AuthorisationResponse.NoAnswer("authoriser failed: " + e.getMessage());
    }
    if (response == null) {
      response = new AuthorisationResponse.NoAnswer("authoriser answered null");
    }
    return switch (response) {
      case AuthorisationResponse.Answered a -> answered(t, a);
      case AuthorisationResponse.NoAnswer n -> unanswered(t, n);
    };
  }

  private byte[] field55(Txn t) {
    List<Tlv> objects = new ArrayList<>(FIELD_55_TAGS.length);
    for (int tag : FIELD_55_TAGS) {
      byte[] value = t.values.get(tag);
      if (value != null) {
        objects.add(Tlv.primitive(Tag.of(tag), value));
      }
    }
    return BerTlv.encode(objects);
  }

  private Ending answered(Txn t, AuthorisationResponse.Answered a) {
    t.authorisation = a.approved() ? Authorisation.APPROVED : Authorisation.DECLINED;
    t.arc = a.arc();
    IssuerData issuer;
    try {
      issuer = EmvData.issuerData(a.issuerData());
    } catch (InvalidInputException e) {
      LOG.warn("Issuer data unusable [terminal={}, sequence={}, detail={}]", config.terminalId(), t.sequence,
          e.getMessage());
      t.tvr.set(Bit.ISSUER_AUTHENTICATION_FAILED);
      issuer = EmvData.IssuerData.NONE;
    }
    issuerAuthentication(t, issuer.authenticationData());
    scripts(t, issuer.before(), Bit.SCRIPT_FAILED_BEFORE_FINAL_AC);
    t.second = generateAc(t, a.approved() ? Request.TC : Request.AAC, cdol2Data(t, a.arc()));
    scriptsAfterFinalAc(t, issuer.after());
    if (t.second.type() == 0x40) {
      return new Ending(Reason.APPROVED_ONLINE, "issuer and card approved");
    }
    return a.approved()
        ? new Ending(Reason.DECLINED_AFTER_ISSUER_APPROVAL, "the card declined after the issuer approved (TVR " + t.tvr + ")")
        : new Ending(Reason.DECLINED_BY_ISSUER, "issuer declined with ARC " + arcText(a.arc()));
  }

  private Ending unanswered(Txn t, AuthorisationResponse.NoAnswer n) {
    LOG.info("No answer from the issuer [terminal={}, sequence={}, card={}, detail={}]", config.terminalId(),
        t.sequence, t.pan.masked(), n.detail());
    t.authorisation = Authorisation.NO_ANSWER;
    t.arc = ARC_UNABLE_TO_GO_ONLINE;
    Request request = RiskRules.defaultAction(t.tvr, config, t.iac(0x9F0D, RiskRules.IAC_ONLINE_ABSENT));
    t.second = generateAc(t, request, cdol2Data(t, ARC_UNABLE_TO_GO_ONLINE));
    return t.second.type() == 0x40
        ? new Ending(Reason.APPROVED_UNABLE_TO_GO_ONLINE, "no answer from the issuer; the card approved offline")
        : new Ending(Reason.DECLINED_UNABLE_TO_GO_ONLINE, "no answer from the issuer; declined");
  }

  private byte[] cdol2Data(Txn t, byte[] arc) {
    t.values.put(0x8A, arc);
    t.values.put(0x95, t.tvr.bytes());
    return t.cdol2.build(t::valueOf);
  }

  /** Issuer authentication: EXTERNAL AUTHENTICATE when the AIP says so, else 91 goes in CDOL2 if it asks. */
  private void issuerAuthentication(Txn t, byte[] authenticationData) {
    if (authenticationData == null) {
      return;
    }
    if ((t.aip[0] & AIP_ISSUER_AUTHENTICATION) == 0) {
      t.values.put(0x91, authenticationData);
      return;
    }
    t.tsi |= TSI_ISSUER_AUTHENTICATION;
    ResponseApdu r = t.send(new CommandApdu(0x00, 0x82, 0x00, 0x00, authenticationData, 0));
    if (CardSw.action(Command.EXTERNAL_AUTHENTICATE, r.sw()) != Action.CONTINUE) {
      t.tvr.set(Bit.ISSUER_AUTHENTICATION_FAILED);
    }
  }

  private void scripts(Txn t, List<List<CommandApdu>> scripts, Bit failedBit) {
    for (List<CommandApdu> script : scripts) {
      t.tsi |= TSI_SCRIPT_PROCESSING;
      for (CommandApdu command : script) {
        ResponseApdu r = t.send(command);
        if (CardSw.action(Command.ISSUER_SCRIPT, r.sw()) != Action.CONTINUE) {
          t.tvr.set(failedBit);
          t.scriptsFailed++;
          break;
        }
        t.scriptsApplied++;
      }
    }
  }

  /** Scripts after the final GENERATE AC: the card's decision is made, so a tear only fails the scripts. */
  private void scriptsAfterFinalAc(Txn t, List<List<CommandApdu>> scripts) {
    try {
      scripts(t, scripts, Bit.SCRIPT_FAILED_AFTER_FINAL_AC);
    } catch (CardGoneException e) {
      t.tvr.set(Bit.SCRIPT_FAILED_AFTER_FINAL_AC);
      t.scriptsFailed++;
    }
  }

  // ---- the end: journal, then outcome ----------------------------------------------------------

  private PosOutcome finish(Txn t, Ending end) {
    Reason reason = end.reason;
    boolean approved = reason.result() == PosOutcome.Result.APPROVED;
    t.reversal = t.authorisation == Authorisation.NO_ANSWER
        || (t.authorisation == Authorisation.APPROVED && !approved)
        || t.authorisation == Authorisation.PENDING;
    if (t.authorisation == Authorisation.PENDING) {
      t.authorisation = Authorisation.NO_ANSWER; // stopped while online: the answer never reached the card
    }
    PosJournal.Entry entry = entry(t, PosJournal.Stage.FINAL, reason);
    String detail = end.getMessage();
    try {
      journal.append(entry); // before the outcome: an approval not on disk is never shown
    } catch (UncheckedIOException e) {
      reason = Reason.JOURNAL_FAILED;
      detail = "journal append failed: " + e.getMessage() + " (after: " + end.getMessage() + ")";
    }
    LOG.debug("Transaction ended [terminal={}, sequence={}, card={}, reason={}, tvr={}, commands={}]",
        config.terminalId(), t.sequence, t.pan == null ? "-" : t.pan.masked(), reason, t.tvr, t.commands);
    return new PosOutcome(reason.result(), reason, t.cvm, detail, entry, t.commands);
  }

  private PosJournal.Entry entry(Txn t, PosJournal.Stage stage, Reason reason) {
    return new PosJournal.Entry(config.terminalId(), t.sequence, stage, clock.now(), t.amount.amountMinor(),
        t.amount.currency().alphaCode(), t.pan == null ? "" : t.pan.masked(), t.pan == null ? "" : panToken(t.pan),
        t.panSequence, t.aid == null ? "" : Hex.encode(t.aid).toUpperCase(), t.first == null ? -1 : t.first.atc(),
        t.tvr.toString(), String.format("%02X00", t.tsi), t.cvm, t.first == null ? -1 : t.first.cid(),
        t.first == null ? "" : Hex.encode(t.first.cryptogram()).toUpperCase(), t.authorisation,
        t.arc == null ? "" : Hex.encode(t.arc).toUpperCase(), t.second == null ? -1 : t.second.cid(),
        t.second == null ? "" : Hex.encode(t.second.cryptogram()).toUpperCase(), t.scriptsApplied, t.scriptsFailed,
        reason, stage == PosJournal.Stage.FINAL ? t.reversal : false);
  }

  /** HMAC-SHA-256 of the PAN under the terminal's token key, first 16 bytes: joins entries of one card, reveals no PAN. */
  private String panToken(Pan pan) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(config.panTokenKey().value(), "HmacSHA256"));
      return Hex.encode(Arrays.copyOf(mac.doFinal(pan.digits().getBytes(StandardCharsets.US_ASCII)), 16));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static String arcText(byte[] arc) {
    return new String(arc, StandardCharsets.ISO_8859_1);
  }

  /** One transaction's state; the kernel's only mutable data. */
  private final class Txn {
    final CardChannel card;
    final Money amount;
    final long sequence;
    final LocalDate date;
    final Map<Integer, byte[]> values = new HashMap<>();
    Map<Integer, byte[]> cardValues = Map.of();
    final List<Tlv> records = new ArrayList<>();
    final java.io.ByteArrayOutputStream staticData = new java.io.ByteArrayOutputStream();
    String odaFailure;
    final Tvr tvr = new Tvr();
    int tsi;
    int commands;
    byte[] aid;
    byte[] pdol;
    byte[] aip;
    byte[] afl;
    Pan pan;
    int panSequence;
    LocalDate expiry;
    Dol cdol1;
    Dol cdol2;
    Cvm cvm = Cvm.NOT_PERFORMED;
    byte[] cvmResults = Hex.decode("3F0000");
    PinBlock pinBlock;
    Ac first;
    Ac second;
    Authorisation authorisation = Authorisation.NOT_SENT;
    byte[] arc;
    int scriptsApplied;
    int scriptsFailed;
    boolean reversal;

    Txn(CardChannel card, Money amount, long sequence) {
      this.card = card;
      this.amount = amount;
      this.sequence = sequence;
      ZoneId zone = clock.rule().zone();
      this.date = LocalDate.ofInstant(clock.now(), zone);
      byte[] un = new byte[4];
      unpredictable.nextBytes(un);
      values.put(0x9F02, Bcd.encodeAmount(amount.amountMinor()));
      values.put(0x9F03, new byte[6]);
      values.put(0x9F1A, Bcd.encode(config.countryCode(), 4));
      values.put(0x5F2A, Bcd.encode(config.currency().numericCode(), 4));
      values.put(0x9A, Bcd.encodeDate(date));
      values.put(0x9C, new byte[1]); // purchase of goods or services
      values.put(0x9F37, un);
      values.put(0x9F66, TTQ);
      values.put(0x9F35, new byte[] {TERMINAL_TYPE});
      values.put(0x9F33, new byte[] {0x20, (byte) ((config.onlinePinSupported() ? 0x40 : 0)
          | (config.signatureSupported() ? 0x20 : 0) | 0x08), 0x00});
      values.put(0x9F1C, config.terminalId().getBytes(StandardCharsets.US_ASCII));
      values.put(0x9F16, config.merchantId().getBytes(StandardCharsets.US_ASCII));
    }

    /** The DOL source: terminal data, card data, and the TVR as it is now. */
    Optional<byte[]> valueOf(Tag tag) {
      if (tag.value() == 0x95) {
        return Optional.of(tvr.bytes());
      }
      return Optional.ofNullable(values.get(tag.value()));
    }

    byte[] cardValue(int tag) {
      return cardValues.get(tag);
    }

    byte[] iac(int tag, byte[] absent) {
      byte[] iac = cardValue(tag);
      return iac != null && iac.length == Tvr.LENGTH_BYTES ? iac : absent;
    }

    ResponseApdu send(CommandApdu command) {
      commands++;
      return card.transmit(command);
    }

    /** Sends and returns the data on 9000; any other status word ends the transaction per {@link CardSw}. */
    byte[] expect(Command name, CommandApdu command, String what) {
      ResponseApdu r = send(command);
      if (CardSw.action(name, r.sw()) == Action.CONTINUE) {
        return r.data();
      }
      throw stop(name, r.sw());
    }

    Ending stop(Command name, int sw) {
      String detail = name + " returned SW " + String.format("%04X", sw);
      return switch (CardSw.action(name, sw)) {
        case TRY_ANOTHER_INTERFACE -> new Ending(name == Command.SELECT_PPSE ? Reason.NO_CONTACTLESS_APPLICATION
            : Reason.CARD_ASKS_OTHER_INTERFACE, detail);
        case CONTINUE, NEXT_APPLICATION, END_APPLICATION, ISSUER_AUTHENTICATION_FAILED, SCRIPT_FAILED ->
            new Ending(Reason.CARD_ERROR, detail);
      };
    }
  }

  /** How a transaction ends; thrown to leave the flow early, returned at its natural end. */
  private static final class Ending extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Reason reason;

    Ending(Reason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }
}
