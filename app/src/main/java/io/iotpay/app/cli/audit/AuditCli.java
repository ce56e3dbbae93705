package io.iotpay.app.cli.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditInputException;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.PublicKeyPem;
import io.iotpay.foundation.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the audit commands share: opening the database, reading keys, writing JSON. */
final class AuditCli {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String SQLITE_PREFIX = "jdbc:sqlite:";

  private AuditCli() {}

  /**
   * The JDBC URL of a {@code --db} value: a JDBC URL as given, anything else is a SQLite file path.
   */
  static String jdbcUrl(String database) {
    return database.startsWith("jdbc:") ? database : SQLITE_PREFIX + database;
  }

  /**
   * Opens an existing database for reading; never creates one.
   *
   * @throws AuditInputException when a SQLite file does not exist
   */
  static Database openExisting(String database) {
    String url = jdbcUrl(database);
    if (url.startsWith(SQLITE_PREFIX)) {
      Path file = Path.of(url.substring(SQLITE_PREFIX.length()));
      if (!Files.isRegularFile(file)) {
        throw new AuditInputException("no database at " + file + " (run ./iotpay demo first, or pass --db)");
      }
    }
    return Database.open(url, 2);
  }

  /** The public keys in a PEM file, by key id under {@code suite}. */
  static Map<String, PublicKey> readPublicKeys(Path pemFile, AlgorithmSuite suite) {
    String text;
    try {
      if (Files.size(pemFile) > PublicKeyPem.TEXT_CHARS_MAX) {
        throw new AuditInputException(pemFile + ": larger than " + PublicKeyPem.TEXT_CHARS_MAX + " bytes");
      }
      text = Files.readString(pemFile, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new AuditInputException("cannot read public key file " + pemFile + " (" + e + ")", e);
    }
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (byte[] der : PublicKeyPem.decodeAll(text, pemFile.toString())) {
      keys.put(Checkpoint.keyIdOf(suite, der), suite.signature().publicKeyFromDer(der));
    }
    return keys;
  }

  /**
   * The key rule of {@code audit verify} and {@code audit check-proof}: signatures are checked only
   * against a key the caller gives; without one the command refuses unless told it checks
   * self-consistency only.
   *
   * @throws AuditInputException (exit 2) when neither or both are given
   */
  static void requireKeyRule(Path publicKey, boolean selfConsistencyOnly, String command) {
    if (publicKey == null && !selfConsistencyOnly) {
      throw new AuditInputException(command + " needs --public-key PEM (the log's key, obtained from its operator): the key"
          + " stored in the log cannot vouch for the log; pass --self-consistency-only to check self-consistency alone");
    }
    if (publicKey != null && selfConsistencyOnly) {
      throw new AuditInputException("give --public-key or --self-consistency-only, not both");
    }
  }

  static String json(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialise", e);
    }
  }
}
