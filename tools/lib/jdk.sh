# Sourced by the scripts in tools/: finds a JDK >= 21 and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME when it is >= 21, else the newest JDK >= 21 under /usr/lib/jvm.

pyto_java_major() { # prints the feature version of the java binary $1, e.g. 21
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# pyto_find_jdk: prints the JDK's feature version and home, e.g. "21 /usr/lib/jvm/jdk-21"
pyto_find_jdk() {
  local best="" best_major=0 home major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(pyto_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then echo "$major $JAVA_HOME"; return 0; fi
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
  [ -n "$best" ] && echo "$best_major $best"
}

pyto_use_jdk() {
  local found home
  if ! found=$(pyto_find_jdk) || [ -z "$found" ]; then
    echo "pyto needs a JDK 21 or newer and found none (JAVA_HOME is '${JAVA_HOME:-unset}', nothing >= 21 under /usr/lib/jvm)." >&2
    echo "Install one, for example: apt-get install openjdk-21-jdk  (or Temurin 21+), or set JAVA_HOME to it." >&2
    exit 2
  fi
  home=${found#* }
  export JAVA_HOME=$home
  export PATH="$JAVA_HOME/bin:$PATH"
  PYTO_JAVA_MAJOR=${found%% *}
}

# ---- JVM options for pyto ---------------------------------------------------------------------
# Only from JDK 25, and only where the scripts start pyto: `java -jar` runs the same pyto
# without them, slower to warm up and 300 ms slower to exit.

# pyto_jvm_options JAR: the options, one per line, for pyto_use_jdk's JDK:
# - No wait at exit for threads in native code. Once a virtual thread has blocked on a socket,
#   the JDK's poller thread sits in epoll_wait for good, and the JVM's exit waits 300 ms for
#   it in vain (UserThreadWaitAttemptsAtExit x 10 ms); pyto has closed everything by then.
# - The AOT cache pyto_aot_train made for this jar and JDK, if there is one (quietly unused
#   when other options make it unusable, such as a heap over 32 GiB).
pyto_jvm_options() {
  local cache
  [ "${PYTO_JAVA_MAJOR:-0}" -ge 25 ] || return 0
  echo "-XX:UserThreadWaitAttemptsAtExit=0"
  cache=$(pyto_aot_file "$1")
  if [ -f "$cache" ]; then
    echo "-XX:AOTCache=$cache"
    echo "-Xlog:aot*=off"
  fi
}

# pyto_aot_file JAR: where the AOT cache for JAR and this JDK is kept: beside the jar, named
# by a hash of the jar and the JDK, so that a new build or another JDK gets a cache of its own.
pyto_aot_file() {
  local key
  key=$({ sha256sum "$1"; echo "$JAVA_HOME"; cat "$JAVA_HOME/release" 2>/dev/null; } | sha256sum | cut -c1-16)
  echo "$(dirname "$1")/aot/pyto-$key.aot"
}

# pyto_aot_train JAR: on JDK 25+, makes JAR's AOT cache (JEP 483, 514, 515) when it is missing,
# by a training run: `pyto demo` on 512 MiB, one seeder and one leecher in one JVM. The cache
# holds the classes loaded and linked, and the method profiles, of that run: later runs start
# with them and compile the hot code at once instead of after a second or two of warming up.
# About 10 s, once per build and JDK; PYTO_AOT=0 skips it. A failed training is not retried.
pyto_aot_train() {
  local jar=$1 cache tmp
  [ "${PYTO_JAVA_MAJOR:-0}" -ge 25 ] && [ "${PYTO_AOT:-1}" != 0 ] || return 0
  cache=$(pyto_aot_file "$jar")
  [ -f "$cache" ] || [ -f "$cache.failed" ] && return 0
  mkdir -p "$(dirname "$cache")"
  tmp="$cache.$$.tmp"
  echo "Training the JVM on pyto (an AOT cache for this build and JDK; once, about 10 s)..." >&2
  if "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$tmp" -jar "$jar" demo --size 512M --seeders 1 --leechers 1 \
    >"$cache.log" 2>&1 && [ -f "$tmp" ]; then
    find "$(dirname "$cache")" -name 'pyto-*' ! -name "$(basename "$cache")*" -delete # older builds' caches
    mv -f "$tmp" "$cache"
  else
    rm -f "$tmp"
    touch "$cache.failed"
    echo "pyto: the training failed (see $cache.log); pyto runs without an AOT cache." >&2
  fi
}

pyto_need_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "pyto builds with Apache Maven, which is not installed. Install it, for example: apt-get install maven" >&2
    exit 2
  fi
}
