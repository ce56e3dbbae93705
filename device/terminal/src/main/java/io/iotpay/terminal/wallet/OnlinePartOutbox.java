package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The POS's record of the issuer's answers to its online parts, beside the {@link WalletJournal}
 * that holds the parts themselves: one line {@code OA1;cardId;counter;answer;crc32} per answered
 * part, forced to disk. A journalled part with online amount and no line here is still to push.
 * On open a torn last line is cut; any other bad line refuses to open. Not thread-safe.
 */
public final class OnlinePartOutbox implements AutoCloseable {
  /** Bound on the file read at start-up. */
  public static final long FILE_BYTES_MAX = 64L << 20;
  private static final int LINE_CHARS_MAX = 80;

  private final Path file;
  private final FileChannel channel;
  private final Map<String, OnlinePartGateway.Answer> answers;

  private OnlinePartOutbox(Path file, FileChannel channel, Map<String, OnlinePartGateway.Answer> answers) {
    this.file = file;
    this.channel = channel;
    this.answers = answers;
  }

  /**
   * Opens (creating if absent) and reads the answers.
   *
   * @throws WalletException (device POS) when a line other than the last is malformed or the file is too large
   */
  public static OnlinePartOutbox open(Path file) {
    CheckedLines.Opened<Map.Entry<String, OnlinePartGateway.Answer>> opened = CheckedLines.openFile(file, "outbox",
        FILE_BYTES_MAX, LINE_CHARS_MAX, f -> f.length == 4 && "OA1".equals(f[0])
            ? Optional.of(Map.entry(key(f[1], Long.parseLong(f[2])), OnlinePartGateway.Answer.valueOf(f[3])))
            : Optional.empty());
    Map<String, OnlinePartGateway.Answer> answers = new HashMap<>();
    opened.values().forEach(e -> answers.put(e.getKey(), e.getValue()));
    return new OnlinePartOutbox(file, opened.channel(), answers);
  }

  /** The issuer's answer to this card's part, if one came. */
  public Optional<OnlinePartGateway.Answer> answer(byte[] cardId, long counter) {
    return Optional.ofNullable(answers.get(key(Hex.encode(cardId), counter)));
  }

  /** Records the answer and forces it to disk; a second answer for the same part is ignored. */
  public void record(byte[] cardId, long counter, OnlinePartGateway.Answer answer) {
    String key = key(Hex.encode(cardId), counter);
    if (answers.containsKey(key)) {
      return;
    }
    CheckedLines.append(channel, file, "outbox", String.join(";", "OA1", Hex.encode(cardId), Long.toString(counter),
        answer.name()));
    answers.put(key, answer);
  }

  /** How many parts got this answer. */
  public long count(OnlinePartGateway.Answer answer) {
    return answers.values().stream().filter(answer::equals).count();
  }

  private static String key(String cardIdHex, long counter) {
    return cardIdHex.toUpperCase(java.util.Locale.ROOT) + "/" + counter;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("outbox " + file + ": close failed", e);
    }
  }
}
