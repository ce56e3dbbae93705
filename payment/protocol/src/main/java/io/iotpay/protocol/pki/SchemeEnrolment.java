package io.iotpay.protocol.pki;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.protocol.PartyId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheme's PKI set up in one process, as the demo and tests run it: the scheme CA and every party
 * with its own {@link SoftwareKeyCustody} under {@code directory} (one sub-directory each, sealed
 * under a random master key held in memory for the life of this object). Each enrolled party gets a
 * {@link FileTrust}. Not for production key ceremonies (docs/key-custody.md).
 */
public final class SchemeEnrolment implements AutoCloseable {
  private final Path directory;
  private final AlgorithmSuite suite;
  private final Instant notBefore;
  private final Instant notAfter;
  private final SecureRandom random = new SecureRandom();
  private final List<KeyCustody> custodies = new ArrayList<>();
  private final SchemeCa ca;

  private SchemeEnrolment(Path directory, AlgorithmSuite suite, Instant notBefore, Instant notAfter) {
    this.directory = directory;
    this.suite = suite;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    this.ca = SchemeCa.create(custody("scheme-ca"), "scheme-ca", suite, notBefore, notAfter);
  }

  /**
   * Creates the CA (its key in a custody of its own) valid from {@code notBefore} to {@code notAfter};
   * parties enrolled later get certificates of the same period.
   *
   * @throws UncheckedIOException when the directory cannot be created
   */
  public static SchemeEnrolment create(Path directory, AlgorithmSuite suite, Instant notBefore, Instant notAfter) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
    return new SchemeEnrolment(directory, suite, notBefore, notAfter);
  }

  /** The CA. */
  public SchemeCa ca() {
    return ca;
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  /** Enrols {@code party} as {@code role}: its own custody, signing key and certificate. */
  public synchronized FileTrust enrol(PartyId party, PartyRole role) {
    KeyCustody custody = custody(party.value() + "-" + role.name().toLowerCase(java.util.Locale.ROOT) + "-" + custodies.size());
    FileSigner signer = ca.enrol(custody, "file-signing", party, role, notBefore, notAfter);
    return new FileTrust(signer, verifierFor(party));
  }

  /** A verifier for {@code self} anchored on this scheme's CA. */
  public SignedFileVerifier verifierFor(PartyId self) {
    return new SignedFileVerifier(suite, ca.certificate(), self);
  }

  /**
   * A new software custody of this scheme's suite in its own sub-directory {@code name}, closed with
   * this object (for a party enrolled by hand, e.g. with another validity period).
   */
  public synchronized KeyCustody newCustody(String name) {
    return custody(name);
  }

  private KeyCustody custody(String name) {
    byte[] master = new byte[suite == AlgorithmSuite.INTERNATIONAL ? 32 : 16];
    random.nextBytes(master);
    KeyCustody custody = SoftwareKeyCustody.open(directory.resolve(name), suite, new SecretKeyBytes(master));
    java.util.Arrays.fill(master, (byte) 0);
    custodies.add(custody);
    return custody;
  }

  /** Closes every custody (clear key material in memory is overwritten). */
  @Override
  public synchronized void close() {
    custodies.forEach(KeyCustody::close);
  }
}
