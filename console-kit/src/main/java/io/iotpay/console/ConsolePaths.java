package io.iotpay.console;

/** Where every console lives on its party's HTTP server: the same paths in every process. */
public final class ConsolePaths {
  /** Every console page is under this path. */
  public static final String ROOT = "/console";
  /** The login form (GET) and login (POST): the only page served without an operator's session. */
  public static final String LOGIN = ROOT + "/login";
  /** Log out (POST). */
  public static final String LOGOUT = ROOT + "/logout";
  /** The static files ({@link ConsoleStatic}), served without a session. */
  public static final String STATIC = ROOT + "/static";

  private ConsolePaths() {}
}
