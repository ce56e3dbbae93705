package io.iotpay.platform.operator;

import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.DeviceStatus;
import io.iotpay.platform.state.CloneSuspicion;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's verdict on a device's clone suspicion, one code for the HTTP API
 * ({@code POST /v1/devices/{id}/clone/clear|confirm}) and the console's device page: <b>clear</b> (a
 * false alarm: payments are decided again) or <b>confirm</b> (the key is in two hands: the device is
 * revoked, the identity service's recorded status change). Each verdict is first appended to the
 * audit log (when there is one), so a store failure changes nothing; then the state registry records
 * it (in the node's database, so a restart keeps a cleared suspicion cleared and a confirmed one in
 * force). A confirmed suspicion is final: neither verdict applies to it again (409 CLONE_CONFIRMED).
 * Thread-safe when its services are.
 */
public final class CloneVerdicts {
  private static final Logger LOG = LoggerFactory.getLogger(CloneVerdicts.class);
  /** Longest reason an operator may give, characters (as for status changes). */
  public static final int REASON_CHARS_MAX = OperatorEndpoints.REASON_CHARS_MAX;

  private final HttpApiServices services;
  private final OperatorAudit audit;

  /**
   * @param services never null
   * @param audit where verdicts are recorded before they take effect; null: only the log line
   */
  public CloneVerdicts(HttpApiServices services, OperatorAudit audit) {
    this.services = Objects.requireNonNull(services, "services");
    this.audit = audit;
  }

  /**
   * What a verdict did.
   *
   * @param device the device's record after the verdict
   * @param evidence the evidence the verdict was on
   * @param auditIndex the verdict's audit leaf; null when this node records verdicts only in its log
   */
  public record Verdict(DeviceRecord device, String evidence, Long auditIndex) {}

  /**
   * The device's clone suspicion in force (suspected, or confirmed) with its evidence; empty when there is none.
   *
   * @throws ApiException 404 UNKNOWN_DEVICE
   */
  public Optional<CloneSuspicion> suspicion(DeviceId id) {
    requireDevice(id);
    return services.states().cloneSuspicion(id);
  }

  /**
   * A false alarm: clears the suspicion.
   *
   * @param reason 1..{@value #REASON_CHARS_MAX} characters, no control characters
   * @throws ApiException 400 bad reason, 404 UNKNOWN_DEVICE, 409 NO_CLONE_SUSPICION or CLONE_CONFIRMED, 503 UNAVAILABLE
   *     (audit log not written; nothing changed)
   * @throws io.iotpay.platform.state.StateStoreException when the registry could not store the verdict (nothing changed but the audit leaf)
   */
  public Verdict clear(DeviceId id, String reason) {
    DeviceRecord device = requireDevice(id);
    String why = requireReason(reason);
    String evidence = requireSuspicion(id);
    Long auditIndex = record("clone-cleared", id, why, evidence);
    if (!services.states().clearCloneSuspicion(id, why, auditIndex)) {
      throw noSuspicion(id);
    }
    LOG.warn("Clone suspicion cleared by the operator [device={}, reason={}, evidence={}, auditIndex={}]", id, why, evidence, auditIndex);
    return new Verdict(device, evidence, auditIndex);
  }

  /**
   * The key is in two hands: revokes the device, with the reason and the evidence as its status reason.
   *
   * @param reason 1..{@value #REASON_CHARS_MAX} characters, no control characters
   * @throws ApiException as {@link #clear}; an identity refusal as its {@code IdentityException}
   * @throws io.iotpay.platform.state.StateStoreException as {@link #clear} (the device is revoked; a retry records the verdict)
   */
  public Verdict confirm(DeviceId id, String reason) {
    DeviceRecord device = requireDevice(id);
    String why = requireReason(reason);
    String evidence = requireSuspicion(id);
    String statusReason = clip("clone confirmed: " + why + " (evidence: " + evidence + ")", REASON_CHARS_MAX);
    Long auditIndex = record("clone-confirmed", id, why, evidence);
    // Revoked first, so the key stops working even if the registry cannot store the verdict; a retry
    // (the device already revoked, e.g. by hand) then records it.
    if (device.status() != DeviceStatus.REVOKED) {
      services.identity().revoke(id, statusReason, services.clock().now());
    }
    if (!services.states().confirmCloneSuspicion(id, why, auditIndex)) {
      throw noSuspicion(id);
    }
    LOG.warn("Clone confirmed by the operator; device revoked [device={}, reason={}, evidence={}, auditIndex={}]", id, why, evidence,
        auditIndex);
    return new Verdict(requireDevice(id), evidence, auditIndex);
  }

  /** The summary of the suspicion awaiting a verdict. @throws ApiException 409 when there is none, or it is confirmed */
  private String requireSuspicion(DeviceId id) {
    CloneSuspicion suspicion = services.states().cloneSuspicion(id).orElseThrow(() -> noSuspicion(id));
    if (suspicion.status() == CloneSuspicion.Status.CONFIRMED) {
      throw new ApiException(409, "CLONE_CONFIRMED", "device " + id + " is a confirmed clone (revoked): the verdict is final");
    }
    return suspicion.summary();
  }

  private static ApiException noSuspicion(DeviceId id) {
    return new ApiException(409, "NO_CLONE_SUSPICION", "device " + id + " is not suspected of having a clone");
  }

  /** The verdict as a leaf of the audit log, written before it takes effect. */
  private Long record(String action, DeviceId id, String why, String evidence) {
    if (audit == null) {
      return null;
    }
    try {
      return audit.append(OperatorAudit.verdict(action, id.value(), why, evidence, services.clock().now()));
    } catch (SQLException e) {
      LOG.warn("Operator verdict not recorded; nothing changed [action={}, device={}]", action, id, e);
      throw new ApiException(503, "UNAVAILABLE", "the audit log could not be written; nothing changed, retry later");
    }
  }

  private DeviceRecord requireDevice(DeviceId id) {
    return services.devices().find(id).orElseThrow(() -> ApiException.notFound("UNKNOWN_DEVICE", "device " + id + " is not registered"));
  }

  /** @throws ApiException 400 unless 1..{@value #REASON_CHARS_MAX} characters without control characters */
  static String requireReason(String reason) {
    if (reason == null || reason.isBlank() || reason.length() > REASON_CHARS_MAX || !reason.chars().allMatch(c -> c >= 0x20 && c != 0x7F)) {
      throw ApiException.badRequest("reason must have 1.." + REASON_CHARS_MAX + " characters and no control characters");
    }
    return reason;
  }

  private static String clip(String text, int charsMax) {
    return text.length() > charsMax ? text.substring(0, charsMax) : text;
  }
}
