package io.iotpay.protocol.pki;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.pki.SchemeFixture.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/** Random corruption of a signed file or of its signature never passes the verifier, in both suites. */
class SignedFileProperties {
  private static final Map<AlgorithmSuite, Signed> SIGNED = new EnumMap<>(AlgorithmSuite.class);
  private static Path directory;

  /** One signed sample per suite and kind, kept in memory: each try writes a corrupted copy. */
  private record Signed(SchemeFixture scheme, Map<FileKind, byte[]> files, Map<FileKind, byte[]> signatures) {}

  private static synchronized Signed signed(AlgorithmSuite suite) {
    return SIGNED.computeIfAbsent(suite, s -> {
      try {
        if (directory == null) {
          directory = Files.createTempDirectory("signed-file-properties");
        }
        Path home = Files.createDirectories(directory.resolve(s.name()));
        SchemeFixture scheme = new SchemeFixture(s, home);
        Map<FileKind, byte[]> files = new EnumMap<>(FileKind.class);
        Map<FileKind, byte[]> signatures = new EnumMap<>(FileKind.class);
        for (FileKind kind : new FileKind[] {FileKind.OFFLINE, FileKind.CLEARING, FileKind.SETTLEMENT, FileKind.DENY_LIST}) {
          Sample sample = SchemeFixture.sign(scheme.write(kind, 1), scheme.senderOf(kind));
          files.put(kind, Files.readAllBytes(sample.file()));
          signatures.put(kind, Files.readAllBytes(FileSigner.signaturePath(sample.file())));
        }
        return new Signed(scheme, files, signatures);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @AfterContainer
  static void close() throws IOException {
    SIGNED.values().forEach(signed -> signed.scheme().close());
    if (directory != null) {
      try (var walk = Files.walk(directory)) {
        for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** How a try damages the pair. */
  enum Damage { FLIP_IN_FILE, FLIP_IN_SIGNATURE, TRUNCATE_FILE, TRUNCATE_SIGNATURE }

  @Property(tries = 300)
  void corruptedFileOrSignature_neverPasses(@ForAll AlgorithmSuite suite, @ForAll Damage damage,
      @ForAll("kinds") FileKind kind, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
      @ForAll @IntRange(min = 1, max = 255) int mask) throws IOException {
    Signed signed = signed(suite);
    byte[] file = signed.files().get(kind).clone();
    byte[] signature = signed.signatures().get(kind).clone();
    switch (damage) {
      case FLIP_IN_FILE -> file[where % file.length] ^= (byte) mask;
      case FLIP_IN_SIGNATURE -> signature[where % signature.length] ^= (byte) mask;
      case TRUNCATE_FILE -> file = Arrays.copyOf(file, where % file.length);
      case TRUNCATE_SIGNATURE -> signature = Arrays.copyOf(signature, where % signature.length);
    }
    Path target = Files.createTempFile(directory, kind.wireName(), ".txt");
    Files.write(target, file);
    Files.write(FileSigner.signaturePath(target), signature);
    SignedFileVerifier verifier = signed.scheme().verifierFor(SchemeFixture.receiverOf(kind));
    assertThatThrownBy(() -> verifier.verify(target, kind, AcceptedFiles.NONE)).isInstanceOf(SignedFileException.class);
    Files.delete(target);
    Files.delete(FileSigner.signaturePath(target));
  }

  /** The envelope parser on arbitrary bytes: a parse or a MALFORMED refusal, never another exception. */
  @Property(tries = 1000)
  void envelopeParser_onArbitraryBytes_parsesOrRefusesAsMalformed(@ForAll AlgorithmSuite suite,
      @ForAll @net.jqwik.api.constraints.Size(max = 600) byte[] bytes, @ForAll boolean startAsCoseSign1) {
    byte[] input = bytes;
    if (startAsCoseSign1 && bytes.length > 3) { // tag 18, array of 4, a byte string: reach the header parser
      input = bytes.clone();
      input[0] = (byte) 0xd2;
      input[1] = (byte) 0x84;
      input[2] = (byte) 0x59;
    }
    try {
      SignedFileEnvelope.parse(input, suite);
    } catch (SignedFileException e) {
      org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(SignedFileException.Reason.MALFORMED);
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<FileKind> kinds() {
    return net.jqwik.api.Arbitraries.of(FileKind.OFFLINE, FileKind.CLEARING, FileKind.SETTLEMENT, FileKind.DENY_LIST);
  }
}
