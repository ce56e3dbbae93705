package io.iotpay.app.cli;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.TlsIdentity;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * {@code --tls-cert FILE --tls-key FILE}: serve a command's HTTP over TLS from PEM files (what
 * {@code openssl req -x509 -newkey ec …} writes), both or neither. docs/serve.md, docs/parties.md.
 */
final class TlsOptions {
  @Option(names = "--tls-cert", paramLabel = "PEM", description = "serve HTTP over TLS with this certificate (chain, server's first); needs --tls-key")
  Path certificate;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "the certificate's private key (EC P-256 or RSA, unencrypted, owner-only); needs --tls-cert")
  Path key;

  /**
   * The identity the two files hold, or null when neither option is given.
   *
   * @throws InvalidInputException when only one is given, or a file is missing, unreadable, open to
   *     others (the key), not the expected PEM, or the key is not the certificate's
   */
  TlsIdentity read() {
    if (certificate == null && key == null) {
      return null;
    }
    if (certificate == null || key == null) {
      throw new InvalidInputException("--tls-cert and --tls-key go together (the certificate and its private key, PEM)");
    }
    return TlsIdentity.readPem(certificate, key, Instant.now());
  }
}
