package io.iotpay.acquirer.pos.merchant;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The acquirer's sanctions/deny list of owners' identity numbers, loaded from a file (format in
 * {@code docs/merchant-onboarding.md}): UTF-8 text, one entry per line, {@code ID} or
 * {@code ID;NOTE}; blank lines and lines starting with {@code #} are skipped. Identity numbers are
 * normalised as at registration ({@link Fields#number}) and kept only as keyed hashes.
 *
 * <p>The parser is a single loop over lines with named bounds; a bad file is refused whole.
 */
public final class SanctionsList {
  /** Largest file accepted, bytes (about a million entries of ordinary length). */
  public static final int FILE_BYTES_MAX = 64 * 1024 * 1024;
  /** Longest line, characters: an identity number and a note. */
  public static final int LINE_CHARS_MAX = 512;
  /** Most entries: bounds the set's memory (a hash and its hex per entry). */
  public static final int ENTRIES_MAX = 2_000_000;
  static final String HASH_DOMAIN = "owner-id";

  private final Set<String> hashes;
  private final KeyedHash keyedHash;

  private SanctionsList(Set<String> hashes, KeyedHash keyedHash) {
    this.hashes = Set.copyOf(hashes);
    this.keyedHash = keyedHash;
  }

  /** A list with no entries. */
  public static SanctionsList empty(KeyedHash keyedHash) {
    return new SanctionsList(Set.of(), keyedHash);
  }

  /**
   * Reads the list file.
   *
   * @throws SanctionsFileException when the file is over {@link #FILE_BYTES_MAX}, not UTF-8, or a line is bad
   * @throws IOException when the file cannot be read
   */
  public static SanctionsList load(Path file, KeyedHash keyedHash) throws IOException {
    long size = Files.size(file);
    if (size > FILE_BYTES_MAX) {
      throw new SanctionsFileException("sanctions file of " + size + " bytes; at most " + FILE_BYTES_MAX);
    }
    return parse(Files.readAllBytes(file), keyedHash);
  }

  /**
   * Parses the list from the file's bytes.
   *
   * @throws SanctionsFileException naming the first bad line (by number; the entry is not echoed)
   */
  public static SanctionsList parse(byte[] content, KeyedHash keyedHash) {
    if (content.length > FILE_BYTES_MAX) {
      throw new SanctionsFileException("sanctions file of " + content.length + " bytes; at most " + FILE_BYTES_MAX);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SanctionsFileException("sanctions file is not UTF-8");
    }
    Set<String> hashes = new HashSet<>();
    int lineNumber = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      lineNumber++;
      String line = text.substring(start, end);
      start = end + 1;
      String number = entryOf(line, lineNumber);
      if (number == null) {
        continue;
      }
      if (hashes.size() >= ENTRIES_MAX) {
        throw new SanctionsFileException("sanctions file has more than " + ENTRIES_MAX + " entries");
      }
      hashes.add(HexFormat.of().formatHex(keyedHash.of(HASH_DOMAIN, number)));
    }
    return new SanctionsList(hashes, keyedHash);
  }

  /** The normalised identity number of one line, or null for a blank or comment line. */
  private static String entryOf(String rawLine, int lineNumber) {
    String line = rawLine.endsWith("\r") ? rawLine.substring(0, rawLine.length() - 1) : rawLine;
    if (line.length() > LINE_CHARS_MAX) {
      throw new SanctionsFileException("sanctions file line " + lineNumber + " is longer than " + LINE_CHARS_MAX + " characters");
    }
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return null;
    }
    int separator = trimmed.indexOf(';');
    String id = separator < 0 ? trimmed : trimmed.substring(0, separator);
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (Character.isISOControl(c) && c != '\t') {
        throw new SanctionsFileException("sanctions file line " + lineNumber + " holds a control character");
      }
    }
    try {
      return Fields.number(id.strip(), "identity number");
    } catch (OnboardingException e) {
      throw new SanctionsFileException("sanctions file line " + lineNumber + ": " + e.getMessage());
    }
  }

  /** Entries on the list. */
  public int size() {
    return hashes.size();
  }

  /** Whether the normalised identity number is on the list. */
  public boolean contains(String normalisedIdNumber) {
    return hashes.contains(HexFormat.of().formatHex(keyedHash.of(HASH_DOMAIN, normalisedIdNumber)));
  }

  /** Whether the keyed hash of an identity number (as stored for a merchant) is on the list. */
  public boolean containsHash(byte[] ownerIdHash) {
    return hashes.contains(HexFormat.of().formatHex(ownerIdHash));
  }
}
