package io.iotpay.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.IdentityException.Reason;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdentityServiceTest {
  @TempDir Path tempDir;
  private Database database;

  static Stream<Arguments> suitesAndDialects() {
    return Stream.of(AlgorithmSuite.values())
        .flatMap(suite -> TestDatabases.dialects().stream().map(dialect -> Arguments.of(suite, dialect)));
  }

  @AfterEach
  void close() {
    if (database != null) {
      database.close();
    }
  }

  private IdentityService service(AlgorithmSuite suite, Database.Dialect dialect) {
    database = TestDatabases.open(dialect, tempDir);
    return new IdentityService(new DeviceRegistry(database), Map.of(suite, Pki.deviceCa(suite)), IdentityConfig.defaults());
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void registerFromCsr_storesActiveDevice_andRefusesTheSameIdTwice(AlgorithmSuite suite, Database.Dialect dialect) {
    IdentityService identity = service(suite, dialect);
    KeyPair chip = suite.signature().generateKeyPair(Pki.RANDOM);
    byte[] csr = Pki.csr("CN=washer-1", chip, Pki.jcaAlgorithm(suite));

    DeviceRecord device = identity.registerFromCsr(suite, csr, Pki.T0);

    DeviceRecord stored = identity.deviceForMessage(new DeviceId("washer-1")).orElseThrow();
    assertThat(stored.status()).isEqualTo(DeviceStatus.ACTIVE);
    assertThat(stored.origin()).isEqualTo(RegistrationOrigin.CSR);
    assertThat(stored.suite()).isEqualTo(suite);
    assertThat(stored.publicKey().getEncoded()).isEqualTo(chip.getPublic().getEncoded());
    assertThat(identity.authenticate(suite, device.certificate(), Pki.T0).deviceId()).isEqualTo(new DeviceId("washer-1"));
    assertRefused(() -> identity.registerFromCsr(suite, csr, Pki.T0), Reason.ALREADY_REGISTERED);
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void authenticate_whenIssuedByRegisteredManufacturerCa_provisionsJustInTime(AlgorithmSuite suite, Database.Dialect dialect) {
    IdentityService identity = service(suite, dialect);
    Pki.Ca manufacturer = Pki.manufacturerCa(suite, "CN=Acme Washers CA, O=Acme");
    assertThat(identity.registerManufacturerCa(suite, manufacturer.certificate(), Pki.T0)).isTrue();
    assertThat(identity.registerManufacturerCa(suite, manufacturer.certificate(), Pki.T0)).isFalse();
    KeyPair chip = suite.signature().generateKeyPair(Pki.RANDOM);
    X509Certificate certificate = manufacturer.issue(suite, "acme-42", chip.getPublic());

    DeviceRecord first = identity.authenticate(suite, certificate, Pki.T0);
    DeviceRecord second = identity.authenticate(suite, certificate, Pki.T0.plusSeconds(60));

    assertThat(first.origin()).isEqualTo(RegistrationOrigin.JUST_IN_TIME);
    assertThat(first.status()).isEqualTo(DeviceStatus.ACTIVE);
    assertThat(second.registeredAt()).isEqualTo(Pki.T0);
    assertThat(identity.deviceForMessage(new DeviceId("acme-42"))).isPresent();
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void authenticate_whenManufacturerCaNotRegistered_refusesAndRegistersNothing(AlgorithmSuite suite, Database.Dialect dialect) {
    IdentityService identity = service(suite, dialect);
    identity.registerManufacturerCa(suite, Pki.manufacturerCa(suite, "CN=Acme CA").certificate(), Pki.T0);
    // Same subject name as the registered CA, different key: a forger copying the issuer name.
    Pki.Ca forger = Pki.manufacturerCa(suite, "CN=Acme CA");
    Pki.Ca unknown = Pki.manufacturerCa(suite, "CN=Rogue CA");
    Pki.Ca otherSuite = Pki.manufacturerCa(Pki.other(suite), "CN=Acme CA");
    KeyPair chip = suite.signature().generateKeyPair(Pki.RANDOM);

    assertRefused(() -> identity.authenticate(suite, unknown.issue(suite, "d-1", chip.getPublic()), Pki.T0), Reason.UNREGISTERED_MANUFACTURER);
    assertRefused(() -> identity.authenticate(suite, forger.issue(suite, "d-2", chip.getPublic()), Pki.T0), Reason.CERTIFICATE_INVALID);
    KeyPair otherChip = Pki.other(suite).signature().generateKeyPair(Pki.RANDOM);
    assertRefused(() -> identity.authenticate(suite, otherSuite.issue(Pki.other(suite), "d-3", otherChip.getPublic()), Pki.T0),
        Reason.CERTIFICATE_INVALID);
    assertThat(identity.deviceForMessage(new DeviceId("d-1"))).isEmpty();
    assertThat(identity.deviceForMessage(new DeviceId("d-2"))).isEmpty();
    assertThat(identity.deviceForMessage(new DeviceId("d-3"))).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void authenticate_whenCertificateExpired_refusesCertificateInvalid(AlgorithmSuite suite, Database.Dialect dialect) {
    IdentityService identity = service(suite, dialect);
    Pki.Ca manufacturer = Pki.manufacturerCa(suite, "CN=Acme CA");
    identity.registerManufacturerCa(suite, manufacturer.certificate(), Pki.T0);
    X509Certificate certificate = manufacturer.issue(suite, "d-9", suite.signature().generateKeyPair(Pki.RANDOM).getPublic());

    assertRefused(() -> identity.authenticate(suite, certificate, Pki.T0.plus(Duration.ofDays(400))), Reason.CERTIFICATE_INVALID);
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void authenticate_whenKnownDevicePresentsAnotherCertificate_refusesMismatch(AlgorithmSuite suite, Database.Dialect dialect) {
    IdentityService identity = service(suite, dialect);
    Pki.Ca manufacturer = Pki.manufacturerCa(suite, "CN=Acme CA");
    identity.registerManufacturerCa(suite, manufacturer.certificate(), Pki.T0);
    identity.authenticate(suite, manufacturer.issue(suite, "twin", suite.signature().generateKeyPair(Pki.RANDOM).getPublic()), Pki.T0);
    // A clone with its own key and a certificate the (compromised or careless) manufacturer issued.
    X509Certificate clone = manufacturer.issue(suite, "twin", suite.signature().generateKeyPair(Pki.RANDOM).getPublic());

    assertRefused(() -> identity.authenticate(suite, clone, Pki.T0), Reason.CERTIFICATE_MISMATCH);
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void suspendResumeRevoke_takeEffectOnTheNextLookup_evenWhenCached(AlgorithmSuite suite, Database.Dialect dialect) {
    IdentityService identity = service(suite, dialect);
    DeviceRecord device = identity.registerFromCsr(suite,
        Pki.csr("CN=speaker-3", suite.signature().generateKeyPair(Pki.RANDOM), Pki.jcaAlgorithm(suite)), Pki.T0);
    DeviceId id = device.deviceId();
    assertThat(identity.deviceForMessage(id).orElseThrow().status()).isEqualTo(DeviceStatus.ACTIVE);

    identity.suspend(id, "owner reported it stolen", Pki.T0.plusSeconds(1));
    assertThat(identity.deviceForMessage(id).orElseThrow().status()).isEqualTo(DeviceStatus.SUSPENDED);
    assertRefused(() -> identity.authenticate(suite, device.certificate(), Pki.T0.plusSeconds(2)), Reason.SUSPENDED);

    identity.resume(id, "found", Pki.T0.plusSeconds(3));
    assertThat(identity.deviceForMessage(id).orElseThrow().status()).isEqualTo(DeviceStatus.ACTIVE);

    identity.revoke(id, "key compromised", Pki.T0.plusSeconds(4));
    DeviceRecord revoked = identity.deviceForMessage(id).orElseThrow();
    assertThat(revoked.status()).isEqualTo(DeviceStatus.REVOKED);
    assertThat(revoked.statusReason()).isEqualTo("key compromised");
    assertRefused(() -> identity.authenticate(suite, device.certificate(), Pki.T0.plusSeconds(5)), Reason.REVOKED);
    assertRefused(() -> identity.resume(id, "", Pki.T0.plusSeconds(6)), Reason.ILLEGAL_TRANSITION);
    assertRefused(() -> identity.revoke(id, "", Pki.T0.plusSeconds(6)), Reason.ILLEGAL_TRANSITION);
    assertRefused(() -> identity.suspend(new DeviceId("nobody"), "", Pki.T0), Reason.UNKNOWN_DEVICE);
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void revokedJitDevice_cannotComeBackByPresentingItsCertificateAgain(AlgorithmSuite suite, Database.Dialect dialect) {
    IdentityService identity = service(suite, dialect);
    Pki.Ca manufacturer = Pki.manufacturerCa(suite, "CN=Acme CA");
    identity.registerManufacturerCa(suite, manufacturer.certificate(), Pki.T0);
    X509Certificate certificate = manufacturer.issue(suite, "meter-5", suite.signature().generateKeyPair(Pki.RANDOM).getPublic());
    identity.authenticate(suite, certificate, Pki.T0);

    identity.revoke(new DeviceId("meter-5"), "decommissioned", Pki.T0.plusSeconds(1));

    assertRefused(() -> identity.authenticate(suite, certificate, Pki.T0.plusSeconds(2)), Reason.REVOKED);
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void changeMadeByAnotherNode_isSeenOnceTheCacheTtlHasPassed(AlgorithmSuite suite, Database.Dialect dialect) {
    database = TestDatabases.open(dialect, tempDir);
    AtomicLong nanos = new AtomicLong();
    IdentityService nodeA = new IdentityService(new DeviceRegistry(database), Map.of(suite, Pki.deviceCa(suite)),
        new IdentityConfig(10, 1_000), nanos::get);
    IdentityService nodeB = new IdentityService(new DeviceRegistry(database), Map.of(), IdentityConfig.defaults());
    DeviceId id = nodeA.registerFromCsr(suite,
        Pki.csr("CN=car-1", suite.signature().generateKeyPair(Pki.RANDOM), Pki.jcaAlgorithm(suite)), Pki.T0).deviceId();
    assertThat(nodeA.deviceForMessage(id).orElseThrow().status()).isEqualTo(DeviceStatus.ACTIVE);

    nodeB.suspend(id, "suspended on node B", Pki.T0.plusSeconds(1));

    nanos.addAndGet(999_000_000L);
    assertThat(nodeA.deviceForMessage(id).orElseThrow().status()).isEqualTo(DeviceStatus.ACTIVE);
    nanos.addAndGet(1_000_000L);
    assertThat(nodeA.deviceForMessage(id).orElseThrow().status()).isEqualTo(DeviceStatus.SUSPENDED);
  }

  @ParameterizedTest
  @MethodSource("suitesAndDialects")
  void rowReadAgain_reusesItsParsedCertificate_onlyWhileTheStoredBytesAreTheSame(AlgorithmSuite suite, Database.Dialect dialect)
      throws Exception {
    database = TestDatabases.open(dialect, tempDir);
    AtomicLong nanos = new AtomicLong();
    IdentityService nodeA = new IdentityService(new DeviceRegistry(database), Map.of(suite, Pki.deviceCa(suite)),
        new IdentityConfig(10, 1_000), nanos::get);
    IdentityService nodeB = new IdentityService(new DeviceRegistry(database), Map.of(suite, Pki.deviceCa(suite)), IdentityConfig.defaults());
    DeviceId car1 = nodeA.registerFromCsr(suite,
        Pki.csr("CN=car-1", suite.signature().generateKeyPair(Pki.RANDOM), Pki.jcaAlgorithm(suite)), Pki.T0).deviceId();
    DeviceRecord car2 = nodeB.registerFromCsr(suite,
        Pki.csr("CN=car-2", suite.signature().generateKeyPair(Pki.RANDOM), Pki.jcaAlgorithm(suite)), Pki.T0);
    DeviceRecord first = nodeA.deviceForMessage(car1).orElseThrow();

    nodeB.suspend(car1, "suspended on node B", Pki.T0.plusSeconds(1));
    nanos.addAndGet(1_000_000_000L);
    DeviceRecord reread = nodeA.deviceForMessage(car1).orElseThrow();

    assertThat(reread.status()).isEqualTo(DeviceStatus.SUSPENDED);
    assertThat(reread.certificate()).isSameAs(first.certificate());

    // Other bytes in the row (here car-2's certificate) are parsed afresh, never answered from memory.
    try (var connection = database.connection();
        var update = connection.prepareStatement("UPDATE identity_device SET certificate = ? WHERE device_id = ?")) {
      update.setBytes(1, car2.certificate().getEncoded());
      update.setString(2, car1.value());
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
    nanos.addAndGet(1_000_000_000L);
    DeviceRecord replaced = nodeA.deviceForMessage(car1).orElseThrow();

    assertThat(replaced.certificate()).isNotSameAs(first.certificate());
    assertThat(replaced.certificate().getEncoded()).isEqualTo(car2.certificate().getEncoded());
    assertThat(replaced.publicKey().getEncoded()).isEqualTo(car2.publicKey().getEncoded());
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
