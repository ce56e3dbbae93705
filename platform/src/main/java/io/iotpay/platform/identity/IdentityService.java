package io.iotpay.platform.identity;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CertificateCheckException;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.platform.identity.IdentityException.Reason;
import java.security.MessageDigest;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device identity: registration from chip CSRs, just-in-time provisioning from manufacturer
 * certificates, suspension and revocation, and the per-message device lookup the envelope uses.
 *
 * <p>Thread-safe. Status changes made here invalidate this node's cache before they return, so
 * the next message from the device on this node sees them; other nodes see them within
 * {@link IdentityConfig#cacheTtlMs()}.
 */
public final class IdentityService {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityService.class);

  private final DeviceRegistry registry;
  private final Map<AlgorithmSuite, DeviceCa> deviceCas;
  private final DeviceCache cache;

  /**
   * @param deviceCas the platform's device CA per suite (a suite without one cannot register CSRs)
   */
  public IdentityService(DeviceRegistry registry, Map<AlgorithmSuite, DeviceCa> deviceCas, IdentityConfig config) {
    this(registry, deviceCas, config, System::nanoTime);
  }

  IdentityService(DeviceRegistry registry, Map<AlgorithmSuite, DeviceCa> deviceCas, IdentityConfig config, LongSupplier nanoTime) {
    this.registry = registry;
    this.deviceCas = new EnumMap<>(AlgorithmSuite.class);
    deviceCas.forEach((suite, ca) -> {
      if (ca.suite() != suite) {
        throw new IdentityException(Reason.MALFORMED, "device CA of " + ca.suite() + " offered for " + suite);
      }
      this.deviceCas.put(suite, ca);
    });
    this.cache = new DeviceCache(config.cacheEntriesMax(), config.cacheTtlMs(), nanoTime);
  }

  /**
   * Trusts a manufacturer CA for just-in-time provisioning of {@code suite} devices. The CA must be
   * a CA (basic constraints), self-signed with the suite's algorithm and valid at {@code at}.
   *
   * @return false when it was already registered
   * @throws IdentityException CERTIFICATE_INVALID naming the failed check
   */
  public boolean registerManufacturerCa(AlgorithmSuite suite, X509Certificate ca, Instant at) {
    try {
      Certificates.check(suite, ca, ca, at);
    } catch (CertificateCheckException e) {
      throw new IdentityException(Reason.CERTIFICATE_INVALID, "manufacturer CA: " + e.getMessage(), e);
    }
    boolean added = registry.insertManufacturerCa(suite, ca, at);
    LOG.info("Manufacturer CA registered [suite={}, subject={}, new={}]", suite, DeviceRegistry.subjectKey(ca), added);
    return added;
  }

  /**
   * Registers a device from a CSR made by its chip: verifies the CSR, issues a certificate from the
   * suite's device CA, stores the device as ACTIVE.
   *
   * @return the new record, with its certificate (to be written back to the chip)
   * @throws IdentityException MALFORMED/CSR_INVALID for a bad CSR, ALREADY_REGISTERED for a known id,
   *     UNKNOWN_DEVICE if the platform has no device CA for the suite
   */
  public DeviceRecord registerFromCsr(AlgorithmSuite suite, byte[] csrDer, Instant at) {
    return registerFromCsr(suite, csrDer, null, at);
  }

  /**
   * As {@link #registerFromCsr(AlgorithmSuite, byte[], Instant)}, refusing a CSR made for another device
   * than {@code expected} before anything is issued or stored (a bulk registration names each row's id).
   *
   * @param expected the device id the caller expects the CSR to name; null: whichever it names
   * @throws IdentityException as the three-argument form, and CSR_INVALID when the CSR names another id
   */
  public DeviceRecord registerFromCsr(AlgorithmSuite suite, byte[] csrDer, DeviceId expected, Instant at) {
    DeviceCa ca = deviceCas.get(suite);
    if (ca == null) {
      throw new IdentityException(Reason.UNKNOWN_DEVICE, "no device CA configured for suite " + suite);
    }
    DeviceCa.CsrContent content = ca.verifyCsr(csrDer);
    if (expected != null && !expected.equals(content.deviceId())) {
      throw new IdentityException(Reason.CSR_INVALID, "the CSR is for device " + content.deviceId() + ", not " + expected);
    }
    X509Certificate certificate = ca.issue(content.deviceId(), content.publicKey(), at);
    DeviceRecord device = new DeviceRecord(
        content.deviceId(), suite, certificate, RegistrationOrigin.CSR, DeviceStatus.ACTIVE, "", at, at);
    if (!registry.insertDevice(device)) {
      throw new IdentityException(Reason.ALREADY_REGISTERED, "device " + content.deviceId() + " is already registered");
    }
    LOG.info("Device registered from CSR [device={}, suite={}]", content.deviceId(), suite);
    return device;
  }

  /**
   * Authenticates a device by the certificate it presents (TLS/DTLS client certificate or a
   * registration call). A known device must present its registered certificate, be ACTIVE and the
   * certificate be within its validity. An unknown device whose certificate chains to a registered
   * manufacturer CA of its suite is registered now (just-in-time) as ACTIVE.
   *
   * @throws IdentityException UNREGISTERED_MANUFACTURER, CERTIFICATE_INVALID, CERTIFICATE_MISMATCH,
   *     SUSPENDED, REVOKED or MALFORMED
   */
  public DeviceRecord authenticate(AlgorithmSuite suite, X509Certificate presented, Instant at) {
    DeviceId deviceId = DeviceCa.deviceIdOf(X500Name.getInstance(presented.getSubjectX500Principal().getEncoded()));
    Optional<DeviceRecord> known = registry.find(deviceId);
    if (known.isPresent()) {
      return checkKnown(known.get(), suite, presented, at);
    }
    return provisionJustInTime(deviceId, suite, presented, at);
  }

  private DeviceRecord checkKnown(DeviceRecord device, AlgorithmSuite suite, X509Certificate presented, Instant at) {
    requireActive(device);
    if (device.suite() != suite
        || !MessageDigest.isEqual(DeviceRegistry.encoded(device.certificate()), DeviceRegistry.encoded(presented))) {
      throw new IdentityException(Reason.CERTIFICATE_MISMATCH,
          "device " + device.deviceId() + " presented a certificate other than its registered " + device.suite() + " one");
    }
    try {
      presented.checkValidity(Date.from(at));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new IdentityException(Reason.CERTIFICATE_INVALID, "device " + device.deviceId() + ": certificate not valid at " + at, e);
    }
    return device;
  }

  private DeviceRecord provisionJustInTime(DeviceId deviceId, AlgorithmSuite suite, X509Certificate presented, Instant at) {
    String issuer = presented.getIssuerX500Principal().getName(X500Principal.CANONICAL);
    X509Certificate manufacturer = registry.findManufacturerCa(suite, issuer).orElseThrow(() ->
        new IdentityException(Reason.UNREGISTERED_MANUFACTURER,
            "device " + deviceId + ": issuer '" + issuer + "' is not a registered " + suite + " manufacturer CA"));
    try {
      Certificates.check(suite, presented, manufacturer, at);
    } catch (CertificateCheckException e) {
      throw new IdentityException(Reason.CERTIFICATE_INVALID, "device " + deviceId + ": " + e.getMessage(), e);
    }
    if (!DeviceCa.onSuiteCurve(suite, presented.getPublicKey())) {
      throw new IdentityException(Reason.CERTIFICATE_INVALID, "device " + deviceId + ": key is not on " + suite.curveName());
    }
    DeviceRecord device = new DeviceRecord(
        deviceId, suite, presented, RegistrationOrigin.JUST_IN_TIME, DeviceStatus.ACTIVE, "", at, at);
    if (!registry.insertDevice(device)) {
      // Another node or thread provisioned it first: judge against what is stored now.
      return checkKnown(registry.find(deviceId).orElseThrow(), suite, presented, at);
    }
    LOG.info("Device provisioned just in time [device={}, suite={}, manufacturer={}]", deviceId, suite, issuer);
    return device;
  }

  /**
   * The device as it stands for one incoming message: from the bounded cache or the registry.
   * Callers check {@link DeviceRecord#status()} on every message.
   */
  public Optional<DeviceRecord> deviceForMessage(DeviceId deviceId) {
    Optional<DeviceRecord> cached = cache.get(deviceId);
    if (cached.isPresent()) {
      return cached;
    }
    Optional<DeviceRecord> stored = registry.find(deviceId);
    stored.ifPresent(cache::put);
    return stored;
  }

  /** ACTIVE → SUSPENDED; effective for the device's next message. @throws IdentityException if not ACTIVE */
  public void suspend(DeviceId deviceId, String reason, Instant at) {
    transition(deviceId, DeviceStatus.ACTIVE, DeviceStatus.SUSPENDED, reason, at);
  }

  /** SUSPENDED → ACTIVE. @throws IdentityException if not SUSPENDED */
  public void resume(DeviceId deviceId, String reason, Instant at) {
    transition(deviceId, DeviceStatus.SUSPENDED, DeviceStatus.ACTIVE, reason, at);
  }

  /** ACTIVE or SUSPENDED → REVOKED, final. @throws IdentityException if unknown or already revoked */
  public void revoke(DeviceId deviceId, String reason, Instant at) {
    DeviceRecord device = registry.find(deviceId).orElseThrow(() -> unknown(deviceId));
    transition(deviceId, device.status(), DeviceStatus.REVOKED, reason, at);
  }

  private void transition(DeviceId deviceId, DeviceStatus from, DeviceStatus to, String reason, Instant at) {
    cache.invalidate(deviceId);
    if (from == DeviceStatus.REVOKED || !registry.updateStatus(deviceId, from, to, reason == null ? "" : reason, at)) {
      DeviceRecord device = registry.find(deviceId).orElseThrow(() -> unknown(deviceId));
      throw new IdentityException(Reason.ILLEGAL_TRANSITION,
          "device " + deviceId + " is " + device.status() + ", cannot go " + from + " -> " + to);
    }
    // Invalidate again: a concurrent message may have cached the old record between the two steps.
    cache.invalidate(deviceId);
    LOG.info("Device status changed [device={}, from={}, to={}, reason={}]", deviceId, from, to, reason);
  }

  /** @throws IdentityException SUSPENDED or REVOKED unless the device is ACTIVE */
  static void requireActive(DeviceRecord device) {
    switch (device.status()) {
      case ACTIVE -> { }
      case SUSPENDED -> throw new IdentityException(Reason.SUSPENDED, "device " + device.deviceId() + " is suspended");
      case REVOKED -> throw new IdentityException(Reason.REVOKED, "device " + device.deviceId() + " is revoked");
    }
  }

  private static IdentityException unknown(DeviceId deviceId) {
    return new IdentityException(Reason.UNKNOWN_DEVICE, "device " + deviceId + " is not registered");
  }
}
