package io.iotpay.app.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The module and package rules of ARCHITECTURE.md as ArchUnit rules, each an allow-list: what a module
 * (by top-level package) or a platform package may depend on. {@link ArchitectureTest} checks them on
 * the main code; {@link ArchitectureRulesBiteTest} feeds each one deliberately violating classes (the
 * {@code archfixtures} packages of this module's tests) and expects it to fail, so no rule holds
 * vacuously. Every rule refuses to pass on an empty selection ({@code allowEmptyShould(false)}).
 *
 * <p>Modules are named by their top-level packages, so the rules hold both before and after a party
 * is reorganised inside its module (the switch's package is {@code io.iotpay.scheme} or
 * {@code io.iotpay.switching}).
 */
final class ArchitectureRules {
  private ArchitectureRules() {}

  static final String[] FOUNDATION = {"io.iotpay.foundation.."};
  static final String[] CONSOLE_KIT = {"io.iotpay.console.."};
  static final String[] PROTOCOL = {"io.iotpay.protocol.."};
  static final String[] LEDGER = {"io.iotpay.ledger.."};
  static final String[] ISSUER = {"io.iotpay.issuer.."};
  static final String[] ACQUIRER = {"io.iotpay.acquirer.."};
  static final String[] SWITCH = {"io.iotpay.scheme..", "io.iotpay.switching.."};
  static final String[] TERMINAL = {"io.iotpay.terminal.."};
  static final String[] AGENT = {"io.iotpay.agent.."};
  static final String[] PHONE = {"io.iotpay.phone.."};
  static final String[] PLATFORM = {"io.iotpay.platform.."};
  static final String[] CARD = {"io.iotpay.card.."};
  static final String[] BENCH = {"io.iotpay.bench.."};
  static final String[] DEMO = {"io.iotpay.demo.."};
  static final String[] APP = {"io.iotpay.app.."};

  /** What the JDK offers every package of ours, except JDBC ({@code java.sql}), which only record-keeping code may use. */
  private static final String[] JDK = {"java.lang..", "java.util..", "java.time..", "java.math..", "java.nio..", "java.io..",
      "java.security..", "java.text..", "java.net..", "javax.crypto..", "javax.security..", "javax.net..", "org.slf4j.."};
  private static final String JDBC = "java.sql..";
  private static final String JAVALIN = "io.javalin..";
  private static final String HIVEMQ = "com.hivemq..";
  private static final String CALIFORNIUM = "org.eclipse.californium..";
  private static final String BOUNCY_CASTLE = "org.bouncycastle..";
  private static final String JACKSON = "com.fasterxml.jackson..";

  /** A module may use only these of our modules (and any library): arrows point down the module table. */
  static ArchRule module(String name, String[] module, String[]... mayUse) {
    String[] allowed = concat(module, concat(mayUse));
    return classes().that().resideInAnyPackage(module)
        .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.iotpay..").or(resideInAnyPackage(allowed)))
        .as(name + " uses only " + String.join(", ", allowed) + " of ours")
        .allowEmptyShould(false);
  }

  /** Every module rule, by name. */
  static Map<String, ArchRule> moduleRules() {
    Map<String, ArchRule> rules = new LinkedHashMap<>();
    rules.put("foundation", module("foundation", FOUNDATION));
    // The console kit (sessions, CSRF, CSP, layout, login; the HTTPS connector and /openapi.json of the servers the
    // consoles sit on) serves every party's console: it uses nothing of ours.
    rules.put("console kit", module("console kit", CONSOLE_KIT));
    rules.put("protocol", module("protocol", PROTOCOL, FOUNDATION));
    rules.put("ledger", module("ledger", LEDGER, FOUNDATION));
    // The parties meet only through protocol: none may use another party, a device, the platform or the app.
    rules.put("issuer", module("issuer", ISSUER, FOUNDATION, PROTOCOL, LEDGER, CONSOLE_KIT));
    rules.put("acquirer", module("acquirer", ACQUIRER, FOUNDATION, PROTOCOL, LEDGER, CONSOLE_KIT));
    rules.put("switch", module("switch", SWITCH, FOUNDATION, PROTOCOL, LEDGER, CONSOLE_KIT));
    // Devices never use a payment party (nor the ledger, the platform or the app).
    rules.put("terminal", module("terminal", TERMINAL, FOUNDATION, PROTOCOL));
    rules.put("agent", module("agent", AGENT, FOUNDATION, PROTOCOL));
    rules.put("devices", module("devices", concat(TERMINAL, AGENT, PHONE), FOUNDATION, PROTOCOL));
    // The platform reaches the issuer only through protocol messages (ISO 8583 over the Iso8583Client the app wires).
    rules.put("platform", module("platform", PLATFORM, FOUNDATION, PROTOCOL, LEDGER, CONSOLE_KIT));
    // Benchmarks measure the real parts, the card applets in jCardSim included; never the app or the demos.
    rules.put("bench", module("bench", BENCH, FOUNDATION, PROTOCOL, LEDGER, ISSUER, ACQUIRER, SWITCH, TERMINAL, AGENT, PHONE, PLATFORM,
        CARD, CONSOLE_KIT));
    return rules;
  }

  /** The card applets use the Java Card API and nothing else (not even java.util): what a card runs. */
  static ArchRule cardApplets() {
    return classes().that().resideInAPackage("io.iotpay.card..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.iotpay.card..", "javacard..", "javacardx..", "java.lang..")
        .as("card applets use only the Java Card API")
        .allowEmptyShould(false);
  }

  /**
   * The platform's packages and what each may use, of ours and of libraries: doors → inbox → the
   * domain. Only doors use a transport library (Javalin, HiveMQ, Californium); JDBC only in the packages
   * that keep records (identity, envelope counters, device state's clone suspicions, mandates, decisions)
   * and in the operator API's error table (a store failure is a 503).
   */
  static Map<String, String[]> platformPackages() {
    Map<String, String[]> table = new LinkedHashMap<>();
    table.put("access.mqtt", allow(ours("access.mqtt", "inbox", "identity"), HIVEMQ));
    table.put("access.coap", allow(ours("access.coap", "inbox", "identity"), CALIFORNIUM, BOUNCY_CASTLE));
    table.put("access.http", allow(ours("access.http", "inbox", "identity"), JAVALIN, "jakarta.servlet..", JACKSON));
    // Operators' and users' HTTP endpoints: the HTTP server, which also mounts the devices' HTTP door (TLS and
    // /openapi.json through the console kit, as every party's HTTP server).
    table.put("operator", allow(ours("operator", "access.http", "inbox", "identity", "decision", "mandate", "state"),
        "io.iotpay.ledger.audit..", "io.iotpay.console..", JAVALIN, "jakarta.servlet..", "io.micrometer..", "org.eclipse.jetty..", JACKSON, BOUNCY_CASTLE, JDBC));
    // The operator console: server-rendered pages (jte, precompiled into console.templates) over the same services,
    // behind the console kit.
    table.put("console", allow(ours("console", "operator", "access.http", "inbox", "identity", "decision", "mandate", "state"),
        "io.iotpay.ledger..", "io.iotpay.console..", JAVALIN, "jakarta.servlet..", "org.eclipse.jetty..", JACKSON, "gg.jte..", "javax.annotation.processing.."));
    table.put("inbox", allow(ours("inbox", "envelope", "identity", "state", "rules", "decision")));
    table.put("envelope", allow(ours("envelope", "identity"), JDBC));
    table.put("identity", allow(ours("identity"), JDBC, BOUNCY_CASTLE));
    table.put("state", allow(ours("state", "identity"), JDBC));
    table.put("rules", allow(ours("rules", "decision", "identity"), JACKSON));
    table.put("decision", allow(ours("decision", "identity", "mandate", "risk", "state"), "io.iotpay.ledger..", JDBC));
    table.put("mandate", allow(ours("mandate", "identity", "state"), JDBC));
    table.put("risk", allow(ours("risk", "identity", "state")));
    table.put("keys", allow(ours("keys", "envelope", "identity")));
    return table;
  }

  /** The rule of one platform package, from {@link #platformPackages()}. */
  static ArchRule platformPackage(String name) {
    String[] allowed = platformPackages().get(name);
    return classes().that().resideInAPackage("io.iotpay.platform." + name + "..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
        .as("platform." + name + " uses only " + String.join(", ", allowed))
        .allowEmptyShould(false);
  }

  /** Only the app ends the process; everything else reports failure to its caller. */
  static ArchRule noSystemExitOutsideTheApp() {
    return noClasses().that().resideOutsideOfPackage("io.iotpay.app..")
        .should().callMethod(System.class, "exit", int.class)
        .as("only the app calls System.exit")
        .allowEmptyShould(false);
  }

  /**
   * No {@code assert} statement anywhere (the project's always-on {@code Assert} helper instead): javac
   * gives every class with an {@code assert} a synthetic {@code static final boolean $assertionsDisabled}.
   */
  static ArchRule noAssertKeyword() {
    return classes().that(not(resideOutsideOfPackage("io.iotpay..")))
        .should(new ArchCondition<JavaClass>("not use the assert keyword") {
          @Override
          public void check(JavaClass javaClass, ConditionEvents events) {
            for (JavaField field : javaClass.getFields()) {
              if (field.getName().equals("$assertionsDisabled")) {
                events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName() + " uses the assert keyword"));
              }
            }
          }
        })
        .as("no class uses the assert keyword")
        .allowEmptyShould(false);
  }

  /** Every rule checked on the main code, by name. */
  static Map<String, ArchRule> all() {
    Map<String, ArchRule> rules = new LinkedHashMap<>(moduleRules());
    rules.put("card applets", cardApplets());
    for (String name : platformPackages().keySet()) {
      rules.put("platform." + name, platformPackage(name));
    }
    rules.put("System.exit", noSystemExitOutsideTheApp());
    rules.put("assert keyword", noAssertKeyword());
    return rules;
  }

  private static String[] ours(String... platformPackages) {
    List<String> packages = new ArrayList<>(List.of("io.iotpay.foundation..", "io.iotpay.protocol.."));
    for (String name : platformPackages) {
      packages.add("io.iotpay.platform." + name + "..");
    }
    return packages.toArray(String[]::new);
  }

  private static String[] allow(String[] ours, String... libraries) {
    return concat(ours, JDK, libraries);
  }

  private static String[] concat(String[]... parts) {
    return Stream.of(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
