package io.iotpay.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainArgumentsTest {
  @Test
  void plainDemoWithOptions_runsTheTransitScenario() {
    assertThat(Main.demoDefaultsToTransit(new String[] {"demo", "--json", "--riders", "3"}))
        .containsExactly("demo", "transit", "--json", "--riders", "3");
  }

  @Test
  void namedScenariosHelpAndOtherCommands_areLeftAlone() {
    assertThat(Main.demoDefaultsToTransit(new String[] {"demo"})).containsExactly("demo");
    assertThat(Main.demoDefaultsToTransit(new String[] {"demo", "books", "--seed", "1"})).containsExactly("demo", "books", "--seed", "1");
    assertThat(Main.demoDefaultsToTransit(new String[] {"demo", "--help"})).containsExactly("demo", "--help");
    assertThat(Main.demoDefaultsToTransit(new String[] {"crypto", "--help"})).containsExactly("crypto", "--help");
  }

  @Test
  void aTypoInPlainDemo_isRefusedAsBadInput() {
    assertThat(Main.run("demo", "--no-such-option")).isEqualTo(Main.EXIT_BAD_INPUT);
  }
}
