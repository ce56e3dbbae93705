package io.iotpay.app.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@link ArchitectureRules} bites: fed only the classes of one {@code archfixtures}
 * package, which break it on purpose, it fails and names the offending class. So no rule passes because
 * it selects nothing or allows everything.
 */
class ArchitectureRulesBiteTest {
  /** Rule name → the fixture package that breaks it and the class that does. */
  private static final Map<String, String> FIXTURES = new LinkedHashMap<>();

  static {
    FIXTURES.put("foundation", "io.iotpay.foundation.archfixtures.FoundationUsingTheLedger");
    FIXTURES.put("console kit", "io.iotpay.console.archfixtures.ConsoleKitUsingThePlatform");
    FIXTURES.put("protocol", "io.iotpay.protocol.archfixtures.ProtocolUsingThePlatform");
    FIXTURES.put("ledger", "io.iotpay.ledger.archfixtures.LedgerUsingProtocol");
    FIXTURES.put("issuer", "io.iotpay.issuer.archfixtures.IssuerUsingTheAcquirer");
    FIXTURES.put("acquirer", "io.iotpay.acquirer.archfixtures.AcquirerUsingTheSwitch");
    FIXTURES.put("switch", "io.iotpay.switching.archfixtures.SwitchUsingTheIssuer");
    FIXTURES.put("terminal", "io.iotpay.terminal.archfixtures.TerminalUsingTheAcquirer");
    FIXTURES.put("agent", "io.iotpay.agent.archfixtures.AgentUsingTheIssuer");
    FIXTURES.put("devices", "io.iotpay.phone.archfixtures.PhoneUsingTheIssuer");
    FIXTURES.put("platform", "io.iotpay.platform.archfixtures.PlatformUsingTheIssuer");
    FIXTURES.put("bench", "io.iotpay.bench.archfixtures.BenchUsingTheApp");
    FIXTURES.put("card applets", "io.iotpay.card.archfixtures.AppletUsingJavaUtil");
    FIXTURES.put("platform.access.mqtt", "io.iotpay.platform.access.mqtt.archfixtures.MqttDoorUsingDecisions");
    FIXTURES.put("platform.access.coap", "io.iotpay.platform.access.coap.archfixtures.CoapDoorUsingJdbc");
    FIXTURES.put("platform.access.http", "io.iotpay.platform.access.http.archfixtures.HttpDoorUsingHiveMq");
    FIXTURES.put("platform.operator", "io.iotpay.platform.operator.archfixtures.OperatorUsingCalifornium");
    FIXTURES.put("platform.console", "io.iotpay.platform.console.archfixtures.ConsoleUsingJdbc");
    FIXTURES.put("platform.inbox", "io.iotpay.platform.inbox.archfixtures.InboxUsingADoor");
    FIXTURES.put("platform.envelope", "io.iotpay.platform.envelope.archfixtures.EnvelopeUsingJavalin");
    FIXTURES.put("platform.identity", "io.iotpay.platform.identity.archfixtures.IdentityUsingDecisions");
    FIXTURES.put("platform.state", "io.iotpay.platform.state.archfixtures.StateUsingTheInbox");
    FIXTURES.put("platform.rules", "io.iotpay.platform.rules.archfixtures.RulesUsingCalifornium");
    FIXTURES.put("platform.decision", "io.iotpay.platform.decision.archfixtures.DecisionUsingHiveMq");
    FIXTURES.put("platform.mandate", "io.iotpay.platform.mandate.archfixtures.MandateUsingTheInbox");
    FIXTURES.put("platform.risk", "io.iotpay.platform.risk.archfixtures.RiskUsingJdbc");
    FIXTURES.put("platform.keys", "io.iotpay.platform.keys.archfixtures.KeysUsingJavalin");
    FIXTURES.put("System.exit", "io.iotpay.archfixtures.exit.CallsSystemExit");
    FIXTURES.put("assert keyword", "io.iotpay.archfixtures.asserts.UsesAssertKeyword");
  }

  static Stream<String> rules() {
    return ArchitectureRules.all().keySet().stream();
  }

  @Test
  void everyRule_hasAFixtureThatBreaksIt() {
    assertThat(FIXTURES.keySet()).containsExactlyInAnyOrderElementsOf(ArchitectureRules.all().keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void rule_failsOnItsFixture_namingTheOffendingClass(String rule) {
    String offender = FIXTURES.get(rule);
    assertThat(offender).as("fixture of rule " + rule).isNotNull();
    String fixturePackage = offender.substring(0, offender.lastIndexOf('.'));
    JavaClasses fixtures = new ClassFileImporter().importPackages(fixturePackage);
    assertThat(fixtures.contain(offender)).as("fixture %s imported", offender).isTrue();

    assertThatThrownBy(() -> ArchitectureRules.all().get(rule).check(fixtures))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(offender);
  }
}
