package io.iotpay.ledger.witness;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.MerkleProofs;
import io.iotpay.ledger.audit.PublicKeyPem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A witness of one audit log, kept in a directory of its own outside the log's database: its own
 * key pair, the log's public key it was given, and an append-only record of the checkpoints it
 * cosigned. It cosigns a checkpoint only when the log signed it and a consistency proof shows that
 * it extends the last checkpoint the witness cosigned, so it never cosigns a fork, a rollback or a
 * replay (C2SP tlog-witness's rules for {@code add-checkpoint}). A verifier that holds the witness's
 * public key then checks a database against the record ({@code iotpay audit verify --witness}).
 *
 * <p>An open witness holds an exclusive lock on the directory (two processes never race on the
 * record: the check and the append are atomic, as C2SP requires). Not thread-safe; close it.
 */
public final class Witness implements AutoCloseable {
  private final Path directory;
  private final AlgorithmSuite suite;
  private final PublicKey logKey;
  private final String logKeyId;
  private final PrivateKey witnessKey;
  private final String witnessKeyId;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private Cosignature latest;

  private Witness(Path directory, AlgorithmSuite suite, PublicKey logKey, PrivateKey witnessKey, String witnessKeyId,
      Clock clock, FileChannel lockChannel, FileLock lock, Cosignature latest) {
    this.directory = directory;
    this.suite = suite;
    this.logKey = logKey;
    this.logKeyId = Checkpoint.keyIdOf(suite, logKey.getEncoded());
    this.witnessKey = witnessKey;
    this.witnessKeyId = witnessKeyId;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.latest = latest;
  }

  /**
   * Creates a witness in {@code directory} (new or empty; made 0700, its files 0600): a fresh key pair
   * of {@code suite}, the log's public key, an empty record.
   *
   * @param logPublicKeyDer the log's signing key (X.509 DER) as obtained from its operator
   * @return the witness's public key (X.509 DER), to hand to verifiers
   * @throws WitnessInputException when the directory is not empty or the key is not of the suite
   */
  public static byte[] init(Path directory, AlgorithmSuite suite, byte[] logPublicKeyDer, SecureRandom random) throws IOException {
    PublicKey logKey = suite.signature().publicKeyFromDer(logPublicKeyDer);
    WitnessFiles.createDirectory(directory);
    KeyPair keyPair = suite.signature().generateKeyPair(random);
    byte[] publicDer = keyPair.getPublic().getEncoded();
    WitnessFiles.writeNew(directory.resolve(WitnessFiles.PRIVATE_KEY), Pem.write(keyPair.getPrivate()));
    WitnessFiles.writeNew(directory.resolve(WitnessFiles.PUBLIC_KEY), PublicKeyPem.encode(publicDer));
    WitnessFiles.writeNew(directory.resolve(WitnessFiles.LOG_PUBLIC_KEY), PublicKeyPem.encode(logKey.getEncoded()));
    WitnessFiles.writeNew(directory.resolve(WitnessFiles.COSIGNED), "");
    WitnessFiles.writeNew(directory.resolve(WitnessFiles.LOCK), "");
    // The config last: a directory without it is an interrupted init, never a usable witness.
    WitnessFiles.writeNew(directory.resolve(WitnessFiles.CONFIG),
        "format " + WitnessFiles.CONFIG_FORMAT + "\nsuite " + suite.name() + "\nlog-key " + Checkpoint.keyIdOf(suite, logKey.getEncoded())
            + "\nwitness-key " + Checkpoint.keyIdOf(suite, publicDer) + "\n");
    return publicDer;
  }

  /**
   * Opens the witness in {@code directory}: checks every file is owner-only, reads its keys and record,
   * checks the record's order and that its last cosignature is its own, and takes the directory's lock.
   *
   * @throws WitnessInputException when a file is missing, open to others, or malformed, or another
   *     process holds the witness
   * @throws WitnessIntegrityException when the record does not hold (an altered or forged last line)
   */
  public static Witness open(Path directory, Clock clock) throws IOException {
    WitnessFiles.requireOwnerOnly(directory);
    Map<String, String> config = WitnessFiles.parseConfig(
        WitnessFiles.readSmall(directory.resolve(WitnessFiles.CONFIG), WitnessFiles.CONFIG_CHARS_MAX), WitnessFiles.CONFIG);
    AlgorithmSuite suite = AlgorithmSuite.byName(config.get("suite"));
    PrivateKey witnessKey = Pem.readPrivateKey(
        WitnessFiles.readSmall(directory.resolve(WitnessFiles.PRIVATE_KEY), WitnessFiles.PEM_CHARS_MAX), suite);
    PublicKey witnessPublic = publicKey(directory, suite);
    PublicKey logKey = logPublicKey(directory, suite);
    String witnessKeyId = Checkpoint.keyIdOf(suite, witnessPublic.getEncoded());
    if (!witnessKeyId.equals(config.get("witness-key")) || !Checkpoint.keyIdOf(suite, logKey.getEncoded()).equals(config.get("log-key"))) {
      throw new WitnessInputException(directory + ": the key files do not match " + WitnessFiles.CONFIG);
    }
    WitnessFiles.requireOwnerOnly(directory.resolve(WitnessFiles.LOCK));
    FileChannel lockChannel = FileChannel.open(directory.resolve(WitnessFiles.LOCK), StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new WitnessInputException(directory + " is in use by another witness process");
    }
    try {
      List<Cosignature> record = WitnessFiles.readRecord(directory);
      checkRecord(record, suite, logKey, witnessPublic, witnessKeyId, false);
      Cosignature latest = record.isEmpty() ? null : record.get(record.size() - 1);
      return new Witness(directory, suite, logKey, witnessKey, witnessKeyId, clock, lockChannel, lock, latest);
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  /** The witness's public key in {@code directory} (from {@value WitnessFiles#PUBLIC_KEY}). */
  public static PublicKey publicKey(Path directory, AlgorithmSuite suite) throws IOException {
    return Pem.readPublicKey(WitnessFiles.readSmall(directory.resolve(WitnessFiles.PUBLIC_KEY), WitnessFiles.PEM_CHARS_MAX), suite);
  }

  private static PublicKey logPublicKey(Path directory, AlgorithmSuite suite) throws IOException {
    return Pem.readPublicKey(WitnessFiles.readSmall(directory.resolve(WitnessFiles.LOG_PUBLIC_KEY), WitnessFiles.PEM_CHARS_MAX), suite);
  }

  /** The suite named in the witness's config. */
  public static AlgorithmSuite suiteOf(Path directory) throws IOException {
    Map<String, String> config = WitnessFiles.parseConfig(
        WitnessFiles.readSmall(directory.resolve(WitnessFiles.CONFIG), WitnessFiles.CONFIG_CHARS_MAX), WitnessFiles.CONFIG);
    return AlgorithmSuite.byName(config.get("suite"));
  }

  /**
   * Reads and checks the whole record of a witness for a verifier: every cosignature must verify under
   * {@code witnessKey} (the key the verifier trusts for this witness, not necessarily the directory's),
   * every cosigned checkpoint must be signed by one of {@code logKeys}, and numbers and sizes must grow.
   * Does not take the witness's lock: the record is append-only, a concurrent append adds a line.
   *
   * @throws WitnessIntegrityException naming the first line that does not hold
   * @throws WitnessInputException when the directory or record is unreadable or malformed
   */
  public static List<Cosignature> readVerifiedRecord(Path directory, PublicKey witnessKey, Map<String, PublicKey> logKeys)
      throws IOException {
    WitnessFiles.requireOwnerOnly(directory);
    List<Cosignature> record = WitnessFiles.readRecord(directory);
    String witnessKeyId = record.isEmpty() ? "" : Checkpoint.keyIdOf(record.get(0).suite(), witnessKey.getEncoded());
    for (int i = 0; i < record.size(); i++) {
      Cosignature cosignature = record.get(i);
      PublicKey logKey = logKeys.get(cosignature.checkpoint().keyId());
      if (logKey == null || !cosignature.checkpoint().signatureValidUnder(logKey)) {
        throw new WitnessIntegrityException(WitnessFiles.COSIGNED + " line " + (i + 1) + ": the cosigned checkpoint "
            + cosignature.checkpoint().number() + " is not signed by a trusted log key");
      }
    }
    checkRecord(record, record.isEmpty() ? null : record.get(0).suite(), null, witnessKey, witnessKeyId, true);
    return record;
  }

  /**
   * The record as tree heads a verifier holds a log to ({@code AuditVerifier.verify} with trusted
   * heads): one per cosignature, naming the witness and the checkpoint.
   */
  public static List<io.iotpay.ledger.audit.TrustedHead> trustedHeads(List<Cosignature> record) {
    return record.stream()
        .map(c -> new io.iotpay.ledger.audit.TrustedHead(c.checkpoint().treeSize(), c.checkpoint().rootHash(),
            "witness " + c.witnessKeyId() + " (cosigned checkpoint " + c.checkpoint().number() + " at " + c.timestampMs() + " ms)"))
        .toList();
  }

  /**
   * Checks the record's order (numbers and sizes grow) and its cosignatures: all of them when
   * {@code all}, else the last (the state the witness goes on from; the rest were checked when written).
   */
  private static void checkRecord(List<Cosignature> record, AlgorithmSuite suite, PublicKey logKey, PublicKey witnessKey,
      String witnessKeyId, boolean all) {
    for (int i = 0; i < record.size(); i++) {
      Cosignature cosignature = record.get(i);
      String where = WitnessFiles.COSIGNED + " line " + (i + 1);
      if (cosignature.suite() != suite) {
        throw new WitnessIntegrityException(where + ": suite " + cosignature.suite() + " but the witness's is " + suite);
      }
      if (i > 0 && (cosignature.checkpoint().number() <= record.get(i - 1).checkpoint().number()
          || cosignature.checkpoint().treeSize() < record.get(i - 1).checkpoint().treeSize())) {
        throw new WitnessIntegrityException(where + ": checkpoint number or tree size goes backwards");
      }
      boolean check = all || i == record.size() - 1;
      if (check && (!cosignature.witnessKeyId().equals(witnessKeyId) || !cosignature.validUnder(witnessKey))) {
        throw new WitnessIntegrityException(where + ": the cosignature does not verify under witness key " + witnessKeyId
            + " (forged or altered)");
      }
      if (check && logKey != null && !cosignature.checkpoint().signatureValidUnder(logKey)) {
        throw new WitnessIntegrityException(where + ": the cosigned checkpoint is not signed by the log's key");
      }
    }
  }

  /**
   * Verifies {@code checkpoint} against the last checkpoint this witness cosigned and cosigns it: the
   * log's signature must verify under the log key the witness holds; {@code proof} must be an RFC 9162
   * consistency proof from {@code oldSize} (the size the witness last cosigned, 0 at first) to the
   * checkpoint's size. The cosignature is appended to the record and forced to disk before it is
   * returned. A refusal changes nothing.
   *
   * @throws IOException when the record cannot be written (nothing was cosigned)
   */
  public AddResult add(Checkpoint checkpoint, long oldSize, List<byte[]> proof) throws IOException {
    Optional<AddResult.Refused> refused = refusal(checkpoint, oldSize, proof);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (latest != null && latest.checkpoint().equals(checkpoint)) {
      return new AddResult.AlreadyCosigned(latest);
    }
    // The witness's time never goes backwards in its record, even if its clock does.
    long timestampMs = Math.max(clock.millis(), latest == null ? Long.MIN_VALUE : latest.timestampMs());
    byte[] signature = suite.signature().sign(witnessKey, Cosignature.signedBytes(checkpoint, witnessKeyId, timestampMs));
    Cosignature cosignature = new Cosignature(checkpoint, witnessKeyId, timestampMs, signature);
    WitnessFiles.append(directory, cosignature);
    latest = cosignature;
    return new AddResult.Cosigned(cosignature);
  }

  private Optional<AddResult.Refused> refusal(Checkpoint checkpoint, long oldSize, List<byte[]> proof) {
    long witnessSize = latest == null ? 0 : latest.checkpoint().treeSize();
    if (checkpoint.suite() != suite || !checkpoint.keyId().equals(logKeyId)) {
      return refuse(Refusal.UNKNOWN_LOG, "checkpoint " + checkpoint.number() + " names key " + checkpoint.keyId() + " and suite "
          + checkpoint.suite() + "; this witness serves key " + logKeyId + ", suite " + suite, witnessSize);
    }
    if (!checkpoint.signatureValidUnder(logKey)) {
      return refuse(Refusal.LOG_SIGNATURE_INVALID, "checkpoint " + checkpoint.number(), witnessSize);
    }
    if (latest != null) {
      Optional<AddResult.Refused> order = orderRefusal(checkpoint, latest.checkpoint());
      if (order.isPresent()) {
        return order;
      }
    }
    if (oldSize < 0 || oldSize > checkpoint.treeSize()) {
      return refuse(Refusal.BAD_OLD_SIZE, "old size " + oldSize + ", checkpoint size " + checkpoint.treeSize(), witnessSize);
    }
    if (oldSize != witnessSize) {
      return refuse(Refusal.OLD_SIZE_MISMATCH, "the proof starts at size " + oldSize + "; the witness last cosigned size " + witnessSize,
          witnessSize);
    }
    byte[] oldRoot = latest == null ? null : latest.checkpoint().rootHash();
    if (!MerkleProofs.verifyConsistency(suite, witnessSize, checkpoint.treeSize(), oldRoot, checkpoint.rootHash(), proof)) {
      return refuse(Refusal.FORK_PROOF_INVALID, "from the cosigned tree of " + witnessSize + " leaves to checkpoint "
          + checkpoint.number() + " of " + checkpoint.treeSize() + " leaves (root " + Hex.encode(checkpoint.rootHash()) + ")",
          witnessSize);
    }
    return Optional.empty();
  }

  /** A checkpoint that does not come after the last cosigned one; empty when it does (or is that one). */
  private static Optional<AddResult.Refused> orderRefusal(Checkpoint checkpoint, Checkpoint cosigned) {
    long witnessSize = cosigned.treeSize();
    if (checkpoint.equals(cosigned)) {
      return Optional.empty();
    }
    if (checkpoint.number() < cosigned.number()) {
      return refuse(Refusal.REPLAY, "checkpoint " + checkpoint.number() + " (size " + checkpoint.treeSize()
          + ") comes before checkpoint " + cosigned.number() + " (size " + witnessSize + ") that the witness cosigned", witnessSize);
    }
    if (checkpoint.treeSize() < witnessSize) {
      return refuse(Refusal.ROLLBACK, "checkpoint " + checkpoint.number() + " covers " + checkpoint.treeSize()
          + " leaves; the witness cosigned " + witnessSize + " (checkpoint " + cosigned.number() + ")", witnessSize);
    }
    if (checkpoint.treeSize() == witnessSize && !MessageDigest.isEqual(checkpoint.rootHash(), cosigned.rootHash())) {
      return refuse(Refusal.FORK_SAME_SIZE, "at size " + witnessSize + " the witness cosigned root " + Hex.encode(cosigned.rootHash())
          + ", checkpoint " + checkpoint.number() + " says " + Hex.encode(checkpoint.rootHash()), witnessSize);
    }
    if (checkpoint.number() == cosigned.number()) {
      return refuse(Refusal.NUMBER_REUSED, "checkpoint " + checkpoint.number() + " (size " + checkpoint.treeSize()
          + ") differs from the checkpoint " + cosigned.number() + " the witness cosigned (size " + witnessSize + ")", witnessSize);
    }
    return Optional.empty();
  }

  private static Optional<AddResult.Refused> refuse(Refusal reason, String detail, long witnessSize) {
    return Optional.of(new AddResult.Refused(reason, detail, witnessSize));
  }

  /** The last checkpoint this witness cosigned; empty before the first. */
  public Optional<Cosignature> latest() {
    return Optional.ofNullable(latest);
  }

  /** Tree size of the last cosigned checkpoint (0 before the first): where the next proof starts. */
  public long treeSize() {
    return latest == null ? 0 : latest.checkpoint().treeSize();
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  /** Id of the log key the witness serves. */
  public String logKeyId() {
    return logKeyId;
  }

  /** Id of the witness's own key. */
  public String witnessKeyId() {
    return witnessKeyId;
  }

  public Path directory() {
    return directory;
  }

  /** Releases the directory's lock. Idempotent. */
  @Override
  public void close() throws IOException {
    if (lockChannel.isOpen()) {
      lock.release();
      lockChannel.close();
    }
  }
}
