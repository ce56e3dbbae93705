package io.iotpay.platform.envelope;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.security.KeyPair;

/**
 * The platform's answer-signing key of one suite. Devices hold its public half as their trust
 * anchor and check every answer against it. {@code keyId} travels as the answer's kid.
 */
public record PlatformSigningKey(AlgorithmSuite suite, String keyId, KeyPair keys) {}
