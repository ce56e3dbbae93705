package io.iotpay.issuer.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyVaultTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keysRoundTripAndAreNeverHeldInTheClear(AlgorithmSuite suite) {
    Random random = new Random(1);
    KeyVault vault = new KeyVault(suite, key(random));
    SecretKeyBytes key = key(random);
    vault.put("IMK-AC", key);
    assertThat(vault.get("IMK-AC")).isEqualTo(key);
    String wrapped = Hex.encode(vault.wrappedForm("IMK-AC"));
    assertThat(wrapped).doesNotContain(Hex.encode(key.value()).substring(0, 8));
    assertThat(vault.toString()).doesNotContain(Hex.encode(key.value()).substring(0, 8));
    // Another master key cannot unwrap it.
    KeyVault other = new KeyVault(suite, key(random));
    assertThatThrownBy(() -> other.get("IMK-AC")).isInstanceOf(CryptoException.class).hasMessageContaining("no key");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aTamperedOrMissingKeyIsRefused(AlgorithmSuite suite) {
    Random random = new Random(2);
    SecretKeyBytes master = key(random);
    KeyVault vault = new KeyVault(suite, master);
    vault.put("KMC", key(random));
    assertThatThrownBy(() -> vault.get("IMK-MAC")).isInstanceOf(CryptoException.class)
        .hasMessageContaining("IMK-MAC");
    byte[] wrapped = vault.wrappedForm("KMC");
    // Moved under another name: the tag binds the name.
    vault.putWrapped("IMK-AC", wrapped);
    assertThatThrownBy(() -> vault.get("IMK-AC")).isInstanceOf(CryptoException.class)
        .hasMessageContaining("integrity");
    // One bit flipped anywhere: refused.
    for (int i = 0; i < wrapped.length; i += 7) {
      byte[] flipped = wrapped.clone();
      flipped[i] ^= 1;
      vault.putWrapped("KMC-" + i, flipped);
      int position = i;
      assertThatThrownBy(() -> vault.get("KMC-" + position)).isInstanceOf(CryptoException.class);
    }
    // The untouched wrapped form restores under its own name in a vault with the same master key.
    KeyVault restored = new KeyVault(suite, master);
    restored.putWrapped("KMC", wrapped);
    assertThat(restored.get("KMC")).isEqualTo(vault.get("KMC"));
  }

  private static SecretKeyBytes key(Random random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return new SecretKeyBytes(bytes);
  }
}
