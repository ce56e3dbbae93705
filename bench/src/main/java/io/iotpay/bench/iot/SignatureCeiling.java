package io.iotpay.bench.iot;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SignatureAlgorithm;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The most signed payment events per second the signature work alone allows on these cores: every
 * event costs four public-key operations (the device signs, the platform verifies, the platform signs
 * its answer, the device verifies it), each measured here on all cores with nothing else running, over
 * both suites half and half as the bench's devices are. A ceiling no design of the platform can pass
 * while the devices share the cores.
 */
public final class SignatureCeiling {
  /** What was measured: per suite, signatures and verifications per second on all cores; and the ceiling. */
  public record Result(double ecdsaSignsPerS, double ecdsaVerifiesPerS, double sm2SignsPerS, double sm2VerifiesPerS) {
    /** Events per second if each did two signatures and two verifications, suites half and half. */
    public double eventsPerS() {
      double ecdsaSeconds = 2 / ecdsaSignsPerS + 2 / ecdsaVerifiesPerS;
      double sm2Seconds = 2 / sm2SignsPerS + 2 / sm2VerifiesPerS;
      return 1 / ((ecdsaSeconds + sm2Seconds) / 2);
    }
  }

  private SignatureCeiling() {}

  /** Measures each of the four rates for {@code secondsEach} on {@code threads} threads. */
  public static Result measure(int threads, double secondsEach, SecureRandom random) throws Exception {
    double[] rates = new double[4];
    int k = 0;
    for (AlgorithmSuite suite : List.of(AlgorithmSuite.INTERNATIONAL, AlgorithmSuite.NATIONAL)) {
      SignatureAlgorithm algorithm = suite.signature();
      KeyPair keys = algorithm.generateKeyPair(random);
      List<byte[]> messages = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        byte[] message = new byte[200];
        random.nextBytes(message);
        messages.add(message);
      }
      byte[] signature = algorithm.sign(keys.getPrivate(), messages.get(0));
      ThreadLocal<SignatureAlgorithm.Signer> signers = ThreadLocal.withInitial(() -> algorithm.newSigner(keys.getPrivate()));
      ThreadLocal<SignatureAlgorithm.Verifier> verifiers = ThreadLocal.withInitial(() -> algorithm.newVerifier(keys.getPublic()));
      rates[k++] = VerifyLimit.perSecond(messages, message -> signers.get().sign(message), threads, secondsEach);
      rates[k++] = VerifyLimit.perSecond(messages, message -> {
        if (!verifiers.get().verify(messages.get(0), signature)) {
          throw new IllegalStateException(suite + ": a good signature did not verify");
        }
      }, threads, secondsEach);
    }
    return new Result(rates[0], rates[1], rates[2], rates[3]);
  }
}
