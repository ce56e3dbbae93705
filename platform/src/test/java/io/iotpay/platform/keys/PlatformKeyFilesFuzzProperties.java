package io.iotpay.platform.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.cose.PayloadCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The key directory's readers on hostile files: a typed PlatformKeysException, never anything else. */
class PlatformKeyFilesFuzzProperties {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SecretKeyBytes MASTER = new SecretKeyBytes(new byte[PlatformKeyStore.MASTER_KEY_BYTES]);
  private static final String NAME = "fuzz.sealed";

  @Property(tries = 1000)
  void randomSealedFiles_areRefusedWithATypedError(@ForAll AlgorithmSuite suite, @ForAll @Size(max = 600) byte[] bytes)
      throws Exception {
    assertOpensOrRefuses(suite, bytes);
  }

  @Property(tries = 1000)
  void mutatedSealedFiles_areRefusedWithATypedError(@ForAll AlgorithmSuite suite, @ForAll @IntRange(min = 0, max = 200) int position,
      @ForAll byte value, @ForAll @IntRange(min = 0, max = 100) int cut) throws Exception {
    byte[] sealed = PayloadCipher.encrypt(suite, MASTER, "secret".getBytes(StandardCharsets.US_ASCII), PlatformKeyStore.aad(NAME), RANDOM);
    byte[] mutated = cut % 2 == 0 ? Arrays.copyOf(sealed, cut % sealed.length) : sealed.clone();
    if (mutated.length > 0) {
      mutated[position % mutated.length] ^= (byte) (value == 0 ? 1 : value);
    }
    assertOpensOrRefuses(suite, mutated);
  }

  @Property(tries = 1000)
  void randomManifests_giveASuiteOrATypedError(@ForAll @Size(max = 300) String text) throws Exception {
    Path file = Files.createTempFile("manifest", ".properties");
    try {
      Files.writeString(file, text, StandardCharsets.ISO_8859_1);
      AlgorithmSuite suite = PlatformKeyStore.readManifest(file);
      assertThat(suite).isNotNull();
    } catch (PlatformKeysException e) {
      assertThat(e.reason()).isIn(PlatformKeysException.Reason.MALFORMED_FILE);
    } catch (java.nio.charset.UnmappableCharacterException e) {
      // The generator made text ISO-8859-1 cannot hold: no file to parse.
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void assertOpensOrRefuses(AlgorithmSuite suite, byte[] bytes) throws Exception {
    Path file = Files.createTempDirectory("sealed").resolve(NAME);
    try {
      Files.write(file, bytes);
      PlatformKeyStore.unseal(file, suite, MASTER);
      throw new AssertionError("a mutated or random file opened");
    } catch (PlatformKeysException e) {
      assertThat(e.reason()).isIn(PlatformKeysException.Reason.MALFORMED_FILE, PlatformKeysException.Reason.WRONG_MASTER_KEY);
      assertThat(e.file()).isEqualTo(file);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(file.getParent());
    }
  }
}
