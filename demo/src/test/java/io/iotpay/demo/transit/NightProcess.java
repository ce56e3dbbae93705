package io.iotpay.demo.transit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The transit back office's night ({@link NightScript}) in a JVM of its own, for
 * {@link NightKillTest}: the issuer, the switch and the operator on their stores in one data
 * directory, with unsigned files and keys drawn from a seeded generator (so a JVM started after a
 * kill has the same keys). It runs every step from the first, each completing what a killed JVM
 * left and doing nothing twice, prints {@code STEP n} before step n, then checks every amount, the
 * books and the audit log, and prints {@code NIGHT DONE}.
 *
 * <p>Usage: {@code NightProcess <data dir> <suite> <key seed>}; exit 0 when every check held.
 */
public final class NightProcess {
  private NightProcess() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    AlgorithmSuite suite = AlgorithmSuite.valueOf(args[1]);
    try (TransitParties parties = new TransitParties(suite, dir, false, seeded(args[2]))) {
      NightScript.Night night = new NightScript.Night(parties, null);
      List<NightScript.Step> steps = NightScript.steps();
      for (int i = 0; i < steps.size(); i++) {
        System.out.println("STEP " + i);
        System.out.flush();
        steps.get(i).run(night);
      }
      NightScript.assertEverythingWhereItBelongs(parties);
      if (!parties.closeAndVerifyAudit()) {
        throw new AssertionError("the audit log does not verify");
      }
    }
    System.out.println("NIGHT DONE");
    System.out.flush();
  }

  /** A generator that draws the same bytes in every JVM given the same seed. */
  private static SecureRandom seeded(String seed) throws NoSuchAlgorithmException {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed.getBytes(StandardCharsets.US_ASCII));
    return random;
  }
}
