package io.iotpay.protocol.pki;

import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileHeaders;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bouncycastle.crypto.Digest;

/**
 * A party's signer of the files it sends (docs/signed-files.md §3): digests the file's exact bytes
 * and writes {@code <file>.sig}. The party's key stays in its {@link KeyCustody}; this class holds
 * only the key's ref and the party's certificate. Thread-safe as the custody is.
 */
public final class FileSigner {
  private static final int BUFFER_BYTES = 1 << 16;

  private final KeyCustody custody;
  private final KeyRef key;
  private final PartyCertificate certificate;
  private final byte[] certificateDer;

  /**
   * @param key the party's signing key in {@code custody}; its public half is the certificate's
   * @param certificate the party's certificate from the scheme CA
   */
  public FileSigner(KeyCustody custody, KeyRef key, PartyCertificate certificate) {
    this.custody = custody;
    this.key = key;
    this.certificate = certificate;
    this.certificateDer = certificate.encoded();
  }

  /** The signer's certificate. */
  public PartyCertificate certificate() {
    return certificate;
  }

  /** Where the signature of {@code file} lives: {@code <file>.sig} in the same directory. */
  public static Path signaturePath(Path file) {
    return file.resolveSibling(file.getFileName() + ".sig");
  }

  /**
   * Signs {@code file}, whose header is {@code header}, writing {@link #signaturePath} (atomically
   * replaced).
   *
   * @return the signature file
   * @throws UncheckedIOException when the file cannot be read or the signature written
   */
  public Path sign(Path file, FileHeader header) {
    Path signature = signaturePath(file);
    Path temporary = signature.resolveSibling(signature.getFileName() + ".tmp");
    try {
      Files.write(temporary, signature(file, header));
      Files.move(temporary, signature, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the signature of " + file, e);
    }
    return signature;
  }

  /**
   * Signs {@code file}, a file of {@code kind} this party wrote, its header read from the file.
   *
   * @return the signature file
   * @throws io.iotpay.protocol.ProtocolException when the file's header is not a {@code kind} header
   */
  public Path sign(Path file, FileKind kind) {
    return sign(file, FileHeaders.read(file, kind, FileLimits.defaults()));
  }

  /** The signature file's bytes for {@code file} (whose header is {@code header}). */
  public byte[] signature(Path file, FileHeader header) {
    Digest digest = key.suite().digest().newBcDigest();
    long length = digest(file, digest);
    byte[] value = new byte[digest.getDigestSize()];
    digest.doFinal(value, 0);
    return SignedFileEnvelope.sign(key.suite(), certificateDer, FileClaims.of(header, length), value,
        data -> custody.sign(key, data));
  }

  /** Feeds every byte of {@code file} to {@code digest}; returns how many there were. */
  static long digest(Path file, Digest digest) {
    byte[] buffer = new byte[BUFFER_BYTES];
    long length = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
        length += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return length;
  }
}
