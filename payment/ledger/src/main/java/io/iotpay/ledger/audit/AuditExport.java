package io.iotpay.ledger.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The audit log as a directory anyone can verify offline with nothing but the public key. Four files
 * (format in {@code docs/audit.md}):
 *
 * <ul>
 *   <li>{@code manifest.json}: format, version, suite, leaf and checkpoint counts;
 *   <li>{@code leaves.txt}: one leaf's entry bytes per line, in hex, line {@code i+1} = leaf {@code i}
 *       (the same form {@code iotpay audit root --leaves} reads);
 *   <li>{@code checkpoints.jsonl}: one JSON object per checkpoint, by number;
 *   <li>{@code public-key.pem}: the log's public keys ({@code PUBLIC KEY} PEM blocks).
 * </ul>
 */
public final class AuditExport {
  public static final String MANIFEST = "manifest.json";
  public static final String LEAVES = "leaves.txt";
  public static final String CHECKPOINTS = "checkpoints.jsonl";
  public static final String PUBLIC_KEY = "public-key.pem";
  public static final String FORMAT = "iotpay-audit-export";
  public static final int VERSION = 1;

  /** Longest leaves.txt line: the hex of the largest entry any log accepts. */
  static final int LEAF_LINE_CHARS_MAX = 2 * AuditLogConfig.ENTRY_BYTES_MAX_LIMIT;
  /** Longest checkpoints.jsonl line; a checkpoint is about 400 characters. */
  static final int CHECKPOINT_LINE_CHARS_MAX = 4096;
  /** Most checkpoints an export may hold (one a second for about 190 days); they are kept in memory. */
  public static final int CHECKPOINTS_MAX = 16 * 1024 * 1024;
  static final int MANIFEST_CHARS_MAX = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditExport() {}

  /** What an export holds. */
  public record Summary(AlgorithmSuite suite, long leafCount, long checkpointCount) {}

  /**
   * Writes {@code source} into {@code directory} (created if absent; must be empty). Checkpoints are
   * read before leaves, so on a live log every exported checkpoint covers exported leaves only.
   *
   * @throws AuditInputException when the directory is not empty
   */
  public static Summary write(AuditSource source, Path directory) throws IOException, SQLException {
    Files.createDirectories(directory);
    try (var entries = Files.list(directory)) {
      if (entries.findAny().isPresent()) {
        throw new AuditInputException("export directory " + directory + " is not empty");
      }
    }
    AlgorithmSuite suite = source.suite();
    List<Checkpoint> checkpoints = source.checkpoints();
    Map<String, byte[]> keys = source.publicKeysDer();
    long leafCount = writeLeaves(source, directory.resolve(LEAVES));
    try (BufferedWriter out = Files.newBufferedWriter(directory.resolve(CHECKPOINTS), StandardCharsets.UTF_8)) {
      for (Checkpoint checkpoint : checkpoints) {
        out.write(JSON.writeValueAsString(toJson(checkpoint)));
        out.write('\n');
      }
    }
    StringBuilder pem = new StringBuilder();
    keys.values().forEach(der -> pem.append(PublicKeyPem.encode(der)));
    Files.writeString(directory.resolve(PUBLIC_KEY), pem, StandardCharsets.US_ASCII);
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", FORMAT).put("version", VERSION).put("suite", suite.name());
    manifest.put("leafCount", leafCount).put("checkpointCount", checkpoints.size());
    manifest.put("leavesFile", LEAVES).put("checkpointsFile", CHECKPOINTS).put("publicKeyFile", PUBLIC_KEY);
    // Written last: a directory with a manifest is a complete export.
    Files.writeString(directory.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
    return new Summary(suite, leafCount, checkpoints.size());
  }

  private static long writeLeaves(AuditSource source, Path file) throws IOException, SQLException {
    long[] count = {0};
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      source.forEachLeaf(
          (leafIndex, entry, chainHash) -> {
            try {
              out.write(Hex.encode(entry));
              out.write('\n');
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            count[0]++;
            return true;
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return count[0];
  }

  static ObjectNode toJson(Checkpoint checkpoint) {
    ObjectNode node = JSON.createObjectNode();
    node.put("number", checkpoint.number());
    node.put("treeSize", checkpoint.treeSize());
    node.put("rootHash", Hex.encode(checkpoint.rootHash()));
    node.put("timestampMs", checkpoint.timestampMs());
    node.put("suite", checkpoint.suite().name());
    node.put("keyId", checkpoint.keyId());
    node.put("signature", Hex.encode(checkpoint.signature()));
    return node;
  }

  /**
   * A checkpoint from its JSON object (as in {@code checkpoints.jsonl} and proofs).
   *
   * @throws AuditInputException naming {@code where} and the missing or malformed field
   */
  public static Checkpoint checkpointFromJson(JsonNode node, String where) {
    try {
      return new Checkpoint(
          requiredLong(node, "number", where),
          requiredLong(node, "treeSize", where),
          Hex.decode(requiredText(node, "rootHash", where)),
          requiredLong(node, "timestampMs", where),
          AlgorithmSuite.byName(requiredText(node, "suite", where)),
          requiredText(node, "keyId", where),
          Hex.decode(requiredText(node, "signature", where)));
    } catch (AuditInputException e) {
      throw e;
    } catch (InvalidInputException e) {
      throw new AuditInputException(where + ": " + e.getMessage(), e);
    }
  }

  /** The checkpoint as a JSON object (field names as in {@code checkpoints.jsonl}). */
  public static ObjectNode checkpointToJson(Checkpoint checkpoint) {
    return toJson(checkpoint);
  }

  static long requiredLong(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw new AuditInputException(where + ": field '" + field + "' missing or not an integer");
    }
    return value.asLong();
  }

  static String requiredText(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new AuditInputException(where + ": field '" + field + "' missing or not a string");
    }
    return value.asText();
  }

  /**
   * The export in {@code directory}, checked for its manifest; leaves and checkpoints are read when
   * the verifier asks.
   *
   * @throws AuditInputException when the manifest is missing or malformed, or names another format
   */
  public static AuditSource open(Path directory) throws IOException {
    Path manifestFile = directory.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new AuditInputException("no " + MANIFEST + " in " + directory + " (not an audit export)");
    }
    if (Files.size(manifestFile) > MANIFEST_CHARS_MAX) {
      throw new AuditInputException(MANIFEST + ": larger than " + MANIFEST_CHARS_MAX + " bytes");
    }
    JsonNode manifest = parse(Files.readString(manifestFile, StandardCharsets.UTF_8), MANIFEST);
    String format = requiredText(manifest, "format", MANIFEST);
    long version = requiredLong(manifest, "version", MANIFEST);
    if (!FORMAT.equals(format) || version != VERSION) {
      throw new AuditInputException(MANIFEST + ": format '" + format + "' version " + version + " (expected " + FORMAT + " version " + VERSION + ")");
    }
    AlgorithmSuite suite;
    try {
      suite = AlgorithmSuite.byName(requiredText(manifest, "suite", MANIFEST));
    } catch (InvalidInputException e) {
      throw new AuditInputException(MANIFEST + ": " + e.getMessage(), e);
    }
    return new ExportedSource(directory, suite, requiredLong(manifest, "leafCount", MANIFEST));
  }

  private static JsonNode parse(String text, String where) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new AuditInputException(where + ": not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new AuditInputException(where + ": not JSON (" + e.getOriginalMessage() + ")", e);
    }
  }

  /** An export directory read as an {@link AuditSource}. */
  private record ExportedSource(Path directory, AlgorithmSuite suite, long leafCount) implements AuditSource {
    @Override
    public List<Checkpoint> checkpoints() throws IOException {
      List<Checkpoint> checkpoints = new ArrayList<>();
      try (BufferedReader reader = Files.newBufferedReader(directory.resolve(CHECKPOINTS), StandardCharsets.UTF_8)) {
        BoundedLines lines = new BoundedLines(reader, CHECKPOINT_LINE_CHARS_MAX, CHECKPOINTS);
        for (String line = lines.next(); line != null; line = lines.next()) {
          if (checkpoints.size() == CHECKPOINTS_MAX) {
            throw new AuditInputException(CHECKPOINTS + ": more than " + CHECKPOINTS_MAX + " checkpoints");
          }
          String where = CHECKPOINTS + " line " + lines.lineNumber();
          checkpoints.add(checkpointFromJson(parse(line, where), where));
        }
      }
      return checkpoints;
    }

    @Override
    public Map<String, byte[]> publicKeysDer() throws IOException {
      Path file = directory.resolve(PUBLIC_KEY);
      if (Files.size(file) > PublicKeyPem.TEXT_CHARS_MAX) {
        throw new AuditInputException(PUBLIC_KEY + ": larger than " + PublicKeyPem.TEXT_CHARS_MAX + " bytes");
      }
      Map<String, byte[]> keys = new LinkedHashMap<>();
      for (byte[] der : PublicKeyPem.decodeAll(Files.readString(file, StandardCharsets.US_ASCII), PUBLIC_KEY)) {
        keys.put(Checkpoint.keyIdOf(suite, der), der);
      }
      return keys;
    }

    @Override
    public void forEachLeaf(LeafVisitor visitor) throws IOException {
      try (BufferedReader reader = Files.newBufferedReader(directory.resolve(LEAVES), StandardCharsets.US_ASCII)) {
        BoundedLines lines = new BoundedLines(reader, LEAF_LINE_CHARS_MAX, LEAVES);
        for (String line = lines.next(); line != null; line = lines.next()) {
          if (!visitor.visit(lines.lineNumber() - 1, decodeLeaf(line, lines.lineNumber()), null)) {
            return;
          }
        }
      }
    }

    @Override
    public OptionalLong declaredLeafCount() {
      return OptionalLong.of(leafCount);
    }
  }

  /** One hex leaf line; names the file and line when it is not hex. */
  public static byte[] decodeLeaf(String line, long lineNumber) {
    return decodeLeaf(line, LEAVES + " line " + lineNumber);
  }

  /** One hex leaf line; {@code where} names the file and line for the error. */
  public static byte[] decodeLeaf(String line, String where) {
    try {
      return Hex.decode(line.strip());
    } catch (InvalidInputException e) {
      throw new AuditInputException(where + ": " + e.getMessage(), e);
    }
  }
}
