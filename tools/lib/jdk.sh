# Sourced by the scripts in tools/: finds a JDK >= 21 and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME when it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm.

pyto_java_major() { # prints the feature version of the java binary $1, e.g. 21
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

pyto_find_jdk() {
  local best="" best_major=0 home major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(pyto_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for home in /usr/lib/jvm/*/; do
    home=${home%/}
    [ -x "$home/bin/javac" ] || continue
    [ -L "$home" ] && continue
    major=$(pyto_java_major "$home/bin/java")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$home; best_major=$major
    fi
  done
  [ -n "$best" ] && echo "$best"
}

pyto_use_jdk() {
  local home
  if ! home=$(pyto_find_jdk) || [ -z "$home" ]; then
    echo "pyto needs a JDK 21 or newer and found none (JAVA_HOME is '${JAVA_HOME:-unset}', nothing >= 21 under /usr/lib/jvm)." >&2
    echo "Install one, for example: apt-get install openjdk-21-jdk  (or Temurin 21+), or set JAVA_HOME to it." >&2
    exit 2
  fi
  export JAVA_HOME=$home
  export PATH="$JAVA_HOME/bin:$PATH"
  PYTO_JAVA_MAJOR=$(pyto_java_major "$JAVA_HOME/bin/java")
}

# pyto_jvm_options: the JVM options tools/pyto runs pyto with, for the JDK pyto_use_jdk chose.
# From JDK 25: do not wait at exit for threads in native code. Once a virtual thread has
# blocked on a socket, the JDK's poller thread sits in epoll_wait for good, and the JVM's exit
# waits 300 ms for it in vain (UserThreadWaitAttemptsAtExit x 10 ms); pyto has closed its
# files and sockets by then. On JDK 21 to 24 the option does not exist: `java -jar` pays the
# 300 ms there.
pyto_jvm_options() {
  if [ "${PYTO_JAVA_MAJOR:-0}" -ge 25 ]; then
    echo "-XX:UserThreadWaitAttemptsAtExit=0"
  fi
}

pyto_need_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "pyto builds with Apache Maven, which is not installed. Install it, for example: apt-get install maven" >&2
    exit 2
  fi
}
