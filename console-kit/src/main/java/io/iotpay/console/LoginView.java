package io.iotpay.console;

/**
 * What the login page shows.
 *
 * @param error why the last attempt failed, or ""
 * @param hint where the operator finds the token
 */
public record LoginView(String error, String hint) {}
