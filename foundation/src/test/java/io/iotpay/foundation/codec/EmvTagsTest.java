package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmvTagsTest {
  @Test
  void table_holdsEveryTagOurCardsUse() {
    // The tags named by the transit-quota spec and the codec brief.
    List<String> needed = List.of("9F79", "DF60", "DF62", "DF63", "9F36", "9F26", "9F27", "9F10", "9F37", "9F02",
        "5F2A", "9A", "9C", "95", "82", "94", "57", "5A", "5F34", "9F38", "8C", "8D", "9F4D", "9F4F", "6F", "84",
        "A5", "BF0C", "70", "77", "80");
    for (String hex : needed) {
      assertThat(EmvTags.lookup(Tag.parse(hex))).as(hex).isPresent();
    }
  }

  @Test
  void templates_areConstructed_andFormatsFollowEmvAnnexA() {
    for (String hex : List.of("6F", "A5", "BF0C", "70", "77", "61")) {
      assertThat(EmvTags.lookup(Tag.parse(hex)).orElseThrow().isConstructed()).as(hex).isTrue();
    }
    assertThat(EmvTags.lookup(Tag.parse("80")).orElseThrow().isConstructed()).isFalse();
    assertThat(EmvTags.lookup(EmvTags.AMOUNT_AUTHORISED).orElseThrow().format()).isEqualTo(DataFormat.N);
    assertThat(EmvTags.lookup(Tag.parse("5A")).orElseThrow().format()).isEqualTo(DataFormat.CN);
    assertThat(EmvTags.lookup(Tag.parse("50")).orElseThrow().format()).isEqualTo(DataFormat.ANS);
    assertThat(EmvTags.lookup(EmvTags.ATC).orElseThrow().format()).isEqualTo(DataFormat.B);
  }

  @Test
  void unknownTag_hasNoEntry_andAGenericName() {
    assertThat(EmvTags.lookup(Tag.parse("DF7F"))).isEmpty();
    assertThat(EmvTags.nameOf(Tag.parse("DF7F"))).isEqualTo("unknown tag");
    assertThat(EmvTags.nameOf(EmvTags.ATC)).isEqualTo("Application Transaction Counter (ATC)");
  }

  @Test
  void all_isSortedByTagValue() {
    List<EmvTag> all = EmvTags.all();
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i - 1).tag().value()).isLessThan(all.get(i).tag().value());
    }
  }
}
