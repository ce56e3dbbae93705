package io.iotpay.protocol.pki;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import io.iotpay.protocol.transit.DenyList;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

/**
 * The acceptance rule of a deny list at an operator and at a gate (docs/signed-files.md §6): a valid
 * signature by the issuer that published it or by the switch relaying it, and a version that follows
 * the holder's current one within a bound: {@code current < version ≤ current + versionStepMax}. A
 * version at or below the current one is REPLAYED, one beyond the bound VERSION_JUMP, so a forged or
 * runaway list with a huge version cannot freeze a gate's list. Checked before the list is parsed.
 * Stateless; thread-safe.
 */
public final class SignedDenyLists {
  /** The default bound of a version step. */
  public static final long VERSION_STEP_MAX_DEFAULT = 1_000;

  private final SignedFileVerifier verifier;
  private final long versionStepMax;
  private final FileLimits limits;

  /**
   * @param verifier the holder's verifier (the holder is the list's receiver: the operator)
   * @param versionStepMax how far past the current version a list may be, ≥ 1
   */
  public SignedDenyLists(SignedFileVerifier verifier, long versionStepMax, FileLimits limits) {
    if (versionStepMax < 1) {
      throw new IllegalArgumentException("deny list version step bound " + versionStepMax + " is below 1");
    }
    this.verifier = verifier;
    this.versionStepMax = versionStepMax;
    this.limits = limits;
  }

  /** With {@link #VERSION_STEP_MAX_DEFAULT} and default limits. */
  public SignedDenyLists(SignedFileVerifier verifier) {
    this(verifier, VERSION_STEP_MAX_DEFAULT, FileLimits.defaults());
  }

  /**
   * Verifies and reads a deny list file.
   *
   * @param currentVersion the version the holder has of an issuer's list, 0 when it has none
   * @return the list; the caller installs it
   * @throws SignedFileException with its reason (REPLAYED for a stale version, VERSION_JUMP beyond the bound)
   * @throws ProtocolException when the signed file is itself malformed
   */
  public DenyList accept(Path file, ToLongFunction<PartyId> currentVersion) {
    VerifiedFile verified = verifier.verify(file, FileKind.DENY_LIST, AcceptedFiles.NONE);
    PartyId issuer = verified.claims().sender();
    long current = currentVersion.applyAsLong(issuer);
    long version = verified.claims().sequence();
    if (version <= current) {
      throw new SignedFileException(Reason.REPLAYED, "deny list of " + issuer + " version " + version
          + " does not follow the current " + current);
    }
    if (version - current > versionStepMax) {
      throw new SignedFileException(Reason.VERSION_JUMP, "deny list of " + issuer + " version " + version
          + " is more than " + versionStepMax + " past the current " + current);
    }
    DenyListFile.Read read;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      read = DenyListFile.read(in, limits);
    } catch (IOException e) {
      throw new ProtocolException("deny list " + file.getFileName() + ": cannot read: " + e.getMessage(), e);
    }
    verified.requireHeader(read.header());
    return read.denyList();
  }
}
