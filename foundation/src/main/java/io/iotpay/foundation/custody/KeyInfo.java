package io.iotpay.foundation.custody;

import java.time.Instant;

/**
 * What a custody says about one key version: its ref, whether it is retired, when it was made.
 *
 * @param ref the key version
 * @param retired true when every operation with it is refused
 * @param created when the version was generated or imported
 */
public record KeyInfo(KeyRef ref, boolean retired, Instant created) {}
