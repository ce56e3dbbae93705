package io.iotpay.app.cli;

import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.ConnectTokens;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code iotpay device}: what a device (or its developer) makes for itself. */
@Command(
    name = "device",
    mixinStandardHelpOptions = true,
    description = "What a device makes for itself: an MQTT connect token, and its envelopes (seal, open; as 'iotpay envelope').",
    subcommands = {DeviceCommand.Token.class, DeviceEnvelopeCommand.SealCommand.class, DeviceEnvelopeCommand.OpenCommand.class})
public final class DeviceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code iotpay device token --device ID --key PEM}: a fresh connect token in its text form on stdout,
   * for {@code mosquitto_pub -i ID -u ID -P TOKEN}. The broker takes a token once, within its clock skew.
   */
  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description = {
        "Prints a fresh MQTT connect token (base64url, no padding) signed by the device's private key.",
        "Use it as the CONNECT password, e.g. mosquitto_pub -i ID -u ID -P TOKEN; it is good once, for minutes."
      })
  static final class Token implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--device", required = true, description = "The device id (the MQTT client id).")
    String device;

    @Option(names = "--key", required = true, description = "The device's private key, PEM (PKCS#8).")
    Path key;

    @Option(names = "--suite", defaultValue = "INTERNATIONAL",
        description = "INTERNATIONAL (ECDSA P-256) or NATIONAL (SM2); default ${DEFAULT-VALUE}.")
    String suite;

    @Option(names = "--issued-at", description = "Issued-at time, ISO-8601 (default: now).")
    String issuedAt;

    @Override
    public void run() {
      AlgorithmSuite chosen = AlgorithmSuite.byName(suite);
      Instant at = issuedAt == null ? Instant.now() : instant(issuedAt);
      var privateKey = Pem.readPrivateKey(CryptoCommand.readFile(key), chosen);
      // Only the private key signs; the public half is the registry's business.
      SoftwareDeviceSigner signer = new SoftwareDeviceSigner(device, chosen, new KeyPair(null, privateKey));
      spec.commandLine().getOut().println(ConnectTokens.createText(signer, at));
      spec.commandLine().getOut().flush();
    }

    private static Instant instant(String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new CryptoCommand.FileInputException("--issued-at '" + text + "' is not an ISO-8601 instant", e);
      }
    }
  }
}
