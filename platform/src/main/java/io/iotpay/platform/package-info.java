/** The IoT payment platform: device registry, identity, access, state, rules, risk, mandates, routing. */
package io.iotpay.platform;
