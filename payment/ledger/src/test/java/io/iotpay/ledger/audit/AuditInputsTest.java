package io.iotpay.ledger.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Refused inputs say what and where; the journal's call order is enforced. */
class AuditInputsTest {
  @TempDir Path tempDir;

  @Test
  void boundedLines_refuseALineOverTheBound_namingIt() throws Exception {
    BoundedLines lines = new BoundedLines(new StringReader("ab\r\n\ncdef\nxyz"), 3, "leaves.txt");
    assertThat(lines.next()).isEqualTo("ab");
    assertThat(lines.next()).isEmpty();
    assertThatThrownBy(lines::next).isInstanceOf(AuditInputException.class).hasMessage("leaves.txt line 3: longer than 3 characters");
  }

  @Test
  void boundedLines_keepAFinalLineWithoutNewline() throws Exception {
    BoundedLines lines = new BoundedLines(new StringReader("00\n10"), 8, "f");
    assertThat(lines.next()).isEqualTo("00");
    assertThat(lines.next()).isEqualTo("10");
    assertThat(lines.next()).isNull();
    assertThat(lines.lineNumber()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void pem_roundTripsAKey_andRefusesBrokenBlocks(AlgorithmSuite suite) {
    KeyPair keyPair = AuditTestSupport.keyPair(suite);
    byte[] der = keyPair.getPublic().getEncoded();
    String pem = PublicKeyPem.encode(der);
    assertThat(PublicKeyPem.decodeAll("comment\n" + pem + pem, "k.pem")).hasSize(2).allSatisfy(key -> assertThat(key).isEqualTo(der));
    assertThat(suite.signature().publicKeyFromDer(PublicKeyPem.decodeAll(pem, "k.pem").get(0))).isEqualTo(keyPair.getPublic());
    assertThatThrownBy(() -> PublicKeyPem.decodeAll("nothing here", "k.pem"))
        .isInstanceOf(AuditInputException.class)
        .hasMessageContaining("k.pem: no '-----BEGIN PUBLIC KEY-----' block");
    assertThatThrownBy(() -> PublicKeyPem.decodeAll(pem.replace("-----END PUBLIC KEY-----", ""), "k.pem"))
        .isInstanceOf(AuditInputException.class)
        .hasMessageContaining("block 1 has no END line");
    assertThatThrownBy(() -> PublicKeyPem.decodeAll("-----BEGIN PUBLIC KEY-----\n*!*\n-----END PUBLIC KEY-----", "k.pem"))
        .isInstanceOf(AuditInputException.class)
        .hasMessageContaining("not Base64");
  }

  @Test
  void inclusionProofJson_withAMissingField_isRefusedNamingIt() {
    ObjectMapper json = new ObjectMapper();
    MerkleTree tree = MerkleTreeVectorsTest.vectorTree(AlgorithmSuite.INTERNATIONAL);
    InclusionProof proof = new InclusionProof(AlgorithmSuite.INTERNATIONAL, 2, 8, tree.leafHash(2), tree.inclusionProof(2, 8), tree.root(8), null, null);
    ObjectNode node = proof.toJson(json);
    assertThat(InclusionProof.fromJson(node, "p.json").problem(Map.of())).isEmpty();
    node.remove("treeSize");
    assertThatThrownBy(() -> InclusionProof.fromJson(node, "p.json"))
        .isInstanceOf(AuditInputException.class)
        .hasMessage("p.json: field 'treeSize' missing or not an integer");
    ObjectNode badHex = proof.toJson(json).put("root", "xyz0");
    assertThatThrownBy(() -> InclusionProof.fromJson(badHex, "p.json")).isInstanceOf(AuditInputException.class).hasMessageContaining("p.json: hex");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void inclusionProof_withAnEntryThatIsNotTheLeaf_isInvalid(AlgorithmSuite suite) {
    MerkleTree tree = new MerkleTree(suite, 16);
    for (byte i = 0; i < 5; i++) {
      tree.appendEntry(new byte[] {i});
    }
    InclusionProof honest = new InclusionProof(suite, 3, 5, tree.leafHash(3), tree.inclusionProof(3, 5), tree.root(5), new byte[] {3}, null);
    InclusionProof lying = new InclusionProof(suite, 3, 5, tree.leafHash(3), tree.inclusionProof(3, 5), tree.root(5), new byte[] {4}, null);
    assertThat(honest.problem(Map.of())).isEmpty();
    assertThat(lying.problem(Map.of())).contains("the entry does not hash to leafHash");
  }

  @Test
  void journal_appendTwiceWithoutCommit_isAProgrammerError() throws Exception {
    AlgorithmSuite suite = AlgorithmSuite.NATIONAL;
    try (Database database = TestStores.open(Database.Dialect.SQLITE, tempDir);
        AuditLog log = AuditLog.open(database, AuditLogConfig.of(suite, AuditTestSupport.keyPair(suite)));
        Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      log.append(connection, List.of(new byte[] {1}));
      assertThatThrownBy(() -> log.append(connection, List.of(new byte[] {2}))).isInstanceOf(AssertionError.class);
      connection.rollback();
      log.rolledBack();
      assertThatThrownBy(log::committed).isInstanceOf(AssertionError.class).hasMessageContaining("without a pending append");
      connection.setAutoCommit(true);
      assertThat(log.appendStandalone(List.of(new byte[] {3}))).isZero();
    }
  }
}
