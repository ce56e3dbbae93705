package io.iotpay.platform.operator;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.http.ApiException;
import io.iotpay.platform.access.http.Exchange;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.IdentityException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers many devices from one CSV of their chips' CSRs ({@code device_id,suite,csr} per line, the
 * CSR in PEM or as base64 DER; format in {@link CsrCsv}). Each row is registered by the same call as
 * {@code POST /v1/devices} ({@code IdentityService.registerFromCsr}), which stores a device in one step:
 * a refused row stores nothing, and the other rows are registered all the same. One leaf in the audit
 * log records what was registered and what was refused. No CoAP PSK is handed out here: a device that
 * needs one is registered through the API, whose answer carries it.
 *
 * <p>Thread-safe when its services are.
 */
public final class BulkRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(BulkRegistration.class);
  /** Rows in one file at most (the header not counted): a bound on one request's work (a CSR check and a signature each). */
  public static final int ROWS_MAX = 100;
  /** Bytes in one file at most: 100 PEM CSRs with their ids fit with room. */
  public static final int FILE_BYTES_MAX = 64 * 1024;
  private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE REQUEST-----";
  private static final String PEM_END = "-----END CERTIFICATE REQUEST-----";

  private final HttpApiServices services;
  private final OperatorAudit audit;

  /**
   * @param services never null
   * @param audit where each upload is recorded; never null
   */
  public BulkRegistration(HttpApiServices services, OperatorAudit audit) {
    this.services = Objects.requireNonNull(services, "services");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** Why a row was refused, beside the identity service's own reasons ({@code IdentityException.Reason}). */
  public enum RowRefusal {
    /** Not three fields: device id, suite, CSR. */
    BAD_ROW,
    /** The device id is not one ids may be (1..64 of {@code A-Z a-z 0-9 . _ -}). */
    BAD_DEVICE_ID,
    /** The suite is neither INTERNATIONAL nor NATIONAL. */
    BAD_SUITE,
    /** The CSR is neither a PEM certificate request nor base64 DER. */
    BAD_CSR_ENCODING
  }

  /** One row's result. */
  public sealed interface Row {
    /** The row's first line in the file (1-based). */
    int line();

    /** The device id the row named, as shown (cut to 64 printable characters). */
    String deviceId();
  }

  /** The device was registered (ACTIVE, its certificate issued). */
  public record Registered(int line, String deviceId, String suite) implements Row {}

  /**
   * The row was refused; nothing of it was stored.
   *
   * @param reason a {@link RowRefusal} or {@code IdentityException.Reason} name (CSR_INVALID, ALREADY_REGISTERED, …)
   * @param detail one line saying why
   */
  public record Refused(int line, String deviceId, String reason, String detail) implements Row {}

  /**
   * What an upload did.
   *
   * @param rows every row's result, in file order
   * @param auditIndex the upload's audit leaf; null when the audit log could not be written (the
   *     registrations stand: each is also in the node's log)
   */
  public record Outcome(List<Row> rows, Long auditIndex) {
    public long registered() {
      return rows.stream().filter(Registered.class::isInstance).count();
    }
  }

  /**
   * Registers every row it can.
   *
   * @param csv the file's bytes, at most {@link #FILE_BYTES_MAX}
   * @param source who sent it, recorded in the audit leaf (e.g. {@code console-csv})
   * @throws ApiException a refusal of the whole file, nothing registered: 413 TOO_LARGE (over
   *     {@link #FILE_BYTES_MAX} bytes or {@link #ROWS_MAX} rows), 400 BAD_ENCODING (not UTF-8), 400
   *     BAD_REQUEST (no rows, an unclosed quote, a field too long)
   */
  public Outcome register(byte[] csv, String source) {
    if (csv.length > FILE_BYTES_MAX) {
      throw ApiException.tooLarge("the file has more than " + FILE_BYTES_MAX + " bytes");
    }
    List<Row> rows = new ArrayList<>();
    for (CsrCsv.Line line : CsrCsv.parse(csv, ROWS_MAX)) {
      rows.add(registerRow(line));
    }
    return new Outcome(rows, record(source, rows));
  }

  private Row registerRow(CsrCsv.Line line) {
    List<String> fields = line.fields();
    String shownId = fields.isEmpty() ? "" : Exchange.clip(fields.get(0).strip());
    if (fields.size() != 3) {
      return refused(line, shownId, RowRefusal.BAD_ROW, "a row has 3 fields (device_id,suite,csr), this one " + fields.size());
    }
    DeviceId id;
    try {
      id = DeviceId.of(fields.get(0).strip());
    } catch (RuntimeException e) {
      return refused(line, shownId, RowRefusal.BAD_DEVICE_ID, "'" + shownId + "' is not a device id");
    }
    AlgorithmSuite suite;
    try {
      suite = AlgorithmSuite.valueOf(fields.get(1).strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return refused(line, shownId, RowRefusal.BAD_SUITE, "suite '" + Exchange.clip(fields.get(1).strip()) + "' is not INTERNATIONAL or NATIONAL");
    }
    byte[] der = csrDer(fields.get(2));
    if (der == null) {
      return refused(line, shownId, RowRefusal.BAD_CSR_ENCODING, "the CSR is neither a PEM certificate request nor base64 DER");
    }
    try {
      DeviceRecord device = services.identity().registerFromCsr(suite, der, id, services.clock().now());
      return new Registered(line.number(), device.deviceId().value(), suite.name());
    } catch (IdentityException e) {
      return new Refused(line.number(), shownId, e.reason().name(), e.getMessage());
    }
  }

  private static Refused refused(CsrCsv.Line line, String deviceId, RowRefusal reason, String detail) {
    return new Refused(line.number(), deviceId, reason.name(), detail);
  }

  /** The CSR's DER from PEM or base64; null when it is neither. */
  private static byte[] csrDer(String text) {
    String body = text.strip();
    if (body.startsWith(PEM_BEGIN) && body.endsWith(PEM_END)) {
      body = body.substring(PEM_BEGIN.length(), body.length() - PEM_END.length());
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(body);
      return der.length == 0 ? null : der;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Long record(String source, List<Row> rows) {
    List<String> registered = new ArrayList<>();
    List<OperatorAudit.RefusedRow> refused = new ArrayList<>();
    for (Row row : rows) {
      switch (row) {
        case Registered r -> registered.add(r.deviceId());
        case Refused r -> refused.add(new OperatorAudit.RefusedRow(r.line(), r.deviceId(), r.reason()));
      }
    }
    try {
      long index = audit.append(OperatorAudit.registrations(source, registered, refused, services.clock().now()));
      LOG.info("Devices registered in bulk [source={}, registered={}, refused={}, auditIndex={}]", source, registered.size(),
          refused.size(), index);
      return index;
    } catch (SQLException e) {
      LOG.error("Bulk registration not recorded in the audit log [source={}, registered={}]", source, registered, e);
      return null;
    }
  }
}
