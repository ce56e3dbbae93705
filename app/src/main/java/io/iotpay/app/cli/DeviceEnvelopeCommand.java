package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.PayloadCipher;
import io.iotpay.protocol.cose.SignedMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay envelope seal|open}: device envelopes (docs/envelope.md: a COSE_Sign1 by the device
 * key, its payload optionally a COSE_Encrypt0 under the device's payload key) made and read from the
 * command line, for scripting a device with curl or mosquitto_pub. Output only on stdout; a bad
 * envelope or bad input exits 2 with one line on stderr (Main's handler).
 */
@Command(
    name = "envelope",
    mixinStandardHelpOptions = true,
    description = "Make (seal) and read (open) device envelopes: COSE_Sign1 by the device key, docs/envelope.md.",
    subcommands = {DeviceEnvelopeCommand.SealCommand.class, DeviceEnvelopeCommand.OpenCommand.class})
public final class DeviceEnvelopeCommand implements Runnable {
  /** Files larger than this are refused unread: keys and certificates are a few hundred bytes, payloads at most 16 KiB. */
  static final long FILE_BYTES_MAX = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Input the command cannot use (a file, a key, an envelope): exit 2 with its message. */
  static final class BadInputException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
      super(message);
    }
  }

  /** The payload: a device request as JSON (encoded to the CBOR request), or a file's bytes sent as they are. */
  static final class Payload {
    @Option(names = "--payload-json", required = true, paramLabel = "JSON",
        description = "a device request as JSON, e.g. {\"kind\":\"event\",\"device_type\":\"washing-machine\","
            + "\"fields\":{\"detergentLevelPercent\":\"12\"}} (docs/envelope.md)")
    String json;

    @Option(names = "--payload-file", required = true, paramLabel = "FILE", description = "payload bytes, sent as they are")
    Path file;
  }

  @Command(name = "seal", mixinStandardHelpOptions = true, description = "Sign a payload as device ID with counter N; prints the envelope.")
  static final class SealCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--suite", required = true, description = "INTERNATIONAL or NATIONAL") String suiteName;
    @Option(names = "--key", required = true, paramLabel = "DEVICE-KEY.pem", description = "the device's private key (PEM)") Path keyFile;
    @Option(names = "--device", required = true, paramLabel = "ID", description = "the device id (its certificate's CN)") String device;
    @Option(names = "--counter", required = true, paramLabel = "N", description = "the message counter, above the last one sent") long counter;
    @ArgGroup(exclusive = true, multiplicity = "1") Payload payload;
    @Option(names = "--payload-key", paramLabel = "HEX",
        description = "encrypt the payload (COSE_Encrypt0) under the device's 16-byte payload key") String payloadKeyHex;
    @Option(names = "--hex", description = "print hex instead of base64") boolean hex;

    @Override
    public Integer call() {
      AlgorithmSuite suite = suite(suiteName);
      if (counter < 0) {
        throw new BadInputException("--counter must be 0 or more, not " + counter);
      }
      PrivateKey key = privateKey(readFile(keyFile), suite);
      byte[] body = payload.json != null ? DeviceRequestJson.encode(payload.json) : readFile(payload.file);
      int kind = Cose.PAYLOAD_PLAIN;
      if (payloadKeyHex != null) {
        body = PayloadCipher.encrypt(suite, payloadKey(payloadKeyHex), body, Cose.deviceMessageAad(), new SecureRandom());
        kind = Cose.PAYLOAD_ENCRYPT0;
      }
      byte[] envelope;
      try {
        envelope = SignedMessage.sign(suite, device, counter, kind, -1, body, Cose.deviceMessageAad(),
            data -> suite.signature().sign(key, data));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("cannot seal: " + e.getMessage());
      }
      spec.commandLine().getOut().println(hex ? HexFormat.of().formatHex(envelope) : Base64.getEncoder().encodeToString(envelope));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "open", mixinStandardHelpOptions = true,
      description = "Verify an envelope against the device certificate; prints its header and payload as JSON.")
  static final class OpenCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--suite", required = true, description = "INTERNATIONAL or NATIONAL") String suiteName;
    @Option(names = "--cert", required = true, paramLabel = "DEVICE-CERT.pem", description = "the device's certificate (PEM)") Path certFile;
    @Option(names = "--payload-key", paramLabel = "HEX", description = "the device's payload key, to decrypt an encrypted payload")
    String payloadKeyHex;
    @Option(names = "--hex", description = "the envelope is hex, not base64") boolean hex;
    @Parameters(index = "0", paramLabel = "ENVELOPE", description = "the envelope (base64 or, with --hex, hex)") String envelopeText;

    @Override
    public Integer call() {
      AlgorithmSuite suite = suite(suiteName);
      X509Certificate certificate = certificate(readFile(certFile));
      SignedMessage message = SignedMessage.parse(decode(envelopeText, hex));
      if (Cose.suiteOfSignatureAlg(message.alg()) != suite) {
        throw new BadInputException("bad envelope: alg " + message.alg() + " is not the " + suite + " suite's");
      }
      String subject = commonName(certificate);
      if (!message.kid().equals(subject)) {
        throw new BadInputException("bad envelope: signed as '" + message.kid() + "', the certificate is '" + subject + "'");
      }
      byte[] toBeSigned = Cose.toBeSigned(message.protectedBytes(), Cose.deviceMessageAad(), message.payload());
      if (!suite.signature().verify(certificate.getPublicKey(), toBeSigned, Cose.derSignature(suite, message.signature()))) {
        throw new BadInputException("bad envelope: the signature does not verify under the certificate's key");
      }
      boolean encrypted = message.payloadKind() == Cose.PAYLOAD_ENCRYPT0;
      byte[] payload = message.payload();
      if (encrypted) {
        if (payloadKeyHex == null) {
          throw new BadInputException("bad envelope: the payload is encrypted; give --payload-key");
        }
        payload = PayloadCipher.decrypt(suite, payloadKey(payloadKeyHex), payload, Cose.deviceMessageAad());
      }
      ObjectNode out = JSON.createObjectNode().put("device", message.kid()).put("counter", message.counter())
          .put("suite", suite.name()).put("encrypted", encrypted);
      JsonNode request = DeviceRequestJson.decodeOrNull(payload);
      if (request != null) {
        out.set("payload", request);
      } else {
        out.put("payload_base64", Base64.getEncoder().encodeToString(payload));
      }
      spec.commandLine().getOut().println(out.toString());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  static AlgorithmSuite suite(String name) {
    try {
      return AlgorithmSuite.byName(name);
    } catch (RuntimeException e) {
      throw new BadInputException("--suite must be INTERNATIONAL or NATIONAL, not '" + name + "'");
    }
  }

  static byte[] readFile(Path file) {
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new BadInputException(file + " is larger than " + FILE_BYTES_MAX + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + " (" + e.getMessage() + ")");
    }
  }

  private static PrivateKey privateKey(byte[] pem, AlgorithmSuite suite) {
    try {
      return Pem.readPrivateKey(new String(pem, StandardCharsets.US_ASCII), suite);
    } catch (CryptoException e) {
      throw new BadInputException("--key: " + e.getMessage());
    }
  }

  private static X509Certificate certificate(byte[] pem) {
    try {
      return Pem.readCertificate(new String(pem, StandardCharsets.US_ASCII));
    } catch (CryptoException e) {
      throw new BadInputException("--cert: " + e.getMessage());
    }
  }

  private static SecretKeyBytes payloadKey(String hexText) {
    byte[] key;
    try {
      key = HexFormat.of().parseHex(hexText.strip());
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--payload-key must be hex");
    }
    if (key.length != PayloadCipher.KEY_BYTES) {
      throw new BadInputException("--payload-key must be " + PayloadCipher.KEY_BYTES + " bytes, not " + key.length);
    }
    return new SecretKeyBytes(key);
  }

  private static byte[] decode(String text, boolean hex) {
    String compact = text.strip();
    try {
      return hex ? HexFormat.of().parseHex(compact)
          : compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(compact) : Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("bad envelope: not " + (hex ? "hex" : "base64"));
    }
  }

  private static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      throw new BadInputException("--cert: its subject cannot be read");
    }
    throw new BadInputException("--cert: its subject has no CN (the device id)");
  }
}
