package io.iotpay.protocol.pki;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.bouncycastle.crypto.Digest;

/**
 * The bytes of a file as a receiver reads them in a pass it makes anyway (the switch's copy, the
 * issuer's integrity pass), hashed on the way with the suite's digest, so that {@link
 * SignedFileVerifier#verify(java.nio.file.Path, DigestingInputStream,
 * io.iotpay.protocol.file.FileKind, AcceptedFiles)}
 * needs no read of its own (docs/signed-files.md §4). Not thread-safe.
 */
public final class DigestingInputStream extends FilterInputStream {
  private static final int DRAIN_BYTES = 1 << 16;

  private final Digest digest;
  private long lengthBytes;
  private boolean atEnd;
  private byte[] finished;

  DigestingInputStream(InputStream in, Digest digest) {
    super(in);
    this.digest = digest;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    atEnd = b < 0;
    if (b >= 0) {
      requireOpen();
      digest.update((byte) b);
      lengthBytes++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    atEnd = n < 0;
    if (n > 0) {
      requireOpen();
      digest.update(buffer, offset, n);
      lengthBytes += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(DRAIN_BYTES, Math.max(0, n))];
    long skipped = 0;
    while (skipped < n) {
      int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int limit) {
    // not supported: every byte is hashed once, in order
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("a digesting stream cannot be reset");
  }

  /**
   * Reads what the receiver's pass left unread (bytes after a trailer, the rest after a parse
   * failure) through the digest, then finishes it. A stream read to its end needs no more reading
   * (and may be closed already).
   */
  void drainAndFinish() throws IOException {
    if (finished != null) {
      return;
    }
    byte[] buffer = new byte[DRAIN_BYTES];
    while (!atEnd) {
      read(buffer, 0, buffer.length); // hashed by read
    }
    finished = new byte[digest.getDigestSize()];
    digest.doFinal(finished, 0);
  }

  long lengthBytes() {
    return lengthBytes;
  }

  byte[] finishedDigest() {
    return finished.clone();
  }

  /**
   * The digest of every byte of the file, once a {@link SignedFileVerifier#verify(java.nio.file.Path,
   * DigestingInputStream, io.iotpay.protocol.file.FileKind, AcceptedFiles)} finished it (whether the
   * file then passed or was refused, e.g. as a replay, the digest is that of the bytes read); empty
   * before. Two files with the same digest have the same bytes (the suite's digest is
   * collision-resistant), so a receiver can recognise a file it already took without reading it again.
   */
  public java.util.Optional<byte[]> fileDigest() {
    return finished == null ? java.util.Optional.empty() : java.util.Optional.of(finished.clone());
  }

  private void requireOpen() {
    if (finished != null) {
      throw new IllegalStateException("bytes read after the digest was finished");
    }
  }
}
