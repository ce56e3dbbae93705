package io.iotpay.phone.pos;

import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.terminal.pos.Iso8583OnlineAuthoriser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The 0100s the SDK sent, on disk, so that an SDK started after the app was killed can reverse them:
 * {@code sent/<sequence>.req} holds the message as sent (ISO 8583 without MAC, sealed with
 * {@link RecordSeal}: it carries the PAN), written and synced before the request leaves; an
 * acknowledged reversal renames it {@code <sequence>.rev}; an empty {@code <sequence>.none} records
 * that recovery found a journaled request that never left. Files are owner-only.
 */
final class DurableSentRequests implements Iso8583OnlineAuthoriser.SentRequests {
  private static final String SENT = ".req";
  private static final String REVERSED = ".rev";
  private static final String NOT_SENT = ".none";
  private static final long FILE_BYTES_MAX = 4_096;
  private final Path dir;
  private final RecordSeal seal;
  private final Iso8583Wire wire = Iso8583Wire.load();

  DurableSentRequests(Path dir, RecordSeal seal) {
    try {
      this.dir = SdkFiles.directory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    this.seal = seal;
  }

  @Override
  public void put(long sequence, CardTransaction sent) {
    try {
      SdkFiles.write(dir.resolve(sequence + SENT), seal.seal(wire.write(new AuthorisationRequest(sent))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the request before sending it", e);
    }
  }

  @Override
  public Optional<CardTransaction> get(long sequence) {
    return read(dir.resolve(sequence + SENT));
  }

  /** The request, reversed or not (a refund names its original). */
  Optional<CardTransaction> original(long sequence) {
    Optional<CardTransaction> sent = get(sequence);
    return sent.isPresent() ? sent : read(dir.resolve(sequence + REVERSED));
  }

  /** Recovery dealt with this transaction already (reversed, or found never sent). */
  boolean resolved(long sequence) {
    return Files.exists(dir.resolve(sequence + REVERSED)) || Files.exists(dir.resolve(sequence + NOT_SENT));
  }

  /** Records that the journaled request {@code sequence} never left the phone. */
  void markNotSent(long sequence) {
    try {
      SdkFiles.write(dir.resolve(sequence + NOT_SENT), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the recovery", e);
    }
  }

  @Override
  public void remove(long sequence) {
    try {
      Files.move(dir.resolve(sequence + SENT), dir.resolve(sequence + REVERSED), StandardCopyOption.ATOMIC_MOVE);
      SdkFiles.syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot mark the request reversed", e);
    }
  }

  /** The highest STAN among the requests on disk (0 when none): a restarted link continues above it. */
  int highestStan() {
    int highest = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(SENT) || f.toString().endsWith(REVERSED)).toList()) {
        Optional<CardTransaction> t = read(f);
        if (t.isPresent()) {
          highest = Math.max(highest, t.get().stan());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return highest;
  }

  private Optional<CardTransaction> read(Path file) {
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new SdkException(file.getFileName() + " is larger than any request");
      }
      byte[] plain = seal.open(Files.readAllBytes(file))
          .orElseThrow(() -> new SdkException(file.getFileName() + " does not open under the SDK's seal"));
      Iso8583Message message = wire.read(plain).message();
      if (!(message instanceof AuthorisationRequest request)) {
        throw new SdkException(file.getFileName() + " holds no 0100");
      }
      return Optional.of(request.transaction());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
