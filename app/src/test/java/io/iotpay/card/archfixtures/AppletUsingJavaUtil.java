package io.iotpay.card.archfixtures;

import java.util.ArrayList;

/** Violates on purpose (an applet has only the Java Card API): ArchitectureRulesBiteTest expects the rule to fail on it. */
public final class AppletUsingJavaUtil {
  ArrayList used;

  private AppletUsingJavaUtil() {}
}
