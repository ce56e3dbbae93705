package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The POS's record of ratings its cards confirmed (docs/wallet.md §5), beside the
 * {@link WalletJournal}: one line {@code RC1;confirmationInput;cardSignature;crc32} (hex) per
 * WRITE RATING the card answered, forced to disk before the tap goes on. The day file reports
 * them to the issuer. On open a torn last line is cut; any other bad line refuses to open.
 * Not thread-safe; one per POS.
 */
public final class RatingConfirmationLog implements AutoCloseable {
  /** Bound on the file read at start-up. */
  public static final long FILE_BYTES_MAX = 64L << 20;
  private static final int LINE_CHARS_MAX = 256;

  private final Path file;
  private final FileChannel channel;
  private final List<RatingConfirmation> confirmations;

  private RatingConfirmationLog(Path file, FileChannel channel, List<RatingConfirmation> confirmations) {
    this.file = file;
    this.channel = channel;
    this.confirmations = confirmations;
  }

  /**
   * Opens (creating if absent) and reads the confirmations.
   *
   * @throws WalletException (device POS) when a line other than the last is malformed or the file is too large
   */
  public static RatingConfirmationLog open(Path file) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      if (channel.size() > FILE_BYTES_MAX) {
        channel.close();
        throw new WalletException(WalletException.Device.POS, "rating log " + file + " exceeds " + FILE_BYTES_MAX);
      }
      String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
      List<RatingConfirmation> read = new ArrayList<>();
      int good = 0;
      for (int i = 0; i < lines.length - 1; i++) {
        Optional<RatingConfirmation> c = parse(lines[i]);
        if (c.isEmpty()) {
          if (i == lines.length - 2) {
            break; // the torn tail
          }
          channel.close();
          throw new WalletException(WalletException.Device.POS, "rating log " + file + " line " + (i + 1)
              + " malformed");
        }
        read.add(c.get());
        good += lines[i].length() + 1;
      }
      if (good < channel.size()) {
        channel.truncate(good);
        channel.force(true);
      }
      channel.position(good);
      return new RatingConfirmationLog(file, channel, read);
    } catch (IOException e) {
      throw new UncheckedIOException("rating log " + file + " cannot be opened", e);
    }
  }

  private static Optional<RatingConfirmation> parse(String line) {
    Optional<String> body = line.length() > LINE_CHARS_MAX ? Optional.empty() : CheckedLines.open(line);
    String[] f = body.map(b -> b.split(";", -1)).orElse(new String[0]);
    if (f.length != 3 || !"RC1".equals(f[0])) {
      return Optional.empty();
    }
    try {
      return Optional.of(new RatingConfirmation(Hex.decode(f[1]), Hex.decode(f[2])));
    } catch (IllegalArgumentException | io.iotpay.foundation.codec.CodecException e) {
      return Optional.empty();
    }
  }

  /** Appends a confirmation and forces it to disk. */
  public void append(RatingConfirmation confirmation) {
    String line = CheckedLines.seal(String.join(";", "RC1", Hex.encode(confirmation.signedInput()),
        Hex.encode(confirmation.cardSignature()))) + "\n";
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("rating log " + file + ": append failed", e);
    }
    confirmations.add(confirmation);
  }

  /** Every confirmation, oldest first. */
  public List<RatingConfirmation> confirmations() {
    return Collections.unmodifiableList(confirmations);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("rating log " + file + ": close failed", e);
    }
  }
}
