package io.iotpay.ledger.witness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.ledger.audit.AuditExport;
import io.iotpay.ledger.audit.BoundedLines;
import io.iotpay.ledger.audit.Checkpoint;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The witness directory on disk: names, owner-only permissions, bounded readers, and the
 * append-only record of cosignatures. Formats in {@code docs/witness.md}.
 */
final class WitnessFiles {
  static final String CONFIG = "witness.conf";
  static final String PRIVATE_KEY = "witness-private-key.pem";
  static final String PUBLIC_KEY = "witness-public-key.pem";
  static final String LOG_PUBLIC_KEY = "log-public-key.pem";
  static final String COSIGNED = "cosigned.log";
  static final String LOCK = "lock";
  static final String CONFIG_FORMAT = "iotpay-witness/1";

  /** Longest line of {@link #COSIGNED}: a checkpoint and a cosignature in JSON take about 700 characters. */
  static final int LINE_CHARS_MAX = 4096;
  /**
   * Most cosignatures one record holds: at one a minute, nearly two years. A verifier holds one tree
   * head per line (about 100 bytes), so this bounds its memory near 100 MB; a fuller witness is retired
   * and a new one started.
   */
  static final int COSIGNATURES_MAX = 1_000_000;
  /** Longest {@link #CONFIG} accepted. */
  static final int CONFIG_CHARS_MAX = 4096;
  /** Longest PEM file accepted (the size {@code Pem} reads). */
  static final int PEM_CHARS_MAX = 64 * 1024;

  static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private static final ObjectMapper JSON = new ObjectMapper();

  private WitnessFiles() {}

  /** Creates {@code directory} owner-only (0700); an existing directory must be empty. */
  static void createDirectory(Path directory) throws IOException {
    if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
        throw new WitnessInputException(directory + " exists and is not a directory");
      }
      try (var entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new WitnessInputException(directory + " is not empty: a witness is created only in a new or empty directory");
        }
      }
      Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
      return;
    }
    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
    // createDirectories applies the umask; set the mode explicitly.
    Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
  }

  /** Writes a new owner-only (0600) file and forces it to disk; refuses an existing file. */
  static void writeNew(Path file, String text) throws IOException {
    FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS);
    try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
      channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new WitnessInputException(file + " already exists", e);
    }
    Files.setPosixFilePermissions(file, FILE_PERMISSIONS);
  }

  /**
   * Refuses a path that group or others may read, write or enter: the witness's key and record are its
   * own, like an SSH key.
   */
  static void requireOwnerOnly(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new WitnessInputException("no " + path + " (is this a witness directory? see iotpay witness init)");
    }
    if (Files.isSymbolicLink(path)) {
      throw new WitnessInputException(path + " is a symbolic link; the witness's files must be its own");
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    open.addAll(permissions);
    open.retainAll(GROUP_OR_OTHERS);
    if (!open.isEmpty()) {
      throw new WitnessInputException(path + " is open to group or others (" + PosixFilePermissions.toString(permissions)
          + "); the witness's files must be owner-only (chmod 700 the directory, 600 the files)");
    }
  }

  /** Reads a small text file, refusing one longer than {@code charsMax}. */
  static String readSmall(Path file, int charsMax) throws IOException {
    requireOwnerOnly(file);
    if (Files.size(file) > charsMax) {
      throw new WitnessInputException(file + ": longer than " + charsMax + " bytes");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** The {@code key value} lines of the config text; every key once. */
  static Map<String, String> parseConfig(String text, String where) {
    Map<String, String> values = new LinkedHashMap<>();
    if (text.length() > CONFIG_CHARS_MAX) {
      throw new WitnessInputException(where + ": longer than " + CONFIG_CHARS_MAX + " characters");
    }
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isEmpty()) {
        continue;
      }
      int space = line.indexOf(' ');
      if (space <= 0 || values.put(line.substring(0, space), line.substring(space + 1)) != null) {
        throw new WitnessInputException(where + " line " + lineNumber + ": expected 'key value' with each key once");
      }
    }
    if (!CONFIG_FORMAT.equals(values.get("format"))) {
      throw new WitnessInputException(where + ": first key must be 'format " + CONFIG_FORMAT + "'");
    }
    for (String key : List.of("suite", "log-key", "witness-key")) {
      if (!values.containsKey(key)) {
        throw new WitnessInputException(where + ": missing '" + key + "'");
      }
    }
    return values;
  }

  /** One line of {@link #COSIGNED}, without its newline. */
  static String toLine(Cosignature cosignature) {
    ObjectNode node = JSON.createObjectNode();
    node.set("checkpoint", AuditExport.checkpointToJson(cosignature.checkpoint()));
    node.put("witnessKeyId", cosignature.witnessKeyId());
    node.put("timestampMs", cosignature.timestampMs());
    node.put("cosignature", Hex.encode(cosignature.signature()));
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialise", e);
    }
  }

  /**
   * Parses the record's text: one cosignature per line, at most {@link #COSIGNATURES_MAX}, lines at most
   * {@link #LINE_CHARS_MAX} characters. Checks the shape only; signatures are the caller's.
   *
   * @throws WitnessInputException naming the line that is malformed
   */
  static List<Cosignature> parseRecord(Reader text, String where) throws IOException {
    List<Cosignature> out = new ArrayList<>();
    BoundedLines lines = new BoundedLines(text, LINE_CHARS_MAX, where);
    try {
      for (String line = lines.next(); line != null; line = lines.next()) {
        if (out.size() == COSIGNATURES_MAX) {
          throw new WitnessInputException(where + ": more than " + COSIGNATURES_MAX + " cosignatures");
        }
        out.add(parseLine(line, where + " line " + lines.lineNumber()));
      }
    } catch (WitnessInputException e) {
      throw e;
    } catch (InvalidInputException e) {
      throw new WitnessInputException(e.getMessage(), e);
    }
    return out;
  }

  static List<Cosignature> parseRecord(String text, String where) {
    try {
      return parseRecord(new StringReader(text), where);
    } catch (IOException e) {
      throw new IllegalStateException("a string reader failed", e);
    }
  }

  private static Cosignature parseLine(String line, String where) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new WitnessInputException(where + ": not JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (node == null || !node.isObject() || !node.path("checkpoint").isObject()) {
      throw new WitnessInputException(where + ": expected an object with a 'checkpoint' object");
    }
    Checkpoint checkpoint = AuditExport.checkpointFromJson(node.get("checkpoint"), where);
    JsonNode keyId = node.path("witnessKeyId");
    JsonNode time = node.path("timestampMs");
    JsonNode signature = node.path("cosignature");
    if (!keyId.isTextual() || !time.canConvertToExactIntegral() || !time.canConvertToLong() || !signature.isTextual()) {
      throw new WitnessInputException(where + ": needs witnessKeyId (text), timestampMs (integer), cosignature (hex)");
    }
    if (signature.asText().length() > 2 * 256) {
      throw new WitnessInputException(where + ": cosignature longer than 256 bytes");
    }
    try {
      return new Cosignature(checkpoint, keyId.asText(), time.asLong(), Hex.decode(signature.asText()));
    } catch (InvalidInputException e) {
      throw new WitnessInputException(where + ": cosignature: " + e.getMessage(), e);
    }
  }

  /** Reads the record in {@code directory} (empty when the witness never cosigned). */
  static List<Cosignature> readRecord(Path directory) throws IOException {
    Path file = directory.resolve(COSIGNED);
    requireOwnerOnly(file);
    if (Files.size(file) > (long) LINE_CHARS_MAX * COSIGNATURES_MAX) {
      throw new WitnessInputException(file + ": larger than " + LINE_CHARS_MAX + " x " + COSIGNATURES_MAX + " bytes");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parseRecord(reader, file.toString());
    }
  }

  /** Appends one line to the record and forces it to disk before returning. */
  static void append(Path directory, Cosignature cosignature) throws IOException {
    byte[] line = (toLine(cosignature) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(directory.resolve(COSIGNED), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }
}
