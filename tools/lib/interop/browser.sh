# shellcheck shell=bash
# Sourced after common.sh: the daemon's web page in a real browser, Debian's chromium, headless.
#
#   il_browser_check DIR
#
# Installs chromium when it is missing, compiles the check (src/test/java/pyto/daemon/
# BrowserCheck.java and the two classes it uses; JDK only, against target/pyto.jar, which the
# caller built with il_pyto_jar), and runs it with its processes and logs in DIR. The check
# starts a pyto tracker, a pyto seeder of a 3 MB payload and `pyto daemon` with a fresh state
# directory and download root, then drives the page over chromium's DevTools protocol: signs in
# through the Basic-auth challenge; adds two .torrent files with the file picker and a magnet
# link; sets a speed limit, watches the download, lifts the limit, sees 100%; opens every
# details tab; uses the filters; stops, starts, removes with the data (the files must be gone);
# names with HTML in them must show as text; the CSP must refuse an inline script, a style
# attribute and framing; the page must poll with "recently-active". Screenshots go to
# target/web/ (daemon-page.png, daemon-page-downloading.png, daemon-page-phone.png,
# daemon-page-phone-details.png; failure.png when it fails).
# Prints one PASS or FAIL line through the caller's pass and fail functions (NAME REASON
# [LOG...]), as tools/interop defines them; returns 1 if it failed.

IL_BROWSER_SECS=${IL_BROWSER_SECS:-240}

il_browser_check() {
  local dir=$1 name="daemon web page in chromium" classes out log last
  out=$IL_ROOT/target/web
  classes=$dir/classes
  log=$dir/browser-check.log
  mkdir -p "$dir" "$out" "$classes"
  il_install chromium:chromium || { fail "$name" "could not install Debian's chromium"; return 1; }
  if ! "$JAVA_HOME/bin/javac" -nowarn -d "$classes" -cp "$IL_ROOT/target/pyto.jar" \
    "$IL_ROOT"/src/test/java/pyto/daemon/{BrowserCheck,Cdp,HeadlessChromium}.java >"$dir/javac.log" 2>&1; then
    fail "$name" "the check does not compile" "$dir/javac.log"
    return 1
  fi
  rm -f "$out"/*.png
  il_spawn "$IL_BROWSER_SECS" "$log" "$JAVA_HOME/bin/java" -cp "$IL_ROOT/target/pyto.jar:$classes" \
    pyto.daemon.BrowserCheck --jar "$IL_ROOT/target/pyto.jar" --chromium "$(command -v chromium)" \
    --work "$dir/run" --out "$out"
  il_wait_exit "$IL_PID"
  last=$(grep -E '^(PASS|FAIL) ' "$log" | tail -n 1)
  if [ "$IL_RC" = 0 ] && [[ $last == PASS* ]]; then
    pass "$name" "${last#PASS }"
    return 0
  fi
  [ "$IL_RC" = 124 ] && last="FAIL timed out after $IL_BROWSER_SECS s"
  fail "$name" "${last#FAIL }" "$log" "$dir/run/daemon.log"
  return 1
}
