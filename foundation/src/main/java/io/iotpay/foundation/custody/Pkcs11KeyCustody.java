package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustodyException.Reason;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.TreeMap;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.login.LoginException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The custody over a PKCS#11 token through the JDK's SunPKCS11 provider (no extra dependency): keys
 * are token objects created sensitive (their value never leaves the token in the clear), and every
 * block operation is a call into the token. The key's ref is its CKA_LABEL, {@code
 * iotpay|namespace|label|version|suite|usage|createdMs}, so a restart finds the keys again.
 *
 * <p>What a token does here and what it does not (docs/key-custody.md §"PKCS#11"):
 *
 * <ul>
 *   <li>INTERNATIONAL only: PKCS#11 tokens such as SoftHSM2 have no SM2, SM3 or SM4 mechanism.
 *   <li>Card keys: option A is computed with the token's 3DES-ECB under the IMK, and the derived
 *       card key then lives in this process (bounded cache). A payment HSM derives and verifies in
 *       one command; PKCS#11 has no standard mechanism for EMV key derivation.
 *   <li>PIN and DUKPT translation and key wrap are refused (UNSUPPORTED): PKCS#11 has no PIN
 *       translation mechanism, and SunPKCS11 offers no C_WrapKey mechanism on SoftHSM2 2.6. Unwrap
 *       works (RFC 3394 over the token's AES-ECB under the zone master key; the unwrapped key is
 *       then created on the token).
 *   <li>Retiring a version destroys its token object.
 * </ul>
 */
public final class Pkcs11KeyCustody extends CustodyCore implements KeyCeremony {
  static final String ALIAS_PREFIX = "iotpay|";
  /**
   * A zone MAC key is two token objects, K1 and K2 (each stored as the DES3 key K‖K‖K, which is
   * single DES): the retail MAC runs DES under K1 for every block and K2 only in the last step, and
   * PKCS#11 has no retail-MAC mechanism over one 3DES key (payment HSMs have their own command).
   * Alias suffixes of the halves:
   */
  static final String FIRST_HALF = "K1";
  static final String SECOND_HALF = "K2";
  /** Validity of the self-signed certificate SunPKCS11 needs to store a private key entry. */
  private static final long CERTIFICATE_VALIDITY_MS = 100L * 365 * 24 * 3600 * 1000;

  private final Provider provider;
  private final KeyStore keyStore;
  private final String namespace;
  private final java.security.SecureRandom random = new java.security.SecureRandom();

  private Pkcs11KeyCustody(Provider provider, KeyStore keyStore, String namespace, int cardKeysMax,
      TacFormula tacFormula) {
    super(cardKeysMax, tacFormula);
    this.provider = provider;
    this.keyStore = keyStore;
    this.namespace = namespace;
  }

  /**
   * Logs in to the token in {@code slotId} of {@code library} and loads the keys of {@code
   * namespace} (a label prefix, so several custodies can share one token).
   *
   * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
   * @param userPin the token's user PIN (the caller wipes its array afterwards)
   * @throws KeyCustodyException IO when the module, slot or PIN is refused
   */
  public static Pkcs11KeyCustody open(Path library, long slotId, char[] userPin, String namespace, int cardKeysMax,
      TacFormula tacFormula) {
    KeyRef.checkLabel(namespace);
    if (!Files.isRegularFile(library)) {
      throw new KeyCustodyException(Reason.IO, "no PKCS#11 module at " + library);
    }
    Provider provider;
    KeyStore keyStore;
    try {
      provider = Security.getProvider("SunPKCS11").configure(config(library, slotId));
      keyStore = KeyStore.getInstance("PKCS11", provider);
      keyStore.load(null, userPin);
    } catch (GeneralSecurityException | java.io.IOException | java.security.ProviderException e) {
      throw new KeyCustodyException(Reason.IO, "PKCS#11 token in slot " + slotId + " did not open: " + e.getMessage(), e);
    }
    Pkcs11KeyCustody custody = new Pkcs11KeyCustody(provider, keyStore, namespace, cardKeysMax, tacFormula);
    custody.load();
    return custody;
  }

  /**
   * SunPKCS11's inline configuration: secret and private keys are created sensitive, so the token
   * never hands their value out in the clear.
   */
  static String config(Path library, long slotId) {
    return "--name=iotpay-custody\nlibrary=" + library + "\nslot=" + slotId + "\n"
        + "attributes(*,CKO_SECRET_KEY,*) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n"
        + "attributes(*,CKO_PRIVATE_KEY,*) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";
  }

  private void load() {
    try {
      for (String alias : Collections.list(keyStore.aliases())) {
        String[] parts = alias.split("\\|", -1);
        boolean whole = parts.length == 7;
        boolean firstHalf = parts.length == 8 && parts[7].equals(FIRST_HALF);
        if (!(whole || firstHalf) || !alias.startsWith(ALIAS_PREFIX) || !parts[1].equals(namespace)) {
          continue; // another namespace, another application, or the second half of a MAC key
        }
        alias = whole ? alias : alias.substring(0, alias.length() - FIRST_HALF.length() - 1);
        KeyRef ref = new KeyRef(parts[2], Integer.parseInt(parts[3]), AlgorithmSuite.valueOf(parts[4]),
            KeyUsage.valueOf(parts[5]));
        Slot slot = new Slot(ref, Instant.ofEpochMilli(Long.parseLong(parts[6])), materialOf(alias, ref), false);
        labels.computeIfAbsent(ref.label(), any -> new TreeMap<>()).put(ref.version(), slot);
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      labels.clear();
      throw new KeyCustodyException(Reason.TAMPERED, "token holds an unreadable iotpay key: " + e.getMessage(), e);
    }
  }

  private Pkcs11Material materialOf(String alias, KeyRef ref) throws GeneralSecurityException {
    if (ref.usage() == KeyUsage.ZONE_MAC) {
      return new Pkcs11Material(ref, alias, keyStore.getKey(alias + "|" + FIRST_HALF, null),
          keyStore.getKey(alias + "|" + SECOND_HALF, null), null);
    }
    Key key = keyStore.getKey(alias, null);
    PublicKey publicKey = null;
    if (ref.usage().kind() == KeyUsage.KeyKind.KEY_PAIR) {
      publicKey = portable(keyStore.getCertificate(alias).getPublicKey());
    }
    return new Pkcs11Material(ref, alias, key, null, publicKey);
  }

  private String alias(KeyRef ref, long createdMs) {
    return ALIAS_PREFIX + namespace + "|" + ref.label() + "|" + ref.version() + "|" + ref.suite() + "|" + ref.usage()
        + "|" + createdMs;
  }

  @Override
  KeyMaterial createMaterial(KeyRef ref, byte[] clear) {
    if (ref.suite() != AlgorithmSuite.INTERNATIONAL) {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "PKCS#11 tokens have no SM2/SM3/SM4 mechanisms (NATIONAL)");
    }
    String alias = alias(ref, System.currentTimeMillis());
    try {
      return switch (ref.usage().kind()) {
        case KEY_PAIR -> createKeyPair(ref, alias, clear);
        case TDES_OR_SM4, AES_OR_SM4 -> createSecret(ref, alias, clear);
      };
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new KeyCustodyException(Reason.IO, "token refused to create " + ref + ": " + e.getMessage(), e);
    }
  }

  private Pkcs11Material createSecret(KeyRef ref, String alias, byte[] clear) throws GeneralSecurityException {
    if (ref.usage() == KeyUsage.ZONE_MAC) {
      return createMacHalves(ref, alias, clear);
    }
    boolean tdes = ref.usage().kind() == KeyUsage.KeyKind.TDES_OR_SM4;
    String algorithm = tdes ? "DESede" : "AES";
    SecretKey key;
    if (clear == null) {
      KeyGenerator generator = KeyGenerator.getInstance(algorithm, provider);
      generator.init(tdes ? 112 : 128); // 112: two-key 3DES (CKM_DES2_KEY_GEN), as EMV IMKs are
      key = generator.generateKey();
    } else {
      ref.usage().cipher(ref.suite()).checkKey(new SecretKeyBytes(clear));
      byte[] value = tdes && clear.length == 16 ? tripleLength(clear) : clear.clone();
      key = new SecretKeySpec(value, algorithm);
      Arrays.fill(value, (byte) 0); // SecretKeySpec keeps its own copy; the token gets it next
    }
    keyStore.setEntry(alias, new KeyStore.SecretKeyEntry(key), null);
    return new Pkcs11Material(ref, alias, keyStore.getKey(alias, null), null, null);
  }

  private Pkcs11Material createMacHalves(KeyRef ref, String alias, byte[] clear) throws GeneralSecurityException {
    byte[] value = clear == null ? new byte[16] : clear.clone();
    if (value.length != 16) {
      throw new KeyCustodyException(Reason.BAD_INPUT, "a zone MAC key is two-key 3DES, 16 bytes");
    }
    if (clear == null) {
      // The token cannot generate a K‖K‖K key; the value is drawn here and wiped once imported.
      random.nextBytes(value);
    }
    byte[] first = singleAsTriple(value, 0);
    byte[] second = singleAsTriple(value, 8);
    try {
      keyStore.setEntry(alias + "|" + FIRST_HALF, new KeyStore.SecretKeyEntry(new SecretKeySpec(first, "DESede")), null);
      keyStore.setEntry(alias + "|" + SECOND_HALF, new KeyStore.SecretKeyEntry(new SecretKeySpec(second, "DESede")), null);
    } finally {
      Arrays.fill(value, (byte) 0);
      Arrays.fill(first, (byte) 0);
      Arrays.fill(second, (byte) 0);
    }
    return materialOf(alias, ref);
  }

  /**
   * K ‖ K ‖ K: 3DES with three equal keys is single DES, and SoftHSM2 (OpenSSL 3) offers no
   * single-DES mechanism, only DES3.
   */
  private static byte[] singleAsTriple(byte[] value, int offset) {
    byte[] out = new byte[24];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(value, offset, out, 8 * i, 8);
    }
    return out;
  }

  /** K1 ‖ K2 ‖ K1: SunPKCS11 imports 3DES keys as 24 bytes; two-key 3DES is the same cipher. */
  private static byte[] tripleLength(byte[] doubleLength) {
    byte[] out = Arrays.copyOf(doubleLength, 24);
    System.arraycopy(doubleLength, 0, out, 16, 8);
    return out;
  }

  private Pkcs11Material createKeyPair(KeyRef ref, String alias, byte[] clear)
      throws GeneralSecurityException, OperatorCreationException {
    if (clear != null) {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "signing keys are generated on the token");
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
    generator.initialize(new ECGenParameterSpec(ref.suite().curveName()));
    KeyPair pair = generator.generateKeyPair();
    // SunPKCS11 stores a private key only with a certificate: a self-signed one, signed on the token.
    X500Name name = new X500Name("CN=iotpay custody " + ref.label() + " v" + ref.version());
    long now = System.currentTimeMillis();
    X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
        name, BigInteger.valueOf(now), new Date(now), new Date(now + CERTIFICATE_VALIDITY_MS), name, pair.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(provider).build(pair.getPrivate())));
    keyStore.setKeyEntry(alias, pair.getPrivate(), null, new Certificate[] {certificate});
    return new Pkcs11Material(ref, alias, keyStore.getKey(alias, null), null, portable(pair.getPublic()));
  }

  /** The public key as a provider-independent X.509 key (verifiers elsewhere must not need the token). */
  private static PublicKey portable(PublicKey key) throws GeneralSecurityException {
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(key.getEncoded()));
  }

  @Override
  public KeyRef importClear(String label, AlgorithmSuite suite, KeyUsage usage, SecretKeyBytes key) {
    return writing(() -> {
      TreeMap<Integer, Slot> versions = labels.get(label);
      KeyRef ref = versions == null || versions.isEmpty() ? new KeyRef(label, 1, suite, usage)
          : versions.lastEntry().getValue().ref.next();
      if (ref.suite() != suite || ref.usage() != usage) {
        throw new KeyCustodyException(Reason.BAD_INPUT, "label " + label + " holds " + ref.suite() + " " + ref.usage() + " keys");
      }
      byte[] clear = key.value();
      try {
        return add(ref, clear);
      } finally {
        Arrays.fill(clear, (byte) 0);
      }
    });
  }

  @Override
  public void retire(KeyRef ref) {
    writing(() -> {
      super.retire(ref);
      Slot slot = labels.get(ref.label()).get(ref.version());
      String alias = ((Pkcs11Material) slot.material).alias;
      try {
        if (ref.usage() == KeyUsage.ZONE_MAC) {
          keyStore.deleteEntry(alias + "|" + FIRST_HALF);
          keyStore.deleteEntry(alias + "|" + SECOND_HALF);
        } else {
          keyStore.deleteEntry(alias);
        }
      } catch (GeneralSecurityException e) {
        throw new KeyCustodyException(Reason.IO, "token refused to destroy " + ref, e);
      }
      return null;
    });
  }

  @Override
  void persist() {
    // Token objects are written when they are created; retirement destroys them (see retire).
  }

  @Override
  byte[] wrapMaterial(Slot kek, Slot key) {
    throw new KeyCustodyException(Reason.UNSUPPORTED,
        "SunPKCS11 offers no C_WrapKey mechanism on this token; a payment HSM exports under its own command");
  }

  @Override
  public void close() {
    writing(() -> {
      super.close();
      if (provider instanceof AuthProvider auth) {
        try {
          auth.logout();
        } catch (LoginException e) {
          // The session ends with the process anyway; nothing secret is held by a failed logout.
        }
      }
      return null;
    });
  }

  @Override
  public String toString() {
    return "Pkcs11KeyCustody[" + provider.getName() + ", " + namespace + "]";
  }

  /** A token object: only its handle and public half live in this process. */
  private final class Pkcs11Material implements KeyMaterial {
    private final KeyRef ref;
    private final String alias;
    private final Key key;
    private final Key secondHalf;
    private final PublicKey publicKey;

    Pkcs11Material(KeyRef ref, String alias, Key key, Key secondHalf, PublicKey publicKey) {
      this.ref = ref;
      this.alias = alias;
      this.key = key;
      this.secondHalf = secondHalf;
      this.publicKey = publicKey;
    }

    /**
     * ISO/IEC 9797-1 MAC algorithm 3, padding method 2, with each DES step on the token: CBC under
     * K1, then the last chaining value deciphered under K2 and enciphered under K1.
     */
    @Override
    public byte[] messageMac(byte[] data) {
      if (secondHalf == null) {
        throw new KeyCustodyException(Reason.UNSUPPORTED, ref + " is not a zone MAC key");
      }
      BlockCipher first = new JceBoundEngine(provider, "DESede", key, 8);
      BlockCipher second = new JceBoundEngine(provider, "DESede", secondHalf, 8);
      first.init(true, null);
      second.init(false, null);
      byte[] padded = Arrays.copyOf(data, (data.length / 8 + 1) * 8);
      padded[data.length] = (byte) 0x80;
      byte[] chain = new byte[8];
      for (int offset = 0; offset < padded.length; offset += 8) {
        for (int i = 0; i < 8; i++) {
          chain[i] ^= padded[offset + i];
        }
        first.processBlock(chain, 0, chain, 0);
      }
      second.processBlock(chain, 0, chain, 0);
      first.processBlock(chain, 0, chain, 0);
      return chain;
    }

    @Override
    public BlockCipher boundEngine() {
      if (secondHalf != null) {
        throw new KeyCustodyException(Reason.UNSUPPORTED, "a zone MAC key on a token is two DES halves, used for MACs only");
      }
      return switch (ref.usage().kind()) {
        case TDES_OR_SM4 -> new JceBoundEngine(provider, "DESede", key, 8);
        case AES_OR_SM4 -> new JceBoundEngine(provider, "AES", key, 16);
        case KEY_PAIR -> throw new KeyCustodyException(Reason.UNSUPPORTED, "a key pair is not a block cipher key");
      };
    }

    @Override
    public byte[] sign(byte[] data) {
      if (!(key instanceof PrivateKey privateKey)) {
        throw new KeyCustodyException(Reason.UNSUPPORTED, "a secret key does not sign");
      }
      try {
        Signature signature = Signature.getInstance("SHA256withECDSA", provider);
        signature.initSign(privateKey);
        signature.update(data);
        return signature.sign();
      } catch (GeneralSecurityException e) {
        throw new KeyCustodyException(Reason.IO, "token failed to sign with " + ref, e);
      }
    }

    @Override
    public PublicKey publicKey() {
      if (publicKey == null) {
        throw new KeyCustodyException(Reason.UNSUPPORTED, "a secret key has no public half");
      }
      return publicKey;
    }

    @Override
    public SecretKeyBytes clearKey() {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "PKCS#11 has no PIN translation or DUKPT mechanism and "
          + ref + " does not leave the token; a payment HSM translates with its own command");
    }

    @Override
    public void destroy() {
      // A handle: the value is on the token.
    }
  }
}
