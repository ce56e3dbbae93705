package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.agent.transport.ConnectTokens;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.SignedMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code iotpay device token}: a text connect token signed by the key in the PEM file, both suites. */
class DeviceCommandTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void token_isBase64urlOfAConnectTokenSignedByTheDevicesKey(AlgorithmSuite suite) throws Exception {
    KeyPair keys = suite.signature().generateKeyPair(new SecureRandom());
    Path pem = tempDir.resolve("device.pem");
    Files.writeString(pem, Pem.write(keys.getPrivate()));

    CryptoCommandTest.Result result = CryptoCommandTest.run("device", "token", "--device", "washer-7", "--key", pem.toString(),
        "--suite", suite.name(), "--issued-at", "2026-12-07T01:00:00Z");

    assertThat(result.err()).isEmpty();
    assertThat(result.exit()).isZero();
    String token = result.out().strip();
    assertThat(token).matches("[A-Za-z0-9_-]+");
    SignedMessage signed = SignedMessage.parse(Base64.getUrlDecoder().decode(token));
    assertThat(signed.kid()).isEqualTo("washer-7");
    assertThat(signed.counter()).isEqualTo(Instant.parse("2026-12-07T01:00:00Z").toEpochMilli());
    assertThat(Cose.suiteOfSignatureAlg(signed.alg())).isEqualTo(suite);
    byte[] toBeSigned = Cose.toBeSigned(signed.protectedBytes(), ConnectTokens.AAD.getBytes(StandardCharsets.US_ASCII), signed.payload());
    assertThat(suite.signature().verify(keys.getPublic(), toBeSigned, Cose.derSignature(suite, signed.signature()))).isTrue();
    // Another key does not verify it: the token really is bound to the file's key.
    KeyPair other = suite.signature().generateKeyPair(new SecureRandom());
    assertThat(suite.signature().verify(other.getPublic(), toBeSigned, Cose.derSignature(suite, signed.signature()))).isFalse();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aMissingKeyFile_isBadInput(AlgorithmSuite suite) {
    CryptoCommandTest.Result result = CryptoCommandTest.run("device", "token", "--device", "washer-7",
        "--key", tempDir.resolve("absent.pem").toString(), "--suite", suite.name());
    assertThat(result.exit()).isEqualTo(io.iotpay.app.Main.EXIT_BAD_INPUT);
    assertThat(result.out()).isEmpty();
  }
}
