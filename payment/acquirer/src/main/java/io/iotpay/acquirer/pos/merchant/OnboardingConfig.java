package io.iotpay.acquirer.pos.merchant;

import io.iotpay.foundation.Assert;
import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Settings of merchant onboarding. Immutable.
 *
 * @param servedMccs the merchant category codes the acquirer serves (4 digits each); a merchant with
 *     another MCC fails the MCC check; 1..{@value #SERVED_MCCS_MAX} codes
 * @param terminalsPerMerchantMax most terminals one merchant may enrol; default
 *     {@value #TERMINALS_PER_MERCHANT_MAX_DEFAULT}, 1..10 000 (a micro merchant has one or two phones;
 *     the bound stops a compromised merchant token from minting certificates without end)
 * @param clock source of timestamps
 */
public record OnboardingConfig(Set<String> servedMccs, int terminalsPerMerchantMax, Clock clock) {
  public static final int TERMINALS_PER_MERCHANT_MAX_DEFAULT = 20;
  public static final int SERVED_MCCS_MAX = 10_000;
  private static final Pattern MCC = Pattern.compile("[0-9]{4}");

  public OnboardingConfig {
    Assert.notNull(servedMccs, "servedMccs");
    Assert.notNull(clock, "clock");
    servedMccs = Set.copyOf(servedMccs);
    Assert.that(!servedMccs.isEmpty() && servedMccs.size() <= SERVED_MCCS_MAX, "servedMccs must hold 1..{} codes", SERVED_MCCS_MAX);
    Assert.that(servedMccs.stream().allMatch(m -> MCC.matcher(m).matches()), "servedMccs must be 4-digit codes");
    Assert.that(terminalsPerMerchantMax >= 1 && terminalsPerMerchantMax <= 10_000, "terminalsPerMerchantMax {} outside 1..10000", terminalsPerMerchantMax);
  }

  /** The served codes, the default terminal bound, the system UTC clock. */
  public static OnboardingConfig of(Set<String> servedMccs) {
    return new OnboardingConfig(servedMccs, TERMINALS_PER_MERCHANT_MAX_DEFAULT, Clock.systemUTC());
  }

  public OnboardingConfig withClock(Clock newClock) {
    return new OnboardingConfig(servedMccs, terminalsPerMerchantMax, newClock);
  }

  public OnboardingConfig withTerminalsPerMerchantMax(int max) {
    return new OnboardingConfig(servedMccs, max, clock);
  }
}
