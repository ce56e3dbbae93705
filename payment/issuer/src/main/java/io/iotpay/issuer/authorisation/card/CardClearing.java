package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.file.PresentmentResultFile;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.online.PresentmentResult;
import io.iotpay.protocol.online.PresentmentResult.Status;
import io.iotpay.protocol.pki.AcceptedFileLog;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.VerifiedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The issuer's intake of the switch's presentment file (docs/online-clearing.md): applies each
 * capture with {@link CardAuthorisationService#capture} and each refund with {@link
 * CardAuthorisationService#refund} (refund id: acquirer and presentment id), and writes a result
 * file back to the switch, one result per presentment. Each presentment's result is stored
 * ({@code issuer_clearing_result}) and a presentment seen again is answered from there, so the same
 * file applied twice changes nothing and gives the same results.
 */
public final class CardClearing {
  private static final System.Logger LOG = System.getLogger(CardClearing.class.getName());
  private static final String COMPONENT = "issuer-clearing";

  private final PartyId self;
  private final CardAuthorisationService host;
  private final Database database;
  private final FileLimits limits;
  private final Path outDirectory;
  private final FileTrust trust;
  private final AcceptedFileLog accepted;

  /**
   * @param self the issuer's party id (the files' receiver, the results' sender)
   * @param database the issuer's database (Flyway component {@code issuer-clearing}, migrated here)
   * @param outDirectory where result files are written; created if missing
   */
  public CardClearing(PartyId self, CardAuthorisationService host, Database database, FileLimits limits,
      Path outDirectory) {
    this(self, host, database, limits, outDirectory, null);
  }

  /**
   * As {@link #CardClearing(PartyId, CardAuthorisationService, Database, FileLimits, Path)}, with
   * signed files (docs/signed-files.md): every presentment file must be signed by the switch and is
   * verified before it is parsed; a file applied once is refused REPLAYED after (table {@code
   * signed_file_accepted}); every result file is signed.
   *
   * @param trust the issuer's signer and verifier; null to take and write unsigned files
   */
  public CardClearing(PartyId self, CardAuthorisationService host, Database database, FileLimits limits,
      Path outDirectory, FileTrust trust) {
    Assert.that(trust == null || trust.verifier().self().equals(self), "the file trust is not {}'s", self);
    this.trust = trust;
    this.accepted = trust == null ? null : new AcceptedFileLog(database, self);
    this.self = Assert.notNull(self, "self");
    this.host = Assert.notNull(host, "host");
    this.database = Assert.notNull(database, "database");
    database.migrate(COMPONENT);
    this.limits = Assert.notNull(limits, "limits");
    try {
      this.outDirectory = Files.createDirectories(outDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outDirectory, e);
    }
  }

  /**
   * Applies a presentment file from the switch.
   *
   * @return the result file ({@code presentment-result-ISSUER-DATE-SEQ.txt}, same sequence as the input)
   * @throws io.iotpay.protocol.file.PresentmentFileException when the file is malformed (nothing applied)
   * @throws ProtocolException when it is addressed to another issuer (nothing applied)
   * @throws io.iotpay.protocol.pki.SignedFileException when this issuer takes signed files and the file's
   *     signature does not verify as the switch's, or the file was applied before (REPLAYED); checked before
   *     the file is parsed, nothing applied
   */
  public Path apply(Path file) {
    VerifiedFile verified = null;
    if (trust != null) {
      verified = trust.verifier().verify(file, FileKind.PRESENTMENT, accepted);
      verified.requireSignerRole(PartyRole.SWITCH);
    }
    PresentmentFile.Read read;
    try (InputStream in = Files.newInputStream(file)) {
      read = PresentmentFile.read(in, limits);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read presentment file " + file, e);
    }
    FileHeader h = read.header();
    if (verified != null) {
      verified.requireHeader(h);
    }
    if (!h.receiver().equals(self)) {
      throw new ProtocolException("presentment file is addressed to " + h.receiver() + ", this issuer is " + self);
    }
    List<PresentmentResult> results = new ArrayList<>();
    for (Presentment p : read.presentments()) {
      Status status = stored(p).orElseGet(() -> {
        CardAuthorisationService.ClearingOutcome outcome = p.kind() == Presentment.Kind.CAPTURE
            ? host.capture(p.original(), p.amountMinor())
            : host.refund(p.acquirer().value() + ":" + p.presentmentId(), p.original(), p.amountMinor());
        Status now = statusOf(outcome);
        store(p, now);
        return now;
      });
      results.add(PresentmentResult.of(p, status));
    }
    Path out = outDirectory.resolve("presentment-result-" + self.value() + "-" + h.businessDate() + "-" + h.sequence()
        + ".txt");
    Path temp = out.resolveSibling(out.getFileName() + ".tmp");
    try {
      try (OutputStream stream = Files.newOutputStream(temp)) {
        PresentmentResultFile.write(stream, self, h.sender(), h.businessDate(), h.sequence(), h.currency(), results);
      }
      Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
    if (verified != null) {
      // Recorded last: a crash before this applies the file again, answered from the stored results.
      trust.signer().sign(out, FileKind.PRESENTMENT_RESULT);
      accepted.record(verified);
    }
    LOG.log(Level.INFO, "Presentment file applied [day={0}, sequence={1}, presentments={2}, accepted={3}]",
        h.businessDate(), h.sequence(), results.size(),
        results.stream().filter(r -> r.status() == Status.ACCEPTED).count());
    return out;
  }

  /** The result given before to this presentment (acquirer and id), if any. */
  private Optional<Status> stored(Presentment p) {
    String sql = "SELECT status FROM issuer_clearing_result WHERE acquirer = ? AND presentment_id = ?";
    try (Connection c = database.connection(); PreparedStatement query = c.prepareStatement(sql)) {
      query.setString(1, p.acquirer().value());
      query.setString(2, p.presentmentId());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(Status.valueOf(rows.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read clearing results: " + e.getMessage(), e);
    }
  }

  private void store(Presentment p, Status status) {
    String sql = "INSERT INTO issuer_clearing_result (acquirer, presentment_id, kind, amount_minor, status)"
        + " VALUES (?,?,?,?,?)";
    database.writing(() -> {
      try (Connection c = database.connection(); PreparedStatement insert = c.prepareStatement(sql)) {
        insert.setString(1, p.acquirer().value());
        insert.setString(2, p.presentmentId());
        insert.setString(3, p.kind() == Presentment.Kind.CAPTURE ? "C" : "R");
        insert.setLong(4, p.amountMinor());
        insert.setString(5, status.name());
        insert.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot store a clearing result: " + e.getMessage(), e);
      }
      return null;
    });
  }

  static Status statusOf(CardAuthorisationService.ClearingOutcome outcome) {
    return switch (outcome) {
      case DONE -> Status.ACCEPTED;
      case UNKNOWN_TRANSACTION -> Status.UNKNOWN;
      case EXCEEDS_HOLD, EXCEEDS_CAPTURED -> Status.EXCEEDS_HOLD;
      case HOLD_EXPIRED -> Status.HOLD_EXPIRED;
      case NOT_CAPTURABLE -> Status.NOT_CAPTURABLE;
    };
  }
}
