package io.iotpay.protocol.file;

import io.iotpay.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads only the header line of a file (e.g. the sender's own file, to sign it). */
public final class FileHeaders {
  private FileHeaders() {}

  /**
   * The header of {@code file}, which must be of {@code kind}; the body is not read.
   *
   * @throws ProtocolException when the header is malformed or of another kind
   * @throws UncheckedIOException when the file cannot be read
   */
  public static FileHeader read(Path file, FileKind kind, FileLimits limits) {
    try (InputStream in = Files.newInputStream(file)) {
      return new FramedFileReader(in, limits, kind).header();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the header of " + file, e);
    }
  }
}
