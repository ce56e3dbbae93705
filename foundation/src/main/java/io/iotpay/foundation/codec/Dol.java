package io.iotpay.foundation.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Data Object List (EMV Book 3 §5.4): the card's list of tag + length pairs (PDOL 9F38, CDOL1
 * 8C, CDOL2 8D, DDOL 9F49, log format 9F4F) telling the terminal which values to send, in what
 * order and how long. {@link #build} makes the concatenated data from a {@link DolSource}.
 *
 * <p>Rules for each entry, after EMV Book 3 §5.4:
 *
 * <ul>
 *   <li>constructed tag, or value absent from the source: the entry's length of {@code 00} bytes;
 *   <li>value longer than the entry: format n keeps the rightmost bytes, every other format the
 *       leftmost;
 *   <li>value shorter: n is left-padded with {@code 00}, cn right-padded with {@code FF}, every other
 *       format right-padded with {@code 00}.
 * </ul>
 *
 * A tag not in {@link EmvTags} whose value the source does supply is treated as format b: the
 * source knowing it means the terminal knows it.
 *
 * @param entries the entries in order, not null
 */
public record Dol(List<DolEntry> entries) {
  /** Most entries a DOL may list; a DOL lives in one record, at most 255 bytes, 2 bytes an entry. */
  public static final int ENTRIES_MAX = 128;

  /**
   * @throws TlvException if there are more than {@link #ENTRIES_MAX} entries
   */
  public Dol {
    entries = List.copyOf(entries);
    if (entries.size() > ENTRIES_MAX) {
      throw new TlvException(-1, "DOL has " + entries.size() + " entries, above " + ENTRIES_MAX);
    }
  }

  /**
   * Parses the value of a DOL data object: tags of 1..3 bytes each followed by one length byte.
   *
   * @param bytes the DOL bytes, not null; empty gives an empty DOL
   * @throws TlvException naming the offset if a tag or length is truncated or malformed
   */
  public static Dol parse(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    List<DolEntry> entries = new ArrayList<>();
    int position = 0;
    while (position < bytes.length) {
      if (entries.size() == ENTRIES_MAX) {
        throw new TlvException(position, "DOL lists more than " + ENTRIES_MAX + " entries");
      }
      Tag tag = TagReader.read(bytes, position, bytes.length, Tag.BYTES_MAX, " in DOL");
      position += tag.byteCount();
      if (position >= bytes.length) {
        throw new TlvException(position, "DOL entry " + tag + " has no length byte");
      }
      entries.add(new DolEntry(tag, bytes[position++] & 0xFF));
    }
    return new Dol(entries);
  }

  /** Total bytes {@link #build} produces: the sum of the entry lengths. */
  public int dataLength() {
    int sum = 0;
    for (DolEntry entry : entries) {
      sum += entry.length();
    }
    return sum;
  }

  /** True when some entry asks for this tag. */
  public boolean contains(Tag tag) {
    return entries.stream().anyMatch(entry -> entry.tag().equals(tag));
  }

  /** The DOL's own encoding (tags and one-byte lengths); a new array. */
  public byte[] encode() {
    byte[] out = new byte[entries.size() * (Tag.BYTES_MAX + 1)];
    int position = 0;
    for (DolEntry entry : entries) {
      byte[] tag = entry.tag().bytes();
      System.arraycopy(tag, 0, out, position, tag.length);
      position += tag.length;
      out[position++] = (byte) entry.length();
    }
    return Arrays.copyOf(out, position);
  }

  /**
   * The concatenated data the DOL asks for, each value fitted to its entry's length by the rules
   * in the class comment.
   *
   * @param source where values come from, not null; it must not return null
   * @return exactly {@link #dataLength()} bytes; never null
   */
  public byte[] build(DolSource source) {
    Objects.requireNonNull(source, "source");
    byte[] out = new byte[dataLength()];
    int position = 0;
    for (DolEntry entry : entries) {
      byte[] fitted = fitted(entry, source);
      System.arraycopy(fitted, 0, out, position, fitted.length);
      position += fitted.length;
    }
    return out;
  }

  private static byte[] fitted(DolEntry entry, DolSource source) {
    if (entry.tag().isConstructed()) {
      return new byte[entry.length()];
    }
    Optional<byte[]> value = Objects.requireNonNull(source.valueOf(entry.tag()), "DolSource returned null");
    if (value.isEmpty()) {
      return new byte[entry.length()];
    }
    DataFormat format = EmvTags.lookup(entry.tag()).map(EmvTag::format).orElse(DataFormat.B);
    return fit(value.get(), entry.length(), format);
  }

  /**
   * Fits a value to a length by the EMV Book 3 §5.4 rules for its format.
   *
   * @param value the value as held, not null
   * @param length the length wanted, at least 0
   * @param format the value's format, not null
   * @return a new array of exactly {@code length} bytes
   */
  public static byte[] fit(byte[] value, int length, DataFormat format) {
    if (value.length == length) {
      return value.clone();
    }
    boolean numeric = format == DataFormat.N;
    if (value.length > length) {
      int from = numeric ? value.length - length : 0;
      return Arrays.copyOfRange(value, from, from + length);
    }
    byte[] out = new byte[length];
    if (numeric) {
      System.arraycopy(value, 0, out, length - value.length, value.length);
      return out;
    }
    System.arraycopy(value, 0, out, 0, value.length);
    if (format == DataFormat.CN) {
      Arrays.fill(out, value.length, length, (byte) 0xFF);
    }
    return out;
  }
}
