# npm package iso_8583 (MIT), run by Node.js: the ISO 8583 interop test's peer we did not write
# (Iso8583NpmInteropTest; skipped with the reason when node or the package is missing).
# Installed under a fixed prefix, never globally; the test reads IOTPAY_NPM_PREFIX (same default).
iotpay_npm_prefix="${IOTPAY_NPM_PREFIX:-/opt/iotpay-npm}"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if apt_install nodejs npm; then
    echo "ci: installed nodejs and npm"
  else
    echo "ci: could not install nodejs/npm; the npm ISO 8583 interop test will be skipped"
  fi
fi
if [ -f "$iotpay_npm_prefix/node_modules/iso_8583/package.json" ]; then
  echo "ci: iso_8583 already installed under $iotpay_npm_prefix"
elif command -v npm >/dev/null 2>&1; then
  if { mkdir -p "$iotpay_npm_prefix" 2>/dev/null || $sudo_cmd mkdir -p "$iotpay_npm_prefix"; } \
      && { [ -w "$iotpay_npm_prefix" ] || $sudo_cmd chown "$(id -u)" "$iotpay_npm_prefix"; } \
      && npm install --no-audit --no-fund --prefix "$iotpay_npm_prefix" iso_8583@2.6.7 >/dev/null 2>&1; then
    echo "ci: installed iso_8583@2.6.7 under $iotpay_npm_prefix"
  else
    echo "ci: could not install iso_8583 under $iotpay_npm_prefix; the npm interop test will be skipped"
  fi
fi
export IOTPAY_NPM_PREFIX="$iotpay_npm_prefix"
