# Sourced by every script that starts Groovy (the runner, its tests, the library's tests, lint,
# make deps, make demo): the one place that finds a Java 17 runtime and Groovy, sets JAVA_HOME for
# Debian's groovy launcher (which otherwise falls back to /usr/lib/jvm/default-java, present only
# with the default-jre packages), and sets the JVM options. Exits 127 when Groovy cannot run.
dxsteps_java_home() {
    # A JAVA_HOME that holds a java is kept as the user's choice.
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        printf '%s\n' "$JAVA_HOME"; return 0
    fi
    local java candidate
    # The java on PATH, through its alternatives links, is what the machine chose.
    if java=$(command -v java 2>/dev/null) && java=$(readlink -f "$java") && [ -x "$java" ]; then
        printf '%s\n' "${java%/bin/java}"; return 0
    fi
    # Otherwise a Java 17 where Debian installs it.
    for candidate in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/*17* /usr/lib/jvm/*; do
        if [ -x "$candidate/bin/java" ]; then printf '%s\n' "$candidate"; return 0; fi
    done
    return 1
}

dxsteps_groovy_env() {
    local why=""
    if ! JAVA_HOME=$(dxsteps_java_home); then
        why="no Java runtime found (JAVA_HOME unset, no java on PATH, none in /usr/lib/jvm)"
    elif ! command -v groovy >/dev/null 2>&1; then
        why="groovy not found"
    fi
    if [ -n "$why" ]; then
        echo "$(basename "$0"): $why: run 'make deps' (on Debian: apt-get install groovy openjdk-17-jre-headless)" >&2
        return 1
    fi
    export JAVA_HOME
    # UTF-8 in and out whatever the locale; open the JDK packages Groovy 2.4 reflects on, so Java 9+
    # prints no illegal-reflective-access warnings (Java 8 does not know --add-opens).
    case " ${JAVA_OPTS:-} " in *" -Dfile.encoding=UTF-8 "*) return 0 ;; esac
    JAVA_OPTS="${JAVA_OPTS:-} -Dfile.encoding=UTF-8"
    if "$JAVA_HOME/bin/java" --add-opens java.base/java.lang=ALL-UNNAMED -version >/dev/null 2>&1; then
        local p
        for p in java.lang java.lang.reflect java.lang.invoke java.util java.io java.net java.nio.charset java.text; do
            JAVA_OPTS="$JAVA_OPTS --add-opens java.base/$p=ALL-UNNAMED"
        done
    fi
    export JAVA_OPTS
}

dxsteps_groovy_env || exit 127
