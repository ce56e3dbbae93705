package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The POS's record of ratings its cards confirmed (docs/wallet.md §5), beside the
 * {@link WalletJournal}: one line {@code RC2;confirmationInput;cardMac;crc32} (hex; the input 21
 * bytes, the MAC 8) per WRITE RATING the card answered, forced to disk before the tap goes on. The
 * day file reports them to the issuer. On open a torn last line is cut; any other bad line refuses
 * to open, {@code RC1} lines (format 1, a card signature) included: a POS reports them before it
 * takes this version. Not thread-safe; one per POS.
 */
public final class RatingConfirmationLog implements AutoCloseable {
  /** Bound on the file read at start-up. */
  public static final long FILE_BYTES_MAX = 64L << 20;
  /** A line is at most about 75 characters; the bound leaves room and refuses a runaway line. */
  private static final int LINE_CHARS_MAX = 256;
  /** Tag of a line, format 2 (the card's MAC). */
  static final String TAG = "RC2";

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
    CheckedLines.Opened<RatingConfirmation> opened = CheckedLines.openFile(file, "rating log", FILE_BYTES_MAX,
        LINE_CHARS_MAX, f -> f.length == 3 && TAG.equals(f[0])
            ? Optional.of(new RatingConfirmation(Hex.decode(f[1]), Hex.decode(f[2]))) : Optional.empty());
    return new RatingConfirmationLog(file, opened.channel(), new ArrayList<>(opened.values()));
  }

  /** Appends a confirmation and forces it to disk. */
  public void append(RatingConfirmation confirmation) {
    CheckedLines.append(channel, file, "rating log", String.join(";", TAG, Hex.encode(confirmation.input()),
        Hex.encode(confirmation.cardMac())));
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
