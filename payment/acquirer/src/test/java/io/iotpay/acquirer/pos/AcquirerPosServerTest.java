package io.iotpay.acquirer.pos;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.pos.merchant.InMemorySettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.MerchantState;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Registration;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server keeps its keys in its key directory: after a restart it serves the same merchants under the same terminal CAs. */
class AcquirerPosServerTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void restart_keepsKeysCasAndMerchants(AlgorithmSuite suite) throws Exception {
    InMemorySettlementAccountCheck accounts = new InMemorySettlementAccountCheck().open("10200000", "6222000011112222");
    AcquirerPosServer.Settings settings = new AcquirerPosServer.Settings("jdbc:sqlite:" + dir.resolve("pos.db"), "127.0.0.1", 0, suite,
        dir.resolve("keys"), null, Set.of("5812"), Map.of("alice", "alice-operator-token-0123456789abcdef"), accounts);
    Registration registration = new Registration("Noodle Stall", "91310000MA1K000001", "110105194912310021", "5812", "1 Road",
        new SettlementAccount("10200000", "6222000011112222"));
    MerchantId id;
    X509Certificate firstCa;
    try (AcquirerPosServer server = AcquirerPosServer.start(settings)) {
      OnboardingService.Registered registered = server.service().register("req-restart-1", registration);
      id = registered.merchant().id();
      assertThat(registered.merchant().state()).isEqualTo(MerchantState.ACTIVATED);
      firstCa = server.service().enrol(id, suite, csr(suite)).caCertificate();
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
    }
    assertThat(Files.getPosixFilePermissions(dir.resolve("keys").resolve("matching.key.hex")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try (AcquirerPosServer server = AcquirerPosServer.start(settings)) {
      // The matching key survived: the same request is recognised as a retry.
      OnboardingService.Registered again = server.service().register("req-restart-1", registration);
      assertThat(again.created()).isFalse();
      assertThat(again.merchant().id()).isEqualTo(id);
      OnboardingService.Enrolment enrolment = server.service().enrol(id, suite, csr(suite));
      assertThat(enrolment.caCertificate()).isEqualTo(firstCa);
      Certificates.check(suite, enrolment.certificate(), firstCa, Instant.now());
      assertThat(server.service().terminals(id)).hasSize(2);
    }
  }

  private static byte[] csr(AlgorithmSuite suite) throws Exception {
    var keys = suite.signature().generateKeyPair(new java.security.SecureRandom());
    String algorithm = suite == AlgorithmSuite.NATIONAL ? "SM3withSM2" : "SHA256withECDSA";
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=phone"), keys.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).setProvider(new BouncyCastleProvider()).build(keys.getPrivate())).getEncoded();
  }
}
