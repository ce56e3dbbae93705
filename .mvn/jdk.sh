# Sourced by ./iotpay, ./mvnw and .ci/run: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME, then `java` on the PATH, then the usual install folders.
# On failure it prints what it found and returns 1.

iotpay_java_major() {
  # Prints the feature release of the java binary given, or nothing.
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

iotpay_find_jdk() {
  local min=21 seen="" candidate home major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home \
              "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    candidate="$home/bin/java"
    [ -x "$candidate" ] && [ -x "$home/bin/javac" ] || { seen="$seen\n  $home (no javac: a JRE, not a JDK)"; continue; }
    major=$(iotpay_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      export JAVA_HOME="$home"
      return 0
    fi
    seen="$seen\n  $home (Java ${major:-unknown})"
  done
  printf 'iotpay needs a JDK >= %s. Looked at JAVA_HOME, java on the PATH and the usual folders; found:%b\n' \
    "$min" "${seen:-\n  nothing}" >&2
  printf 'Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it.\n' >&2
  return 1
}
