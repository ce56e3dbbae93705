package io.iotpay.acquirer.pos.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MerchantStateTest {
  @Test
  void transitions_areExactlyTheDocumentedTable() {
    Set<String> allowed = new java.util.TreeSet<>();
    for (MerchantState from : MerchantState.values()) {
      for (MerchantState to : MerchantState.values()) {
        if (from.mayMoveTo(to)) {
          allowed.add(from + "->" + to);
        }
      }
    }
    assertThat(allowed).containsExactlyInAnyOrder(
        "REGISTERED->IN_REVIEW", "IN_REVIEW->ACTIVATED", "IN_REVIEW->REJECTED", "ACTIVATED->SUSPENDED", "SUSPENDED->ACTIVATED");
    assertThat(EnumSet.allOf(MerchantState.class)).allSatisfy(state -> assertThat(state.mayMoveTo(state)).isFalse());
  }

  @Test
  void fields_refuseControlAndBidiCharacters_andMaskNumbers() {
    for (String bad : new String[] {"a\u202Eb", "a\u2066b", "a\u200Fb", "a\u0007b", "a\uD800b", "a\uFEFFb", "", "   "}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fields.text(bad, "legal_name", 100))
          .isInstanceOf(OnboardingException.class).hasMessageContaining("legal_name");
    }
    assertThat(Fields.text("  北京小吃店 😀 ", "legal_name", 100)).isEqualTo("北京小吃店 😀");
    assertThat(Fields.number("1101 0519-4912 31002x", "owner_id_number")).isEqualTo("11010519491231002X");
    assertThat(Fields.mask("11010519491231002X")).isEqualTo("**************002X");
    assertThat(new SettlementAccount("10200000", "6222 0000 1111 2222").toString()).doesNotContain("6222000011112222").contains("2222");
  }
}
