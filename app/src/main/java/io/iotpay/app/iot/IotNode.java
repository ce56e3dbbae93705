package io.iotpay.app.iot;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.issuer.authorisation.AuthorisationHost;
import io.iotpay.issuer.authorisation.AuthorisationHostConfig;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.decision.DecisionConfig;
import io.iotpay.platform.decision.PaymentDecisionService;
import io.iotpay.platform.decision.ProtocolAuthoriser;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.CounterStore;
import io.iotpay.platform.envelope.EnvelopeService;
import io.iotpay.platform.envelope.PlatformSigningKey;
import io.iotpay.platform.identity.DeviceCa;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.IdentityConfig;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.platform.inbox.PlatformInbox;
import io.iotpay.platform.inbox.SecurityEventLog;
import io.iotpay.platform.keys.OwnerOnlyFiles;
import io.iotpay.platform.keys.PlatformKeyStore;
import io.iotpay.platform.keys.PlatformKeys;
import io.iotpay.platform.mandate.MandateRegistry;
import io.iotpay.platform.mandate.MerchantDirectory;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.platform.risk.RiskEngine;
import io.iotpay.platform.rules.BillerDirectory;
import io.iotpay.platform.rules.BuiltInRules;
import io.iotpay.platform.rules.RuleEngine;
import io.iotpay.platform.state.DeviceStateConfig;
import io.iotpay.platform.state.DeviceStateRegistry;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One IoT payment platform node, composed from its parts on one database: the audit log and the
 * issuer's ledger, device CAs and answer keys for both suites, identity, envelope counters, device
 * state, merchants, billers, mandates, risk, payment decisions, the built-in rules and the inbox every
 * transport hands envelopes to. Payment decisions reach the issuer's {@link AuthorisationHost} as
 * authorisation messages over an in-process link (docs/authorisation.md); a network link can replace it. The composition root of {@code iotpay demo iot} and {@code iotpay serve}.
 */
public final class IotNode implements AutoCloseable {
  public final BusinessClock clock;
  public final AlgorithmSuite auditSuite;
  public final KeyPair auditKey;
  public final Database database;
  public final AuditLog auditLog;
  public final Ledger ledger;
  public final Map<AlgorithmSuite, DeviceCa> deviceCas = new EnumMap<>(AlgorithmSuite.class);
  public final Map<AlgorithmSuite, PlatformSigningKey> answerKeys = new EnumMap<>(AlgorithmSuite.class);
  public final IdentityService identity;
  public final EnvelopeService envelopes;
  public final DeviceStateRegistry states;
  public final MerchantDirectory merchants = new MerchantDirectory();
  public final BillerDirectory billers = new BillerDirectory();
  public final MandateRegistry mandates;
  public final RiskEngine risk;
  /** The issuer's side of holds, captures and releases, on {@link #ledger}. */
  public final AuthorisationHost authorisations;
  public final PaymentDecisionService decisions;
  public final RuleEngine rules;
  public final PlatformInbox inbox;
  /**
   * Each device's payload key. Held in memory for the node's life (the demo's devices get theirs at
   * enrolment); a production node keeps them wrapped under its master key like the issuer's key vault.
   */
  private final Map<DeviceId, SecretKeyBytes> payloadKeys = new ConcurrentHashMap<>();

  /**
   * Opens a node on the SQLite file {@code databaseFile} (created if missing) with throwaway device
   * CAs and answer keys made in memory (the demo's and the bench's node: nothing outlives it).
   *
   * @param auditKey the audit log's checkpoint-signing key, of {@code auditSuite}
   */
  public IotNode(Path databaseFile, BusinessClock clock, AlgorithmSuite auditSuite, KeyPair auditKey, RiskConfig riskConfig,
      SecureRandom random) throws Exception {
    this(databaseFile, clock, auditSuite, auditKey, PlatformKeys.generate(auditSuite, clock.now().minus(Duration.ofDays(1)), random),
        riskConfig, random);
  }

  /**
   * Opens a node on the SQLite file {@code databaseFile} (created if missing) with the long-lived
   * keys of {@code keys}: its audit key, device CAs and answer keys. The same keys on the same file
   * give the same node after a restart: the audit log verifies across it and registered devices stay
   * valid.
   *
   * @param keys the node's platform keys (e.g. from {@link PlatformKeyStore#openOrCreate}); never null
   */
  public IotNode(Path databaseFile, BusinessClock clock, PlatformKeys keys, RiskConfig riskConfig, SecureRandom random)
      throws Exception {
    this(databaseFile, clock, keys.auditSuite(), keys.auditKey(), keys, riskConfig, random);
  }

  private IotNode(Path databaseFile, BusinessClock clock, AlgorithmSuite auditSuite, KeyPair auditKey, PlatformKeys keys,
      RiskConfig riskConfig, SecureRandom random) throws Exception {
    this.clock = clock;
    this.auditSuite = auditSuite;
    this.auditKey = auditKey;
    OwnerOnlyFiles.restrictDatabase(databaseFile);
    this.database = Database.open("jdbc:sqlite:" + databaseFile, 4);
    this.auditLog = AuditLog.open(database, AuditLogConfig.of(auditSuite, auditKey).withClock(clock.asJavaClock()));
    this.ledger = Ledger.open(database, LedgerConfig.defaults(), clock.asJavaClock(), auditLog);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      deviceCas.put(suite, keys.deviceCa(suite, random));
      answerKeys.put(suite, keys.answerKey(suite));
    }
    this.identity = new IdentityService(new DeviceRegistry(database), deviceCas, IdentityConfig.defaults());
    this.envelopes = new EnvelopeService(identity, new CounterStore(database), answerKeys,
        id -> Optional.ofNullable(payloadKeys.get(id)), EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT, random);
    this.states = new DeviceStateRegistry(clock, DeviceStateConfig.defaults());
    this.mandates = MandateRegistry.open(database, clock, merchants);
    this.risk = new RiskEngine(states, clock, riskConfig);
    this.authorisations = new AuthorisationHost(ledger, AuthorisationHostConfig.defaults());
    this.decisions = new PaymentDecisionService(database, clock, mandates, merchants, risk,
        new ProtocolAuthoriser(inProcessLink(authorisations)), auditLog, DecisionConfig.defaults());
    this.rules = new RuleEngine(BuiltInRules.book(), billers);
    decisions.addListener(rules);
    rules.resume(decisions.openDecisions());
    this.inbox = new PlatformInbox(envelopes, states, rules, decisions, clock, new SecurityEventLog(10_000, 20));
  }

  /** Gives a device its payload key (for encrypted payloads and answers). */
  public void payloadKey(DeviceId device, SecretKeyBytes key) {
    payloadKeys.put(device, key);
  }

  @Override
  public void close() {
    ledger.close();
    auditLog.close();
    database.close();
  }

  /** The issuer's host in this process, single requests and batches (one ledger commit per batch). */
  private static io.iotpay.platform.decision.IssuerLink inProcessLink(AuthorisationHost host) {
    return new io.iotpay.platform.decision.IssuerLink() {
      @Override
      public byte[] exchange(byte[] request) {
        return host.handle(request);
      }

      @Override
      public List<byte[]> exchangeAll(List<byte[]> requests) {
        return host.handleAll(requests);
      }
    };
  }
}
