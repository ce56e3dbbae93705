package io.iotpay.platform.keys;

import io.iotpay.foundation.InvalidInputException;
import java.nio.file.Path;

/**
 * The node's platform keys could not be loaded or created. The message names the file concerned
 * and never carries key material; nothing on disk was changed by the failed call. The CLI prints the
 * message on one line and exits 2.
 */
public final class PlatformKeysException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Reason {
    /** The master key (environment variable or file) is not hex of the required length. */
    MASTER_KEY_INVALID,
    /** Platform keys exist but neither the environment variable nor the master-key file is there. */
    MASTER_KEY_MISSING,
    /** A sealed file does not open under the master key given (wrong key, or the file was altered). */
    WRONG_MASTER_KEY,
    /** A file of an existing key directory is missing. */
    MISSING_FILE,
    /** A file is over its bound or its content is not what it should be. */
    MALFORMED_FILE,
    /** The file system refused a read or write. */
    IO
  }

  private final Reason reason;
  private final transient Path file;

  /**
   * @param reason what went wrong; never null
   * @param file the file concerned; may be null when none is (an environment variable)
   * @param message one line, no key material
   */
  public PlatformKeysException(Reason reason, Path file, String message) {
    this(reason, file, message, null);
  }

  /** As {@link #PlatformKeysException(Reason, Path, String)}, with the underlying cause. */
  public PlatformKeysException(Reason reason, Path file, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.file = file;
  }

  public Reason reason() {
    return reason;
  }

  /** The file concerned, or null when the problem is not a file's (an environment variable). */
  public Path file() {
    return file;
  }
}
