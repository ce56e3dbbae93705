package io.iotpay.foundation.custody;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.security.Key;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reflection over the custody's public API: every public method's return type, every public field
 * and every type those reach (generic arguments included), walked iteratively from {@link
 * KeyCustody} and the two implementations. A clear key would have to leave through one of them.
 */
class NoClearKeyReachableTest {
  /**
   * {@code byte[]} results that are not key material, each with why: cryptograms, MACs, signatures
   * and keys wrapped under a KEK are what an HSM returns too.
   */
  static final Map<String, String> BYTE_ARRAY_RESULTS = Map.of(
      "generateArpc", "an ARPC (8 bytes of ciphertext)",
      "mac", "a MAC",
      "walletRatingMac", "a wallet rating's MAC (8 bytes under a session key of the card key)",
      "sign", "a signature",
      "wrap", "a key enciphered under a zone master key (RFC 3394)",
      "translatePinBlock", "a PIN block enciphered under the target key",
      "translateDukptPinBlock", "a PIN block enciphered under the target key");

  /** Types outside the custody package that carry no key material. */
  static final Set<Class<?>> SAFE_TYPES = Set.of(String.class, Instant.class, AlgorithmSuite.class, PublicKey.class,
      List.class, Object.class, Class.class);

  @Test
  void noPublicMethodOrFieldOfTheCustodyApiExposesAClearKey() {
    List<String> leaks = leaks(KeyCustody.class, SoftwareKeyCustody.class, Pkcs11KeyCustody.class, KeyCeremony.class);

    assertThat(leaks).isEmpty();
  }

  interface LeakyCustody {
    SecretKeyBytes cardKey(KeyRef ref);

    List<KeyPair> pairs();

    byte[] exportClear(KeyRef ref);
  }

  record LeakyRef(String label, javax.crypto.SecretKey key) {}

  interface LeakyHolder {
    LeakyRef ref();
  }

  @Test
  void theWalk_findsLeaksThroughReturnsGenericsAndRecordComponents() {
    assertThat(leaks(LeakyCustody.class)).hasSize(3);
    assertThat(leaks(LeakyHolder.class)).singleElement().asString().contains("LeakyRef.key");
  }

  static List<String> leaks(Class<?>... roots) {
    List<String> out = new ArrayList<>();
    Deque<Class<?>> queue = new ArrayDeque<>(List.of(roots));
    Set<Class<?>> seen = new HashSet<>();
    while (!queue.isEmpty()) {
      Class<?> type = queue.poll();
      if (!seen.add(type)) {
        continue;
      }
      for (Method method : type.getMethods()) {
        if (method.getDeclaringClass() == Object.class || method.getDeclaringClass() == Enum.class
            || method.getDeclaringClass() == Record.class || method.getDeclaringClass().isAssignableFrom(Throwable.class)) {
          continue;
        }
        String where = type.getSimpleName() + "." + method.getName();
        check(method.getGenericReturnType(), where, method.getName(), queue, out);
      }
      for (Field field : type.getFields()) {
        if (Modifier.isPublic(field.getModifiers())) {
          check(field.getGenericType(), type.getSimpleName() + "." + field.getName(), field.getName(), queue, out);
        }
      }
    }
    return out;
  }

  private static void check(Type root, String where, String name, Deque<Class<?>> queue, List<String> out) {
    Deque<Type> types = new ArrayDeque<>(List.of(root));
    while (!types.isEmpty()) {
      Type type = types.poll();
      if (type instanceof ParameterizedType parameterized) {
        types.add(parameterized.getRawType());
        types.addAll(List.of(parameterized.getActualTypeArguments()));
      } else if (type instanceof GenericArrayType array) {
        types.add(array.getGenericComponentType());
      } else if (type instanceof WildcardType wildcard) {
        types.addAll(List.of(wildcard.getUpperBounds()));
      } else if (type instanceof Class<?> c) {
        classify(c, where, name, queue, out);
      }
    }
  }

  private static void classify(Class<?> c, String where, String name, Deque<Class<?>> queue, List<String> out) {
    if (c == byte[].class) {
      if (!BYTE_ARRAY_RESULTS.containsKey(name)) {
        out.add(where + " returns byte[] that is not on the list of non-key results");
      }
    } else if (c == char[].class || c == SecretKeyBytes.class || c == KeyPair.class
        || (Key.class.isAssignableFrom(c) && !PublicKey.class.isAssignableFrom(c))) {
      out.add(where + " exposes " + c.getSimpleName());
    } else if (c.isArray()) {
      classify(c.getComponentType(), where, name, queue, out);
    } else if (c.isPrimitive() || c == void.class || SAFE_TYPES.contains(c) || PublicKey.class.isAssignableFrom(c)) {
      return;
    } else if (c.getPackageName().equals(KeyCustody.class.getPackageName())
        || c.getEnclosingClass() == NoClearKeyReachableTest.class) {
      queue.add(c);
    } else {
      out.add(where + " reaches " + c.getName() + ", which is neither custody API nor a known non-key type");
    }
  }
}
