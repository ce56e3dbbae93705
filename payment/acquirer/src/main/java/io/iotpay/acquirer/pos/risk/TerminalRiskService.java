package io.iotpay.acquirer.pos.risk;

import io.iotpay.acquirer.pos.merchant.OnboardingException;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Terminal;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.merchant.TransactPermission;
import io.iotpay.acquirer.pos.online.TerminalRiskCheck;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.store.Database;
import java.io.IOException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acquirer's terminal risk sensing (docs/phone-sdk.md, "Risk sensing"). Before each payment a
 * phone asks for a {@link #nonce}, has its SE sign an attestation token over it and presents the
 * token to {@link #attest}: signature under the terminal's enrolled certificate, the token's
 * terminal id, nonce fresh and single-use, SE counter increasing, integrity digest on the allow-list,
 * device state, and travel since the last attestation. An approval admits the terminal's next
 * payment once; the host asks {@link #refusal} (the {@link TerminalRiskCheck} hook) at payment time,
 * which also applies merchant velocity and refunds above sales. Every verdict but a plain admission
 * is recorded in the store ({@link #events}); a BLOCK blocks the terminal through the onboarding
 * service, which audits it.
 */
public final class TerminalRiskService implements TerminalRiskCheck {
  private static final Logger LOG = LoggerFactory.getLogger(TerminalRiskService.class);
  static final String ACTOR = "risk-sensing";
  static final String ATTESTATION = "ATTESTATION";
  static final String PAYMENT = "PAYMENT";
  private static final double EARTH_RADIUS_KM = 6_371.0;
  /**
   * Unused nonces one terminal may hold at once. A phone uses one per payment (a refused token may
   * leave one unused until it expires); the bound keeps a client that only asks from filling the store.
   */
  public static final int NONCES_OUTSTANDING_MAX = 16;

  private final RiskConfig config;
  private final RiskStore store;
  private final OnboardingService onboarding;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** @param database the risk store (Flyway component {@code acquirer-risk}); not closed here */
  public TerminalRiskService(RiskConfig config, Database database, OnboardingService onboarding, Clock clock) {
    this.config = Assert.notNull(config, "config");
    this.store = new RiskStore(Assert.notNull(database, "database"));
    this.onboarding = Assert.notNull(onboarding, "onboarding");
    this.clock = Assert.notNull(clock, "clock");
  }

  /**
   * A fresh nonce for the terminal's next attestation token; the terminal's expired nonces are forgotten.
   *
   * @throws OnboardingException UNKNOWN_TERMINAL for a terminal the acquirer never enrolled
   * @throws NonceLimitException when the terminal holds {@link #NONCES_OUTSTANDING_MAX} unused nonces
   */
  public byte[] nonce(TerminalId terminalId) {
    onboarding.terminal(terminalId);
    byte[] nonce = new byte[AttestationToken.NONCE_BYTES];
    random.nextBytes(nonce);
    long now = clock.millis();
    if (!store.issueNonce(Hex.encode(nonce), terminalId.value(), now, now - config.nonceTtlMs(), NONCES_OUTSTANDING_MAX)) {
      throw new NonceLimitException("terminal " + terminalId + " holds " + NONCES_OUTSTANDING_MAX
          + " unused nonces; they expire after " + config.nonceTtlMs() + " ms");
    }
    return nonce;
  }

  /**
   * Verifies the token {@code presenting} sends before a payment; an approval admits its next payment once.
   *
   * @return the verdict, recorded; never null
   * @throws RiskStoreException when the store fails (nothing is approved)
   */
  public RiskVerdict attest(TerminalId presenting, byte[] token) {
    Assert.notNull(presenting, "presenting");
    Terminal terminal;
    try {
      terminal = onboarding.terminal(presenting);
    } catch (OnboardingException e) {
      return RiskVerdict.of(RiskReason.TERMINAL_NOT_ALLOWED, "unknown terminal"); // nothing to record it against
    }
    String merchant = terminal.merchantId().value();
    RiskVerdict verdict = verify(terminal, merchant, token);
    react(presenting, ATTESTATION, verdict);
    return verdict;
  }

  /** The verdict, recorded: a token refused before its nonce is looked at here, one that verified by the store. */
  private RiskVerdict verify(Terminal terminal, String merchant, byte[] bytes) {
    Checked checked = checkBeforeNonce(terminal, bytes);
    if (checked.refusal() != null) {
      store.recordEvent(clock.millis(), terminal.id().value(), merchant, ATTESTATION, checked.refusal());
      return checked.refusal();
    }
    AttestationToken token = checked.token();
    long now = clock.millis();
    return store.attest(Hex.encode(token.nonce()), terminal.id().value(), merchant, now - config.nonceTtlMs(),
        token.counter(), token.latitudeMicro(), token.longitudeMicro(), now, now + config.approvalTtlMs(),
        (stale, before) -> stale != null ? RiskVerdict.of(stale, "counter " + token.counter()
            + (stale == RiskReason.COUNTER_NOT_INCREASING ? " not above "
                + before.map(RiskStore.TerminalRow::lastCounter).orElse(0L) : ", nonce unknown, expired or used"))
            : checkAfterNonce(token, before, now));
  }

  /** A token past the checks before its nonce, or the refusal that stopped it (exactly one is null). */
  private record Checked(AttestationToken token, RiskVerdict refusal) {
    static Checked refused(RiskReason reason, String detail) {
      return new Checked(null, RiskVerdict.of(reason, detail));
    }
  }

  /** Permission, form, terminal and signature. */
  private Checked checkBeforeNonce(Terminal terminal, byte[] bytes) {
    TransactPermission permission = onboarding.mayTransact(terminal.id());
    if (permission instanceof TransactPermission.Refused refused) {
      return Checked.refused(RiskReason.TERMINAL_NOT_ALLOWED, refused.reason() + ": " + refused.detail());
    }
    AttestationToken token;
    try {
      token = AttestationToken.parse(bytes);
    } catch (InvalidInputException e) {
      return Checked.refused(RiskReason.MALFORMED_TOKEN, e.getMessage());
    }
    if (!token.terminalId().equals(terminal.id().value())) {
      return Checked.refused(RiskReason.TOKEN_OF_ANOTHER_TERMINAL,
          "token of terminal " + token.terminalId() + " presented by " + terminal.id());
    }
    if (!signatureVerifies(terminal, token)) {
      return Checked.refused(RiskReason.BAD_SIGNATURE, "signature does not verify under the terminal certificate");
    }
    return new Checked(token, null);
  }

  /** Build, device state and travel, for a token whose nonce and counter held (inside the store's transaction). */
  private RiskVerdict checkAfterNonce(AttestationToken token, Optional<RiskStore.TerminalRow> before, long now) {
    if (!config.allows(token.integrityDigest())) {
      return RiskVerdict.of(RiskReason.UNKNOWN_SDK_BUILD, "integrity digest " + Hex.encode(token.integrityDigest())
          + " of SDK " + token.sdkMajor() + "." + token.sdkMinor() + " is not an allowed build");
    }
    if (token.deviceFlags() != 0) {
      return RiskVerdict.of(RiskReason.DEVICE_COMPROMISED, "device state flags " + Integer.toHexString(token.deviceFlags()));
    }
    if (before.isPresent() && before.get().locatedAtMs() != null) {
      RiskStore.TerminalRow last = before.get();
      double km = distanceKm(last.latitudeMicro(), last.longitudeMicro(), token.latitudeMicro(), token.longitudeMicro());
      double hours = Math.max(0, now - last.locatedAtMs()) / 3_600_000.0;
      if (km > config.slackKm() + config.speedKmhMax() * hours) {
        return RiskVerdict.of(RiskReason.IMPOSSIBLE_TRAVEL, String.format("moved %.0f km in %.0f s", km, hours * 3600));
      }
    }
    return RiskVerdict.of(RiskReason.OK, "attestation " + token.counter() + " verified");
  }

  private static boolean signatureVerifies(Terminal terminal, AttestationToken token) {
    try {
      PublicKey key = terminal.suite().signature().publicKeyFromDer(
          new X509CertificateHolder(terminal.certificateDer()).getSubjectPublicKeyInfo().getEncoded());
      return terminal.suite().signature().verify(key, token.signed(), token.signature());
    } catch (IOException | CryptoException e) {
      LOG.warn("Terminal certificate or signature unusable [terminal={}, detail={}]", terminal.id(), e.getMessage());
      return false;
    }
  }

  /** Great-circle distance (haversine) between two points in microdegrees. */
  static double distanceKm(int lat1, int lon1, int lat2, int lon2) {
    double p1 = Math.toRadians(lat1 / 1e6);
    double p2 = Math.toRadians(lat2 / 1e6);
    double dp = p2 - p1;
    double dl = Math.toRadians((lon2 - lon1) / 1e6);
    double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  @Override
  public Optional<String> refusal(Request request) {
    String terminal = request.terminalId().value();
    if (store.admitted(terminal, request.stan(), request.transmittedAt(), request.kind().name())) {
      return Optional.empty(); // a repeat of an admitted request: the host answers it from its store
    }
    long now = clock.millis();
    String businessDate = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
    RiskReason refused = store.admit(terminal, request.stan(), request.transmittedAt(), request.kind().name(),
        request.merchantId().value(), request.amountMinor(), businessDate, now, now - config.velocityWindowMs(),
        (activity, approvalUsable) -> {
          if (!approvalUsable) {
            return RiskReason.NO_FRESH_ATTESTATION;
          }
          if (activity.requestsSince() >= config.velocityMax()) {
            return RiskReason.VELOCITY;
          }
          if (request.kind() == Kind.REFUND
              && activity.refundedMinor() + request.amountMinor() > activity.purchasedMinor()) {
            return RiskReason.REFUNDS_ABOVE_SALES;
          }
          return null;
        });
    if (refused == null) {
      return Optional.empty();
    }
    RiskVerdict verdict = RiskVerdict.of(refused, request.kind() + " of " + request.amountMinor() + " (STAN "
        + request.stan() + ") refused");
    store.recordEvent(clock.millis(), request.terminalId().value(), request.merchantId().value(), PAYMENT, verdict);
    react(request.terminalId(), PAYMENT, verdict);
    return Optional.of(verdict.outcome() + " " + verdict.reason());
  }

  /** Every recorded verdict of a terminal, oldest first. */
  public List<RiskEvent> events(TerminalId terminalId) {
    return store.events(terminalId.value());
  }

  /** After the verdict is recorded: logged, and a BLOCK blocks the terminal in the registry. */
  private void react(TerminalId terminal, String stage, RiskVerdict verdict) {
    if (verdict.approved()) {
      LOG.debug("Attestation approved [terminal={}]", terminal);
      return;
    }
    LOG.info("Terminal risk verdict [terminal={}, stage={}, outcome={}, reason={}, detail={}]", terminal, stage,
        verdict.outcome(), verdict.reason(), verdict.detail());
    if (verdict.outcome() == RiskOutcome.BLOCK) {
      try {
        onboarding.blockTerminal(terminal, ACTOR, verdict.reason() + ": " + verdict.detail());
      } catch (OnboardingException e) {
        LOG.info("Terminal not blocked again [terminal={}, detail={}]", terminal, e.getMessage());
      }
    }
  }
}
