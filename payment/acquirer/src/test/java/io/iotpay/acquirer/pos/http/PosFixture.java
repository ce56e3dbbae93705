package io.iotpay.acquirer.pos.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.acquirer.pos.merchant.InMemorySettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.KeyedHash;
import io.iotpay.acquirer.pos.merchant.OnboardingConfig;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.SanctionsList;
import io.iotpay.acquirer.pos.merchant.TerminalCa;
import io.iotpay.acquirer.pos.store.JdbcOnboardingStore;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The acquirer's onboarding API on a real database (an SQLite file, or a fresh PostgreSQL schema when
 * {@code IOTPAY_TEST_POSTGRES_URL} is set) with a real audit log and terminal CAs of both suites,
 * served over loopback; {@link #restart()} closes everything and opens it again on the same database.
 * Every response body is kept in {@link #responses} so tests can grep them.
 */
final class PosFixture implements AutoCloseable {
  static final String POSTGRES_URL_VARIABLE = "IOTPAY_TEST_POSTGRES_URL";
  static final String ALICE_TOKEN = "alice-operator-token-0123456789abcdef";
  static final String BOB_TOKEN = "bob-operator-token-fedcba9876543210fedc";
  static final Set<String> SERVED_MCCS = Set.of("5411", "5812", "4121", "5912");
  /** A bank that answers penny tests; accounts are open only when {@link #openAccount} said so. */
  static final String BANK = "10200000";
  /** A bank whose penny tests go unanswered. */
  static final String SILENT_BANK = "10300000";
  static final ObjectMapper JSON = new ObjectMapper();

  final AlgorithmSuite suite;
  final String jdbcUrl;
  final Path sanctionsFile;
  final InMemorySettlementAccountCheck accounts = new InMemorySettlementAccountCheck().unreachable(SILENT_BANK);
  final List<String> responses = new ArrayList<>();
  private final KeyPair auditKeys;
  private final List<TerminalCa> terminalCas;
  private final byte[] matchingKey = new byte[32];
  private final byte[] tokenKey = new byte[32];
  private final int registrationsPerMinuteMax;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  Database database;
  AuditLog auditLog;
  JdbcOnboardingStore store;
  OnboardingService service;
  PosHttpApi api;

  PosFixture(AlgorithmSuite suite, Database.Dialect dialect, Path dir, List<String> sanctionedIds, int registrationsPerMinuteMax)
      throws IOException, SQLException {
    this.suite = suite;
    this.registrationsPerMinuteMax = registrationsPerMinuteMax;
    this.jdbcUrl = switch (dialect) {
      case SQLITE -> "jdbc:sqlite:" + dir.resolve("acquirer-pos-" + UUID.randomUUID() + ".db");
      case POSTGRESQL -> freshPostgresSchema();
    };
    SecureRandom random = new SecureRandom();
    random.nextBytes(matchingKey);
    random.nextBytes(tokenKey);
    this.auditKeys = suite.signature().generateKeyPair(random);
    Instant now = Instant.now();
    this.terminalCas = List.of(
        TerminalCa.create(AlgorithmSuite.INTERNATIONAL, "CN=Acquirer Terminal CA P-256,O=iotpay acquirer", now.minusSeconds(60),
            Duration.ofDays(3650), Duration.ofDays(730), random),
        TerminalCa.create(AlgorithmSuite.NATIONAL, "CN=Acquirer Terminal CA SM2,O=iotpay acquirer", now.minusSeconds(60),
            Duration.ofDays(3650), Duration.ofDays(730), random));
    this.sanctionsFile = dir.resolve("sanctions-" + UUID.randomUUID() + ".txt");
    Files.writeString(sanctionsFile, "# test deny list\n" + String.join("\n", sanctionedIds) + "\n", StandardCharsets.UTF_8);
    open();
  }

  private void open() throws IOException, SQLException {
    database = Database.open(jdbcUrl, 4);
    auditLog = AuditLog.open(database, AuditLogConfig.of(suite, auditKeys));
    store = JdbcOnboardingStore.open(database, auditLog);
    KeyedHash keyedHash = new KeyedHash(suite, matchingKey);
    service = new OnboardingService(store, OnboardingConfig.of(SERVED_MCCS), keyedHash, SanctionsList.load(sanctionsFile, keyedHash),
        accounts, terminalCas);
    PosHttpConfig config = PosHttpConfig.of(Map.of("alice", ALICE_TOKEN, "bob", BOB_TOKEN), tokenKey)
        .withRegistrationsPerMinuteMax(registrationsPerMinuteMax);
    api = new PosHttpApi(service, config, suite).start("127.0.0.1", 0);
  }

  void restart() throws IOException, SQLException {
    close();
    open();
  }

  TerminalCa ca(AlgorithmSuite of) {
    return terminalCas.stream().filter(ca -> ca.suite() == of).findFirst().orElseThrow();
  }

  InMemorySettlementAccountCheck openAccount(String accountNumber) {
    return accounts.open(BANK, accountNumber);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + api.port() + pathAndQuery);
  }

  /** A response: status and body parsed as JSON (the test fails on a non-JSON body). */
  record Answer(int status, JsonNode body, String raw) {}

  Answer post(String path, String token, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  Answer get(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      synchronized (responses) {
        responses.add(response.body());
      }
      return new Answer(response.statusCode(), JSON.readTree(response.body()), response.body());
    } catch (IOException e) {
      throw new IllegalStateException("request " + request.method() + " " + request.uri() + " failed or answered non-JSON", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (api != null) {
      api.close();
    }
    if (auditLog != null) {
      auditLog.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private static String freshPostgresSchema() {
    String base = System.getenv(POSTGRES_URL_VARIABLE);
    Assumptions.assumeTrue(base != null && !base.isBlank(), POSTGRES_URL_VARIABLE + " not set: PostgreSQL test skipped");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(base); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test schema", e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
