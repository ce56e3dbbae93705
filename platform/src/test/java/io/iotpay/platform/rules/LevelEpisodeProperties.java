package io.iotpay.platform.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.platform.decision.DecisionOutcome;
import io.iotpay.platform.decision.Payment;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.decision.PaymentIntent;
import io.iotpay.platform.decision.PaymentState;
import io.iotpay.platform.identity.DeviceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * "Never two orders for one low-level episode" under any delivery: duplicates, loss and reordering of
 * the washer's level events. The true episodes are computed here from the levels in counter order,
 * independently of the engine.
 */
class LevelEpisodeProperties {
  static final DeviceId WASHER = DeviceId.of("washer-1");
  static final int THRESHOLD = 15;

  /** For each counter 1..n, the true episode it belongs to (0, 1, …) or -1 when the level is not low. */
  static int[] trueEpisodes(List<Integer> levels) {
    int[] episodeOf = new int[levels.size() + 1];
    episodeOf[0] = -1;
    boolean low = false;
    int episodes = 0;
    for (int counter = 1; counter <= levels.size(); counter++) {
      int level = levels.get(counter - 1);
      if (level > THRESHOLD) {
        low = false;
      } else if (level < THRESHOLD && !low) {
        low = true;
        episodes++;
      }
      episodeOf[counter] = level < THRESHOLD || (level == THRESHOLD && low) ? episodes - 1 : -1;
    }
    return episodeOf;
  }

  static DeviceEvent event(List<Integer> levels, int counter) {
    return new DeviceEvent(WASHER, BuiltInRules.WASHER, counter, Instant.EPOCH.plusSeconds(counter),
        Map.of("detergentLevelPercent", Integer.toString(levels.get(counter - 1))));
  }

  /** Delivers, and closes every order at once when {@code ordersClose} (so later episodes may order again). */
  static List<PaymentIntent> deliver(RuleEngine engine, List<Integer> levels, List<Integer> deliveries, boolean ordersClose) {
    List<PaymentIntent> orders = new ArrayList<>();
    for (int delivery : deliveries) {
      for (PaymentIntent intent : engine.onEvent(event(levels, delivery % levels.size() + 1))) {
        orders.add(intent);
        if (ordersClose) {
          PaymentDecision decision = new PaymentDecision(intent.key(), 0, intent, DecisionOutcome.APPROVED, List.of(), "mandate-1", 1,
              Instant.EPOCH, 0);
          engine.closed(decision, new Payment(intent.key(), 1, 1, 2, intent.amount(), PaymentState.CAPTURED));
        }
      }
    }
    return orders;
  }

  @Property(tries = 300)
  void anyDelivery_ordersAtMostOncePerTrueEpisode(
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 40) Integer> levels,
      @ForAll @Size(max = 90) List<@IntRange(min = 0, max = 1_000) Integer> deliveries,
      @ForAll boolean ordersClose) {
    RuleEngine engine = new RuleEngine(BuiltInRules.book(), new BillerDirectory());
    List<PaymentIntent> orders = deliver(engine, levels, deliveries, ordersClose);
    int[] episodeOf = trueEpisodes(levels);

    Set<Long> distinctCounters = new LinkedHashSet<>();
    orders.forEach(o -> distinctCounters.add(o.key().counter()));
    Set<Integer> episodesOrdered = new HashSet<>();
    for (long counter : distinctCounters) {
      int episode = episodeOf[(int) counter];
      assertThat(episode).as("order at counter %d is in a low-level episode", counter).isNotNegative();
      assertThat(episodesOrdered.add(episode)).as("second order for episode %d (counter %d)", episode, counter).isTrue();
    }
    if (!ordersClose) {
      assertThat(distinctCounters).as("one order in progress at a time").hasSizeLessThanOrEqualTo(1);
    }
  }

  @Property(tries = 200)
  void inOrderDeliveryWithRedeliveries_ordersOncePerEpisode_whenOrdersClose(
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 40) Integer> levels,
      @ForAll @IntRange(min = 1, max = 5) int copies) {
    List<Integer> deliveries = new ArrayList<>();
    for (int counter = 0; counter < levels.size(); counter++) {
      for (int copy = 0; copy < copies; copy++) {
        deliveries.add(counter);
      }
    }
    RuleEngine engine = new RuleEngine(BuiltInRules.book(), new BillerDirectory());
    List<PaymentIntent> orders = deliver(engine, levels, deliveries, true);
    int[] episodeOf = trueEpisodes(levels);
    long episodes = java.util.Arrays.stream(episodeOf).max().orElse(-1) + 1;

    assertThat(orders.stream().map(PaymentIntent::key).distinct().count()).isEqualTo(episodes);
    assertThat(orders).hasSize((int) episodes * copies); // every redelivery of a trigger gets the same intent back
  }
}
