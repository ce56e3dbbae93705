package io.iotpay.platform.identity;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * The persistent device registry (Flyway component {@code identity}) on SQLite or PostgreSQL.
 * Plain JDBC; every method is one statement or one short transaction, safe to call from many
 * threads and from several platform nodes over one PostgreSQL.
 */
public final class DeviceRegistry {
  /**
   * Most parsed certificates kept for reuse (least recently used dropped): about 12 KB each once
   * BouncyCastle has built their key's verification tables (about 7 KB, on the key's fifth
   * verification), so at most about 240 MB.
   */
  static final int PARSED_CERTIFICATES_MAX = 20_000;

  private final Database database;

  /**
   * Each device's certificate as last parsed, with the DER it came from. A row read again (the identity
   * cache keeps records for a short time only, so that status changes made elsewhere are seen) reuses
   * the parsed certificate, and the public key inside it, when the stored DER is byte for byte the same:
   * parsing costs about 0.3 ms, and a fresh key object pays BouncyCastle's slow verification path (about
   * 0.2 ms instead of 0.1 ms) until its fifth verification builds its tables (about 0.25 ms).
   * The status and everything else are always taken from the row just read.
   */
  private final Map<DeviceId, Parsed> parsed = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<DeviceId, Parsed> eldest) {
      return size() > PARSED_CERTIFICATES_MAX;
    }
  };

  private record Parsed(byte[] der, X509Certificate certificate) {}

  /** Uses {@code database}, applying the identity migrations first. */
  public DeviceRegistry(Database database) {
    this.database = database;
    database.migrate("identity");
  }

  /** The database (the envelope keeps its counter table next to the devices). */
  public Database database() {
    return database;
  }

  /** Stores a manufacturer CA; false when one with the same subject and suite is already stored. */
  boolean insertManufacturerCa(AlgorithmSuite suite, X509Certificate ca, Instant at) {
    String sql = "INSERT INTO identity_manufacturer_ca (subject_dn, suite, certificate, registered_ms) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (subject_dn, suite) DO NOTHING";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, subjectKey(ca));
      statement.setString(2, suite.name());
      statement.setBytes(3, encoded(ca));
      statement.setLong(4, at.toEpochMilli());
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("identity store: cannot insert manufacturer CA", e);
    }
  }

  /** The manufacturer CA of {@code suite} whose subject is {@code issuer} (canonical form). */
  Optional<X509Certificate> findManufacturerCa(AlgorithmSuite suite, String issuerCanonical) {
    String sql = "SELECT certificate FROM identity_manufacturer_ca WHERE subject_dn = ? AND suite = ?";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, issuerCanonical);
      statement.setString(2, suite.name());
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(certificate(rows.getBytes(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("identity store: cannot read manufacturer CA", e);
    }
  }

  /** Inserts a device; false when the id is already registered (the stored record is unchanged). */
  boolean insertDevice(DeviceRecord device) {
    String sql = "INSERT INTO identity_device (device_id, suite, certificate, origin, status, status_reason,"
        + " registered_ms, status_changed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id) DO NOTHING";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, device.deviceId().value());
      statement.setString(2, device.suite().name());
      statement.setBytes(3, encoded(device.certificate()));
      statement.setString(4, device.origin().name());
      statement.setString(5, device.status().name());
      statement.setString(6, device.statusReason());
      statement.setLong(7, device.registeredAt().toEpochMilli());
      statement.setLong(8, device.statusChangedAt().toEpochMilli());
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("identity store: cannot insert device " + device.deviceId(), e);
    }
  }

  /** The device, read from the store (never cached here). */
  public Optional<DeviceRecord> find(DeviceId deviceId) {
    String sql = "SELECT " + RECORD_COLUMNS + " FROM identity_device WHERE device_id = ?";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, deviceId.value());
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(record(deviceId, rows, 1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("identity store: cannot read device " + deviceId, e);
    }
  }

  private static final String RECORD_COLUMNS = "suite, certificate, origin, status, status_reason, registered_ms, status_changed_ms";

  /** The record in {@code rows}' current row, whose {@link #RECORD_COLUMNS} start at column {@code first}. */
  private DeviceRecord record(DeviceId deviceId, ResultSet rows, int first) throws SQLException {
    return new DeviceRecord(
        deviceId,
        AlgorithmSuite.valueOf(rows.getString(first)),
        certificateOf(deviceId, rows.getBytes(first + 1)),
        RegistrationOrigin.valueOf(rows.getString(first + 2)),
        DeviceStatus.valueOf(rows.getString(first + 3)),
        rows.getString(first + 4),
        Instant.ofEpochMilli(rows.getLong(first + 5)),
        Instant.ofEpochMilli(rows.getLong(first + 6)));
  }

  /** Most devices one {@link #list} call returns: a bound on one page's memory and response size. */
  public static final int LIST_LIMIT_MAX = 1_000;

  /**
   * One page of devices in id order, for operators (the HTTP API's device listing).
   *
   * @param status only devices in this status; null for every status
   * @param afterId only ids after this one (the last id of the previous page); null from the start
   * @param limit 1..{@link #LIST_LIMIT_MAX}
   * @return at most {@code limit} devices, ordered by device id
   * @throws IdentityException MALFORMED when {@code limit} is out of range
   * @throws IllegalStateException when the store cannot be read
   */
  public List<DeviceRecord> list(DeviceStatus status, DeviceId afterId, int limit) {
    if (limit < 1 || limit > LIST_LIMIT_MAX) {
      throw new IdentityException(IdentityException.Reason.MALFORMED, "device list limit " + limit + " outside 1.." + LIST_LIMIT_MAX);
    }
    String sql = "SELECT device_id, " + RECORD_COLUMNS + " FROM identity_device WHERE device_id > ?"
        + (status == null ? "" : " AND status = ?") + " ORDER BY device_id LIMIT ?";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      int parameter = 1;
      statement.setString(parameter++, afterId == null ? "" : afterId.value());
      if (status != null) {
        statement.setString(parameter++, status.name());
      }
      statement.setInt(parameter, limit);
      List<DeviceRecord> devices = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          devices.add(record(new DeviceId(rows.getString(1)), rows, 2));
        }
      }
      return devices;
    } catch (SQLException e) {
      throw new IllegalStateException("identity store: cannot list devices", e);
    }
  }

  /**
   * Moves a device from {@code from} to {@code to}; false when its status was not {@code from}
   * (compare-and-set, so concurrent operators cannot resurrect a revoked device).
   */
  boolean updateStatus(DeviceId deviceId, DeviceStatus from, DeviceStatus to, String reason, Instant at) {
    String sql = "UPDATE identity_device SET status = ?, status_reason = ?, status_changed_ms = ? WHERE device_id = ? AND status = ?";
    try (Connection connection = database.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, to.name());
      statement.setString(2, reason);
      statement.setLong(3, at.toEpochMilli());
      statement.setString(4, deviceId.value());
      statement.setString(5, from.name());
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("identity store: cannot update status of " + deviceId, e);
    }
  }

  /** Canonical RFC 2253 form of a certificate's subject, the key manufacturer CAs are found by. */
  static String subjectKey(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName(X500Principal.CANONICAL);
  }

  static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  /** The parsed certificate for {@code der}: the one parsed before if the bytes are the same, else parsed now. */
  private X509Certificate certificateOf(DeviceId deviceId, byte[] der) {
    synchronized (parsed) {
      Parsed known = parsed.get(deviceId);
      if (known != null && Arrays.equals(known.der(), der)) {
        return known.certificate();
      }
    }
    X509Certificate certificate = certificate(der);
    synchronized (parsed) {
      parsed.put(deviceId, new Parsed(der, certificate));
    }
    return certificate;
  }

  static X509Certificate certificate(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509", Bc.PROVIDER).generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IdentityException(IdentityException.Reason.MALFORMED, "certificate is not X.509 DER", e);
    }
  }
}
