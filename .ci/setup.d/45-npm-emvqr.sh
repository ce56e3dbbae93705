# npm packages emv-qrcps 0.0.7 and emvqr 0.0.5 (both ISC): independent EMV QR implementations that
# QrNpmInteropTest runs under Node.js. Without Node or the packages that test is skipped, saying so.
export IOTPAY_NPM_PREFIX="${IOTPAY_NPM_PREFIX:-/opt/iotpay-npm}"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if apt_install nodejs npm; then
    echo "ci: installed nodejs and npm"
  else
    echo "ci: could not install Node.js; the npm EMV QR interoperability test will be skipped"
  fi
fi
if command -v npm >/dev/null 2>&1; then
  emvqr_missing=""
  for emvqr_package in emv-qrcps@0.0.7 emvqr@0.0.5; do
    emvqr_json="$IOTPAY_NPM_PREFIX/node_modules/${emvqr_package%@*}/package.json"
    if [ ! -f "$emvqr_json" ] || [ "$(node -p "require('$emvqr_json').version" 2>/dev/null)" != "${emvqr_package#*@}" ]; then
      emvqr_missing="$emvqr_missing $emvqr_package"
    fi
  done
  if [ -n "$emvqr_missing" ]; then
    # shellcheck disable=SC2086 # one word per package
    if $sudo_cmd mkdir -p "$IOTPAY_NPM_PREFIX" \
        && $sudo_cmd npm install --prefix "$IOTPAY_NPM_PREFIX" --no-audit --no-fund --loglevel=error $emvqr_missing >/dev/null; then
      echo "ci: installed$emvqr_missing into $IOTPAY_NPM_PREFIX"
    else
      echo "ci: could not install$emvqr_missing; the npm EMV QR interoperability test will be skipped"
    fi
  fi
fi
