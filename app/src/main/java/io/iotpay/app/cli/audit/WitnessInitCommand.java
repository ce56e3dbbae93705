package io.iotpay.app.cli.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.PublicKeyPem;
import io.iotpay.ledger.witness.Witness;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iotpay witness init}: creates a witness directory with its own key pair and the log's public key. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create a witness in a new or empty directory (made 0700, files 0600): its own key pair of the suite,",
      "the log's public key it will require on every checkpoint, and an empty record of cosignatures.",
      "Prints the witness's public key id; verifiers use DIR/witness-public-key.pem (hand them a copy)."
    })
public final class WitnessInitCommand extends AuditSubcommand {
  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the witness directory (new or empty)")
  Path directory;

  @Option(names = "--suite", required = true, paramLabel = "INTERNATIONAL|NATIONAL", description = "the log's suite")
  String suite;

  @Option(names = "--log-public-key", required = true, paramLabel = "PEM", description = "the log's public key, from its operator")
  Path logPublicKey;

  @Override
  int execute() throws IOException {
    AlgorithmSuite algorithmSuite = AlgorithmSuite.byName(suite);
    Map<String, PublicKey> logKeys = AuditCli.readPublicKeys(logPublicKey, algorithmSuite);
    if (logKeys.size() != 1) {
      throw new io.iotpay.ledger.audit.AuditInputException(logPublicKey + ": expected exactly one public key, found " + logKeys.size());
    }
    byte[] logKeyDer = logKeys.values().iterator().next().getEncoded();
    byte[] witnessKeyDer = Witness.init(directory, algorithmSuite, logKeyDer, new SecureRandom());
    ObjectNode node = AuditCli.JSON.createObjectNode();
    node.put("directory", directory.toString());
    node.put("suite", algorithmSuite.name());
    node.put("witnessKeyId", Checkpoint.keyIdOf(algorithmSuite, witnessKeyDer));
    node.put("logKeyId", Checkpoint.keyIdOf(algorithmSuite, logKeyDer));
    node.put("witnessPublicKey", PublicKeyPem.encode(witnessKeyDer));
    out().println(AuditCli.json(node));
    err().println("witness init: created " + directory + " (witness key " + Checkpoint.keyIdOf(algorithmSuite, witnessKeyDer)
        + ", serving log key " + Checkpoint.keyIdOf(algorithmSuite, logKeyDer) + ")");
    return 0;
  }
}
