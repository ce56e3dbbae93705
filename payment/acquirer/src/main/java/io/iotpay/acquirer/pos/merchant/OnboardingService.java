package io.iotpay.acquirer.pos.merchant;

import io.iotpay.acquirer.pos.merchant.OnboardingException.Reason;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merchant onboarding at the acquirer: registration, the automatic review, the operator's decision,
 * suspension, and terminal enrolment with the terminal CA. Also the {@link TerminalAuthority} the
 * authorisation path asks.
 *
 * <p>State changes are serialised in this process (one lock) and compare-and-set in the store, so a
 * second node cannot move a merchant from a state it no longer has. Every change is an
 * {@link AuditEvent} written with it.
 */
public final class OnboardingService implements TerminalAuthority {
  private static final Logger LOG = LoggerFactory.getLogger(OnboardingService.class);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
  private static final Pattern OPERATOR_ID = Pattern.compile("[a-z0-9._-]{1,64}");
  /** Longest reason kept with a state change, characters. */
  public static final int REASON_CHARS_MAX = 256;
  /** Most merchants in one listing page. */
  public static final int PAGE_LIMIT_MAX = 1000;
  /** Attempts at a free random terminal id before giving up (10^8 ids; collisions are rare). */
  private static final int TERMINAL_ID_ATTEMPTS_MAX = 16;
  /** The subject kind of a merchant's state changes ({@link AuditEvent#subjectKind()}). */
  public static final String MERCHANT = "MERCHANT";
  /** The subject kind of a terminal's state changes. */
  public static final String TERMINAL = "TERMINAL";
  static final String APPLICANT = "applicant";
  static final String SYSTEM = "system";

  private final OnboardingStore store;
  private final OnboardingConfig config;
  private final KeyedHash keyedHash;
  private final SanctionsList sanctions;
  private final SettlementAccountCheck accountCheck;
  private final Map<AlgorithmSuite, TerminalCa> terminalCas;
  private final SecureRandom random = new SecureRandom();
  private final Object lock = new Object();

  /**
   * @param terminalCas the terminal CA of each suite the acquirer enrols terminals in (at least one)
   */
  public OnboardingService(OnboardingStore store, OnboardingConfig config, KeyedHash keyedHash, SanctionsList sanctions,
      SettlementAccountCheck accountCheck, List<TerminalCa> terminalCas) {
    this.store = Assert.notNull(store, "store");
    this.config = Assert.notNull(config, "config");
    this.keyedHash = Assert.notNull(keyedHash, "keyedHash");
    this.sanctions = Assert.notNull(sanctions, "sanctions");
    this.accountCheck = Assert.notNull(accountCheck, "accountCheck");
    Assert.that(terminalCas != null && !terminalCas.isEmpty(), "at least one terminal CA");
    this.terminalCas = new EnumMap<>(AlgorithmSuite.class);
    for (TerminalCa ca : terminalCas) {
      this.terminalCas.put(ca.suite(), ca);
    }
  }

  /** A registration's outcome: the merchant, and whether this request created it (false for a retry). */
  public record Registered(Merchant merchant, boolean created) {}

  /**
   * Registers a merchant and runs the automatic review at once. Retrying with the same request id
   * and the same content returns the same merchant (in its current state) and changes nothing.
   *
   * @param requestId the client's id of this request: 8..64 of [A-Za-z0-9._:-]
   * @throws OnboardingException INVALID_FIELD for a malformed request id, REQUEST_ID_REUSED when
   *     the id came before with other content
   */
  public Registered register(String requestId, Registration registration) {
    if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
      throw Fields.invalid("request_id", "must be 8..64 of A-Z a-z 0-9 . _ : -");
    }
    byte[] fingerprint = fingerprint(registration);
    synchronized (lock) {
      var seen = store.request(requestId);
      if (seen.isPresent()) {
        if (!MessageDigest.isEqual(seen.get().fingerprint(), fingerprint)) {
          throw new OnboardingException(Reason.REQUEST_ID_REUSED, "request id was used before for another registration");
        }
        return new Registered(merchant(seen.get().merchantId()), false);
      }
      Merchant merchant = create(requestId, registration, fingerprint);
      return new Registered(review(merchant, registration), true);
    }
  }

  private Merchant create(String requestId, Registration registration, byte[] fingerprint) {
    Instant now = config.clock().instant();
    MerchantId id = new MerchantId("m-" + HexFormat.of().toHexDigits(random.nextLong()));
    Merchant merchant = new Merchant(id, MerchantState.REGISTERED, registration.legalName(), registration.licenceNumber(),
        registration.ownerIdMasked(), registration.mcc(), registration.address(), registration.settlementAccount(), now, now, "");
    byte[] ownerHash = keyedHash.of(SanctionsList.HASH_DOMAIN, registration.ownerIdNumber());
    store.create(merchant, requestId, fingerprint, ownerHash, event(MERCHANT, id.value(), "", "REGISTERED", APPLICANT, now, ""));
    LOG.info("Merchant registered [merchant={}, mcc={}, owner={}, account={}]", id, registration.mcc(),
        registration.ownerIdMasked(), registration.settlementAccount().masked());
    return merchant;
  }

  /** REGISTERED → IN_REVIEW, the checks, then REJECTED on a hard failure, ACTIVATED when all pass, else stays for a human. */
  private Merchant review(Merchant registered, Registration registration) {
    Merchant inReview = move(registered, MerchantState.IN_REVIEW, SYSTEM, "automatic review started", List.of());
    List<Finding> findings = runChecks(inReview, registration);
    List<String> hardFailures = new ArrayList<>();
    boolean allPass = true;
    for (Finding finding : findings) {
      allPass &= finding.verdict() == Verdict.PASS;
      if (finding.verdict() == Verdict.FAIL && finding.check().hard()) {
        hardFailures.add(finding.check().name());
      }
    }
    if (!hardFailures.isEmpty()) {
      return move(inReview, MerchantState.REJECTED, SYSTEM, "automatic: failed " + String.join(", ", hardFailures), findings);
    }
    if (allPass) {
      return move(inReview, MerchantState.ACTIVATED, SYSTEM, "automatic: every check passed", findings);
    }
    Assert.that(store.update(inReview, MerchantState.IN_REVIEW, findings, null), "findings of {} not stored", inReview.id());
    LOG.info("Merchant awaits a human decision [merchant={}]", inReview.id());
    return inReview;
  }

  private List<Finding> runChecks(Merchant merchant, Registration registration) {
    Instant now = config.clock().instant();
    List<Finding> findings = new ArrayList<>(Check.values().length);
    boolean duplicate = store.licenceHeldByOther(merchant.licenceNumber(), merchant.id());
    findings.add(new Finding(Check.DUPLICATE_LICENCE, duplicate ? Verdict.FAIL : Verdict.PASS,
        duplicate ? "another merchant holds this business licence number" : "licence number not held by another merchant", now));
    boolean sanctioned = sanctions.contains(registration.ownerIdNumber());
    findings.add(new Finding(Check.SANCTIONS, sanctioned ? Verdict.FAIL : Verdict.PASS,
        sanctioned ? "owner's identity number is on the sanctions list" : "owner not on the sanctions list (" + sanctions.size() + " entries)", now));
    boolean served = config.servedMccs().contains(merchant.mcc());
    findings.add(new Finding(Check.MCC_SERVED, served ? Verdict.PASS : Verdict.FAIL,
        served ? "MCC " + merchant.mcc() + " is served" : "MCC " + merchant.mcc() + " is not served by this acquirer", now));
    findings.add(pennyTest(merchant, now));
    return findings;
  }

  private Finding pennyTest(Merchant merchant, Instant now) {
    AccountCheckResult result;
    try {
      result = Assert.notNull(accountCheck.check(merchant.settlementAccount()), "penny test result");
    } catch (RuntimeException e) {
      // A failing bank link is not the merchant's fault: a human decides (and may retry later).
      LOG.warn("Penny test failed to run [merchant={}, bank={}, exception={}]", merchant.id(),
          merchant.settlementAccount().bankId(), e.getClass().getSimpleName());
      result = new AccountCheckResult(Verdict.UNDECIDED, "penny test could not run");
    }
    return new Finding(Check.SETTLEMENT_ACCOUNT, result.verdict(), result.reason(), now);
  }

  private byte[] fingerprint(Registration r) {
    String canonical = String.join("\u0000", r.legalName(), r.licenceNumber(), r.ownerIdNumber(), r.mcc(), r.address(),
        r.settlementAccount().bankId(), r.settlementAccount().accountNumber());
    return keyedHash.of("registration", canonical);
  }

  /** @throws OnboardingException UNKNOWN_MERCHANT */
  public Merchant merchant(MerchantId id) {
    return store.merchant(id).orElseThrow(() -> new OnboardingException(Reason.UNKNOWN_MERCHANT, "no merchant " + id));
  }

  /** The findings of the merchant's reviews, oldest first. @throws OnboardingException UNKNOWN_MERCHANT */
  public List<Finding> findings(MerchantId id) {
    merchant(id);
    return store.findings(id);
  }

  /** The merchant's state changes, oldest first. @throws OnboardingException UNKNOWN_MERCHANT */
  public List<AuditEvent> history(MerchantId id) {
    merchant(id);
    return store.history(MERCHANT, id.value());
  }

  /** The state changes of a terminal, oldest first. @throws OnboardingException UNKNOWN_TERMINAL */
  public List<AuditEvent> history(TerminalId id) {
    terminal(id);
    return store.history(TERMINAL, id.value());
  }

  /**
   * One page of merchants in id order.
   *
   * @param limit 1..{@value #PAGE_LIMIT_MAX}
   * @throws OnboardingException INVALID_FIELD for a limit out of range or a bad search text
   */
  public List<Merchant> list(MerchantState state, String search, MerchantId after, int limit) {
    if (limit < 1 || limit > PAGE_LIMIT_MAX) {
      throw Fields.invalid("limit", "must be 1.." + PAGE_LIMIT_MAX);
    }
    String text = search == null ? null : Fields.text(search, "q", Registration.NAME_CHARS_MAX);
    return store.list(state, text, after, limit);
  }

  /**
   * The operator approves a merchant in review (the human decision for what the checks could not decide).
   *
   * @param operatorId who decided: 1..64 of [a-z0-9._-] (the HTTP gate's operator name)
   * @param reason why, 1..{@value #REASON_CHARS_MAX} characters: recorded with the change
   * @throws OnboardingException UNKNOWN_MERCHANT, ILLEGAL_TRANSITION, INVALID_FIELD (reason)
   */
  public Merchant approve(MerchantId id, String operatorId, String reason) {
    return decide(id, MerchantState.IN_REVIEW, MerchantState.ACTIVATED, operatorId, reason);
  }

  /** The operator rejects a merchant in review. */
  public Merchant reject(MerchantId id, String operatorId, String reason) {
    return decide(id, MerchantState.IN_REVIEW, MerchantState.REJECTED, operatorId, reason);
  }

  /** The operator suspends an activated merchant: its terminals cannot transact until reactivated. */
  public Merchant suspend(MerchantId id, String operatorId, String reason) {
    return decide(id, MerchantState.ACTIVATED, MerchantState.SUSPENDED, operatorId, reason);
  }

  /** The operator reactivates a suspended merchant. */
  public Merchant reactivate(MerchantId id, String operatorId, String reason) {
    return decide(id, MerchantState.SUSPENDED, MerchantState.ACTIVATED, operatorId, reason);
  }

  private Merchant decide(MerchantId id, MerchantState from, MerchantState to, String operatorId, String reason) {
    String actor = operatorActor(operatorId);
    String why = Fields.text(reason, "reason", REASON_CHARS_MAX);
    synchronized (lock) {
      Merchant current = merchant(id);
      // Approve and reactivate both lead to ACTIVATED; each only from its own state.
      if (current.state() != from) {
        throw new OnboardingException(Reason.ILLEGAL_TRANSITION,
            "this action moves a merchant from " + from + " to " + to + "; merchant " + id + " is " + current.state());
      }
      return move(current, to, actor, why, List.of());
    }
  }

  private static String operatorActor(String operatorId) {
    Assert.that(operatorId != null && OPERATOR_ID.matcher(operatorId).matches(), "operator id {} malformed", operatorId);
    return "operator:" + operatorId;
  }

  /** Moves a merchant (under {@link #lock}). @throws OnboardingException ILLEGAL_TRANSITION */
  private Merchant move(Merchant current, MerchantState to, String actor, String reason, List<Finding> findings) {
    if (!current.state().mayMoveTo(to)) {
      throw illegal(current.state(), to);
    }
    Instant now = config.clock().instant();
    Merchant moved = current.withState(to, now, reason);
    AuditEvent event = event(MERCHANT, current.id().value(), current.state().name(), to.name(), actor, now, reason);
    if (!store.update(moved, current.state(), findings, event)) {
      throw new OnboardingException(Reason.ILLEGAL_TRANSITION, "merchant " + current.id() + " changed state meanwhile; read it again");
    }
    LOG.info("Merchant state changed [merchant={}, from={}, to={}, actor={}]", current.id(), current.state(), to, actor);
    return moved;
  }

  private static OnboardingException illegal(MerchantState from, MerchantState to) {
    return new OnboardingException(Reason.ILLEGAL_TRANSITION, "a merchant cannot move from " + from + " to " + to);
  }

  private static AuditEvent event(String kind, String id, String from, String to, String actor, Instant at, String reason) {
    return new AuditEvent(kind, id, from, to, actor, at, reason);
  }

  /** What enrolment gives the phone. */
  public record Enrolment(Terminal terminal, X509Certificate certificate, X509Certificate caCertificate) {}

  /**
   * Enrols a phone of an activated merchant as a terminal from its CSR.
   *
   * @param suite the suite of the phone's key pair (ECDSA P-256 or SM2)
   * @throws OnboardingException UNKNOWN_MERCHANT, MERCHANT_NOT_ACTIVE, TERMINAL_LIMIT, CSR_INVALID
   *     (also for a suite this acquirer has no terminal CA for)
   */
  public Enrolment enrol(MerchantId merchantId, AlgorithmSuite suite, byte[] csrDer) {
    TerminalCa ca = terminalCas.get(suite);
    if (ca == null) {
      throw new OnboardingException(Reason.CSR_INVALID, "no terminal CA for suite " + suite);
    }
    PublicKey key = ca.verifyCsr(csrDer);
    synchronized (lock) {
      Merchant merchant = merchant(merchantId);
      if (merchant.state() != MerchantState.ACTIVATED) {
        throw new OnboardingException(Reason.MERCHANT_NOT_ACTIVE, "merchant " + merchantId + " is " + merchant.state() + ", not ACTIVATED");
      }
      if (store.terminals(merchantId).size() >= config.terminalsPerMerchantMax()) {
        throw new OnboardingException(Reason.TERMINAL_LIMIT, "merchant has " + config.terminalsPerMerchantMax() + " terminals already");
      }
      for (int attempt = 0; attempt < TERMINAL_ID_ATTEMPTS_MAX; attempt++) {
        TerminalId id = new TerminalId(String.format("%08d", random.nextInt(100_000_000)));
        Instant now = config.clock().instant();
        X509Certificate certificate = ca.issue(id, merchantId, key, now);
        Terminal terminal = new Terminal(id, merchantId, suite, TerminalState.ACTIVE, der(certificate), now, now, "");
        if (store.createTerminal(terminal, event(TERMINAL, id.value(), "", "ACTIVE", "merchant:" + merchantId, now, "enrolled"))) {
          LOG.info("Terminal enrolled [terminal={}, merchant={}, suite={}]", id, merchantId, suite);
          return new Enrolment(terminal, certificate, ca.certificate());
        }
      }
      throw new IllegalStateException("no free terminal id after " + TERMINAL_ID_ATTEMPTS_MAX + " attempts");
    }
  }

  /** The terminal CA certificate of a suite, if this acquirer enrols terminals in it. */
  public java.util.Optional<X509Certificate> caCertificate(AlgorithmSuite suite) {
    return java.util.Optional.ofNullable(terminalCas.get(suite)).map(TerminalCa::certificate);
  }

  /** @throws OnboardingException UNKNOWN_MERCHANT */
  public List<Terminal> terminals(MerchantId merchantId) {
    merchant(merchantId);
    return store.terminals(merchantId);
  }

  /** @throws OnboardingException UNKNOWN_TERMINAL */
  public Terminal terminal(TerminalId id) {
    return store.terminal(id).orElseThrow(() -> new OnboardingException(Reason.UNKNOWN_TERMINAL, "no terminal " + id));
  }

  /** The operator blocks a terminal; it cannot transact again. @throws OnboardingException UNKNOWN_TERMINAL, ILLEGAL_TRANSITION */
  public Terminal blockTerminal(TerminalId id, String operatorId, String reason) {
    String actor = operatorActor(operatorId);
    String why = Fields.text(reason, "reason", REASON_CHARS_MAX);
    synchronized (lock) {
      Terminal current = terminal(id);
      if (current.state() != TerminalState.ACTIVE) {
        throw new OnboardingException(Reason.ILLEGAL_TRANSITION, "terminal " + id + " is " + current.state() + " already");
      }
      Instant now = config.clock().instant();
      Terminal blocked = current.withState(TerminalState.BLOCKED, now, why);
      if (!store.updateTerminal(blocked, TerminalState.ACTIVE, event(TERMINAL, id.value(), "ACTIVE", "BLOCKED", actor, now, why))) {
        throw new OnboardingException(Reason.ILLEGAL_TRANSITION, "terminal " + id + " changed state meanwhile");
      }
      LOG.info("Terminal blocked [terminal={}, actor={}]", id, actor);
      return blocked;
    }
  }

  @Override
  public TransactPermission mayTransact(TerminalId terminalId) {
    var terminal = store.terminal(terminalId);
    if (terminal.isEmpty()) {
      return new TransactPermission.Refused(TransactPermission.RefusalReason.UNKNOWN_TERMINAL, "no terminal " + terminalId);
    }
    if (terminal.get().state() == TerminalState.BLOCKED) {
      return new TransactPermission.Refused(TransactPermission.RefusalReason.TERMINAL_BLOCKED, "terminal " + terminalId + " is blocked");
    }
    MerchantId merchantId = terminal.get().merchantId();
    MerchantState state = store.merchant(merchantId).map(Merchant::state).orElse(MerchantState.REJECTED);
    return switch (state) {
      case ACTIVATED -> new TransactPermission.Allowed(terminalId, merchantId);
      case SUSPENDED -> new TransactPermission.Refused(TransactPermission.RefusalReason.MERCHANT_SUSPENDED, "merchant " + merchantId + " is suspended");
      case REGISTERED, IN_REVIEW, REJECTED -> new TransactPermission.Refused(
          TransactPermission.RefusalReason.MERCHANT_NOT_ACTIVE, "merchant " + merchantId + " is " + state);
    };
  }

  private static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate just issued cannot be encoded", e);
    }
  }
}
