package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;

class JdkDigestTest {
  /** The JDK engine behind the Digest interface agrees with BouncyCastle's, split updates and reuse included. */
  @Property(tries = 300)
  void sha256_matchesBouncyCastle(@ForAll @Size(max = 300) byte[] data, @ForAll @IntRange(min = 0, max = 300) int split) {
    Digest jdk = DigestAlgorithm.SHA_256.newBcDigest();
    Digest bc = new SHA256Digest();
    int cut = Math.min(split, data.length);
    for (int round = 0; round < 2; round++) {
      jdk.update(data, 0, cut);
      jdk.update(data, cut, data.length - cut);
      bc.update(data, 0, data.length);
      byte[] expected = new byte[32];
      byte[] actual = new byte[33];
      bc.doFinal(expected, 0);
      assertThat(jdk.doFinal(actual, 1)).isEqualTo(32);
      assertThat(java.util.Arrays.copyOfRange(actual, 1, 33)).isEqualTo(expected);
    }
  }
}
