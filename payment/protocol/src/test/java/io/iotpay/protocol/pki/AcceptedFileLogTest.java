package io.iotpay.protocol.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.file.FileKind;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The receiver's durable replay record on real SQLite: survives a reopen, keyed by receiver, sender, kind, date, sequence. */
class AcceptedFileLogTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void acceptedFile_isAReplayAfterARestart_andOnlyForItsReceiver(AlgorithmSuite suite) throws Exception {
    String url = "jdbc:sqlite:" + temp.resolve("receiver.db");
    try (SchemeFixture scheme = new SchemeFixture(suite, temp.resolve("pki"))) {
      SchemeFixture.Sample sample = SchemeFixture.sign(scheme.write(FileKind.CLEARING, 7), scheme.switchSigner);
      VerifiedFile verified = scheme.verifierFor(SchemeFixture.ISSUER_A).verify(sample.file(), FileKind.CLEARING,
          AcceptedFiles.NONE);
      try (Database database = Database.open(url, 2)) {
        AcceptedFileLog log = new AcceptedFileLog(database, SchemeFixture.ISSUER_A);
        assertThat(log.contains(verified.claims())).isFalse();
        assertThat(log.record(verified)).isTrue();
        assertThat(log.record(verified)).isFalse();
      }
      try (Database reopened = Database.open(url, 2)) {
        AcceptedFileLog log = new AcceptedFileLog(reopened, SchemeFixture.ISSUER_A);
        assertThat(log.contains(verified.claims())).isTrue();
        assertThat(new AcceptedFileLog(reopened, SchemeFixture.ISSUER_B).contains(verified.claims())).isFalse();
        FileClaims nextDay = new FileClaims(FileKind.CLEARING, SchemeFixture.SWITCH, SchemeFixture.ISSUER_A,
            SchemeFixture.DAY.plusDays(1), 7, verified.claims().lengthBytes());
        assertThat(log.contains(nextDay)).isFalse();
        // the verifier asks the log: the same file is now a replay
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SignedFileException.class,
            () -> scheme.verifierFor(SchemeFixture.ISSUER_A).verify(sample.file(), FileKind.CLEARING, log)).reason())
            .isEqualTo(SignedFileException.Reason.REPLAYED);
      }
    }
  }
}
