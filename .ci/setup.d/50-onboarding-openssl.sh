# Merchant onboarding (acquirer.pos): RateLimitAndOpensslTest makes terminal CSRs with the openssl
# command line (P-256 and SM2; OpenSSL >= 3.0 for SM2). Skipped with a stated reason when absent.
if ! command -v openssl >/dev/null 2>&1; then
  apt_install openssl
fi
