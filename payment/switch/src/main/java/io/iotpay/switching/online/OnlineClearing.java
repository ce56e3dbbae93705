package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.PresentmentFile;
import io.iotpay.protocol.file.PresentmentFileException;
import io.iotpay.protocol.file.PresentmentResultFile;
import io.iotpay.protocol.online.Presentment;
import io.iotpay.protocol.online.PresentmentResult;
import io.iotpay.protocol.pki.AcceptedFileLog;
import io.iotpay.protocol.pki.AcceptedFiles;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.pki.VerifiedFile;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.settlement.GrossSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clearing of online card captures and refunds at the switch (docs/online-clearing.md): takes each
 * acquirer's presentment file once, checks every presentment against the message log, records what
 * it accepted and why it rejected the rest, answers the acquirer with a result file, writes one
 * presentment file per issuer, records the issuers' results, and gives the accepted amounts of day T
 * to the T+1 settlement run as a {@link GrossSource} (issuer pays acquirer for a capture, acquirer
 * pays issuer for a refund). Thread-safe (synchronized): intake and the settlement close exclude
 * each other, so no presentment of a settled day is accepted.
 *
 * <p>The message log is written asynchronously: call {@link OnlineSwitch#flushLog} before {@link
 * #accept} when the authorisations were answered moments ago.
 */
public final class OnlineClearing implements GrossSource {
  private static final System.Logger LOG = System.getLogger(OnlineClearing.class.getName());

  /**
   * The clearing's set-up.
   *
   * @param self the switch's party id (receiver of acquirers' files, sender of issuers' files)
   * @param currency the settlement currency; every presentment file must be in it
   * @param ranges the card ranges (the same list the online and transit switches route by)
   * @param acquirers the acquirers allowed to present
   * @param limits what a presentment file may hold
   */
  public record Config(PartyId self, CurrencyUnit currency, List<CardRange> ranges, List<PartyId> acquirers,
      FileLimits limits) {
    public Config {
      Assert.that(self != null && currency != null && limits != null, "self, currency and limits are required");
      ranges = List.copyOf(ranges);
      acquirers = acquirers.stream().sorted(SwitchConfig.PARTY_ORDER).distinct().toList();
      Assert.that(!acquirers.isEmpty(), "online clearing needs acquirers");
    }
  }

  /** Why a whole file was refused; nothing of a refused file is recorded. */
  public enum Refusal {
    /**
     * The file's signature does not verify as its acquirer's (docs/signed-files.md §4; {@link
     * Intake#signatureReason()} says why); checked before a byte of the file is parsed.
     */
    SIGNATURE,
    /** The file is not a well-formed presentment file ({@link Intake#formatReason()} says how). */
    FORMAT,
    /** Addressed to another party. */
    NOT_FOR_SWITCH,
    /** Sent by a party that is not a configured acquirer. */
    UNKNOWN_ACQUIRER,
    /** Not in the settlement currency. */
    WRONG_CURRENCY,
    /** A presentment names another acquirer than the file's sender. */
    FOREIGN_PRESENTMENT,
    /** The same file again, or a file holding a presentment already taken (a re-sequenced replay). */
    REPLAYED,
    /** The sequence is not the sender's last + 1. */
    OUT_OF_SEQUENCE,
    /** The business day is settled (closed) already. */
    DAY_SETTLED
  }

  /**
   * What {@link #accept} did with a file.
   *
   * @param refusal null when the file was taken
   * @param formatReason the format defect when {@code refusal} is FORMAT, else null
   * @param signatureReason the signature's refusal when {@code refusal} is SIGNATURE, else null
   * @param detail a sentence for logs and operators (no PAN)
   * @param header the file's header, null when it could not be read
   * @param results per presentment: ACCEPTED or the reason it was rejected; empty when refused,
   *     except for the very same file again (REPLAYED), which gets the results it was given
   * @param resultFile the result file written for the acquirer, null when refused, except for the
   *     very same file again: its result file (written again if it was lost)
   * @param signer the party whose signature over the file verified; null when the clearing takes
   *     unsigned files or the signature was refused
   */
  public record Intake(Refusal refusal, PresentmentFileException.Reason formatReason,
      SignedFileException.Reason signatureReason, String detail, FileHeader header, List<PresentmentResult> results,
      Path resultFile, PartyId signer) {
    public Intake {
      results = List.copyOf(results);
    }

    public boolean taken() {
      return refusal == null;
    }

    /** How many presentments were accepted. */
    public long accepted() {
      return results.stream().filter(r -> r.status() == PresentmentResult.Status.ACCEPTED).count();
    }
  }

  /**
   * What {@link #recordIssuerResults} did.
   *
   * @param recorded results stored now
   * @param already results stored before (the same file again changes nothing)
   * @param unknown results naming no presentment sent to that issuer
   */
  public record IssuerResults(int recorded, int already, int unknown) {}

  private final Config config;
  private final StoreKeys storeKeys;
  private final IssuerRoutes routes;
  private final ClearingStore store;
  private final Path outDirectory;
  private final FileTrust trust;
  private final AcceptedFileLog acceptedResults;

  /**
   * @param database the online switch's database (component {@code switch-online}: the message log
   *     the presentments are matched against); migrated here
   * @param storeKeys the online switch's store keys (PAN hash, sealed PANs)
   * @param outDirectory where result and issuer files are written; created if missing
   */
  public OnlineClearing(Config config, Database database, StoreKeys storeKeys, Path outDirectory) {
    this(config, database, storeKeys, outDirectory, null);
  }

  /**
   * As {@link #OnlineClearing(Config, Database, StoreKeys, Path)}, with signed files
   * (docs/signed-files.md): every acquirer's presentment file and every issuer's result file is
   * verified before it is parsed, every file written is signed ({@code <file>.sig}).
   *
   * @param trust the switch's signer and verifier; null to take and write unsigned files
   */
  public OnlineClearing(Config config, Database database, StoreKeys storeKeys, Path outDirectory, FileTrust trust) {
    this.config = Assert.notNull(config, "config");
    Assert.that(trust == null || trust.verifier().self().equals(config.self()), "the file trust is not {}'s",
        config.self());
    this.trust = trust;
    this.acceptedResults = trust == null ? null : new AcceptedFileLog(database, config.self());
    this.storeKeys = Assert.notNull(storeKeys, "storeKeys");
    this.routes = new IssuerRoutes(config.ranges());
    this.store = new ClearingStore(database);
    try {
      this.outDirectory = Files.createDirectories(outDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the clearing directory " + outDirectory, e);
    }
  }

  /**
   * Takes an acquirer's presentment file: once. A refused file changes nothing; a taken file's
   * presentments are each accepted or rejected with a reason, all recorded in one transaction, and
   * the acquirer's result file ({@code presentment-result-ACQUIRER-DATE-SEQ.txt}) is written.
   *
   * @throws UncheckedIOException when the file cannot be read or the result file written
   */
  public synchronized Intake accept(Path file) {
    VerifiedFile verified = null;
    if (trust != null) {
      try {
        // Replays are the store's to answer (the very file again gets its results back), not the verifier's.
        verified = trust.verifier().verify(file, FileKind.PRESENTMENT, AcceptedFiles.NONE);
        verified.requireSignerRole(PartyRole.OPERATOR);
      } catch (SignedFileException e) {
        return unverified(e, null);
      }
    }
    MessageDigest sha256 = newSha256();
    PresentmentFile.Read read;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
      read = PresentmentFile.read(in, config.limits());
    } catch (PresentmentFileException e) {
      return refused(Refusal.FORMAT, e.reason(), e.getMessage(), null, verified);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read presentment file " + file, e);
    }
    FileHeader h = read.header();
    if (verified != null) {
      try {
        verified.requireHeader(h);
      } catch (SignedFileException e) {
        return unverified(e, h);
      }
    }
    if (!h.receiver().equals(config.self())) {
      return refused(Refusal.NOT_FOR_SWITCH, null, "addressed to " + h.receiver(), h, verified);
    }
    if (!config.acquirers().contains(h.sender())) {
      return refused(Refusal.UNKNOWN_ACQUIRER, null, h.sender() + " is not an acquirer of this switch", h, verified);
    }
    if (!h.currency().equals(config.currency())) {
      return refused(Refusal.WRONG_CURRENCY, null, "in " + h.currency() + ", settlement is in " + config.currency(), h, verified);
    }
    for (Presentment p : read.presentments()) {
      if (!p.acquirer().equals(h.sender())) {
        return refused(Refusal.FOREIGN_PRESENTMENT, null, p.presentmentId() + " names " + p.acquirer(), h, verified);
      }
    }
    // The reader stops at the trailer and refuses anything after it, so the digest covers the whole file.
    String digest = HexFormat.of().formatHex(sha256.digest());
    ClearingStore.Taken taken = store.take(h, digest, read.presentments(), this::decide, storeKeys::seal);
    Path resultFile = outDirectory.resolve("presentment-result-" + h.sender().value() + "-" + h.businessDate() + "-"
        + h.sequence() + ".txt");
    if (taken.refusal() == Refusal.REPLAYED && !taken.results().isEmpty()) {
      // The very file again: its results stand; their file is written again if it was lost (a crash
      // after the commit), so the acquirer can always get its answer by sending the file again.
      if (!Files.exists(resultFile) || trust != null && !Files.exists(FileSigner.signaturePath(resultFile))) {
        writeResults(resultFile, h, taken.results());
      }
      LOG.log(Level.WARNING, "Presentment file replayed, its results stand [acquirer={0}, sequence={1}]", h.sender(),
          h.sequence());
      return new Intake(Refusal.REPLAYED, null, null, taken.detail(), h, taken.results(), resultFile, signer(verified));
    }
    if (taken.refusal() != null) {
      return refused(taken.refusal(), null, taken.detail(), h, verified);
    }
    writeResults(resultFile, h, taken.results());
    Intake intake = new Intake(null, null, null, "taken", h, taken.results(), resultFile, signer(verified));
    LOG.log(Level.INFO, "Presentment file taken [acquirer={0}, day={1}, sequence={2}, presentments={3}, accepted={4}]",
        h.sender(), h.businessDate(), h.sequence(), taken.results().size(), intake.accepted());
    return intake;
  }

  private void writeResults(Path resultFile, FileHeader h, List<PresentmentResult> results) {
    writeAtomically(resultFile, out -> PresentmentResultFile.write(out, config.self(), h.sender(), h.businessDate(),
        h.sequence(), h.currency(), results));
    sign(resultFile, FileKind.PRESENTMENT_RESULT);
  }

  /** Signs a file the switch wrote, when it signs its files. */
  private void sign(Path file, FileKind kind) {
    if (trust != null) {
      trust.signer().sign(file, kind);
    }
  }

  /** The checks of one presentment against the message log and what was cleared before (same transaction). */
  private ClearingStore.Decision decide(ClearingStore.Lookup lookup, Presentment p) {
    var issuer = routes.issuerOf(p.pan());
    String panHash = storeKeys.panHash(p.pan());
    if (issuer.isEmpty()) {
      return new ClearingStore.Decision(PresentmentResult.Status.UNKNOWN_CARD_RANGE, null, panHash);
    }
    return new ClearingStore.Decision(lookup.check(p, panHash), issuer.get(), panHash);
  }

  /**
   * Writes one presentment file per issuer with the accepted presentments of {@code businessDate}
   * not yet sent to it ({@code presentment-ISSUER-DATE-SEQ.txt}, the sequence running per issuer). A
   * second call sends only what was accepted since.
   *
   * @return per issuer that had presentments to send, its file
   */
  public synchronized Map<PartyId, Path> writeIssuerFiles(LocalDate businessDate) {
    Map<PartyId, Path> files = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    for (ClearingStore.IssuerBatch batch : store.unsent(businessDate, config.currency(), this::openPan)) {
      Path path = outDirectory.resolve("presentment-" + batch.issuer().value() + "-" + businessDate + "-"
          + batch.sequence() + ".txt");
      writeAtomically(path, out -> PresentmentFile.write(out, config.self(), batch.issuer(), businessDate,
          batch.sequence(), config.currency(), batch.presentments()));
      sign(path, FileKind.PRESENTMENT);
      store.markSent(batch, businessDate);
      files.put(batch.issuer(), path);
      LOG.log(Level.INFO, "Issuer presentment file written [issuer={0}, day={1}, sequence={2}, presentments={3}]",
          batch.issuer(), businessDate, batch.sequence(), batch.presentments().size());
    }
    return files;
  }

  private byte[] openPan(byte[] sealed) {
    return storeKeys.open(sealed).orElseThrow(() -> new IllegalStateException(
        "a sealed PAN of the presentment table does not open under the store key"));
  }

  /**
   * Records an issuer's result file: each presentment's issuer status, once (the same file again
   * changes nothing; a later, different answer for the same presentment is not taken).
   *
   * @throws PresentmentFileException when the file is malformed
   * @throws ProtocolException when it is not addressed to the switch by an issuer of its ranges
   * @throws SignedFileException when the switch signs its files and this one's signature does not verify as an
   *     issuer's, or it was recorded before (REPLAYED); checked before the file is parsed, nothing recorded
   */
  public synchronized IssuerResults recordIssuerResults(Path file) {
    VerifiedFile verified = null;
    if (trust != null) {
      verified = trust.verifier().verify(file, FileKind.PRESENTMENT_RESULT, acceptedResults);
      verified.requireSignerRole(PartyRole.ISSUER);
    }
    PresentmentResultFile.Read read;
    try (InputStream in = Files.newInputStream(file)) {
      read = PresentmentResultFile.read(in, config.limits());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read result file " + file, e);
    }
    FileHeader h = read.header();
    if (verified != null) {
      verified.requireHeader(h);
    }
    boolean issuer = config.ranges().stream().anyMatch(range -> range.issuer().equals(h.sender()));
    if (!h.receiver().equals(config.self()) || !issuer) {
      throw new ProtocolException("result file from " + h.sender() + " to " + h.receiver()
          + " is not an issuer's file for this switch");
    }
    IssuerResults recorded = store.recordIssuerResults(h.sender(), read.results());
    if (verified != null) {
      acceptedResults.record(verified);
    }
    return recorded;
  }

  /** Every presentment's switch status and issuer status, for reports and tests: acquirer, id, status, issuer status. */
  public List<List<String>> presentments(LocalDate businessDate) {
    return store.presentments(businessDate);
  }

  @Override
  public List<PartyId> participants() {
    return config.acquirers();
  }

  /** Closes day T to presentments and sums its accepted captures (issuer → acquirer) and refunds (acquirer → issuer). */
  @Override
  public synchronized Gross close(LocalDate businessDate) {
    return store.close(businessDate, System.currentTimeMillis());
  }

  @Override
  public synchronized void settled(LocalDate businessDate) {
    store.settled(businessDate);
  }

  private Intake refused(Refusal refusal, PresentmentFileException.Reason reason, String detail, FileHeader header,
      VerifiedFile verified) {
    LOG.log(Level.WARNING, "Presentment file refused [refusal={0}, detail={1}]", refusal, detail);
    return new Intake(refusal, reason, null, detail, header, List.of(), null, signer(verified));
  }

  private Intake unverified(SignedFileException e, FileHeader header) {
    LOG.log(Level.WARNING, "Presentment file refused [refusal={0}, detail={1}]", Refusal.SIGNATURE, e.getMessage());
    return new Intake(Refusal.SIGNATURE, null, e.reason(), e.getMessage(), header, List.of(), null, null);
  }

  private static PartyId signer(VerifiedFile verified) {
    return verified == null ? null : verified.signer().party();
  }

  @FunctionalInterface
  private interface Writing {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes to a temporary file in the same directory, then moves it in place: a reader never sees
   * half a file. Owner-only where the file system has POSIX permissions: issuer files carry PANs.
   */
  private static void writeAtomically(Path path, Writing writing) {
    Path temp = path.resolveSibling(path.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temp);
      if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      try (OutputStream out = Files.newOutputStream(temp)) {
        writing.write(out);
      }
      Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
