# Sourced by the runner's wrappers: finds groovy or says how to install it, and sets JVM options.
if ! command -v groovy >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
    echo "$(basename "$0"): groovy and java are needed: run 'make deps' (or: apt-get install groovy default-jre-headless)" >&2
    exit 127
fi
# UTF-8 in and out whatever the locale; open the JDK packages Groovy 2.4 reflects on, so Java 9+
# prints no illegal-reflective-access warnings (Java 8 does not know --add-opens).
JAVA_OPTS="${JAVA_OPTS:-} -Dfile.encoding=UTF-8"
if java --add-opens java.base/java.lang=ALL-UNNAMED -version >/dev/null 2>&1; then
    for p in java.lang java.lang.reflect java.lang.invoke java.util java.io java.net java.nio.charset java.text; do
        JAVA_OPTS="$JAVA_OPTS --add-opens java.base/$p=ALL-UNNAMED"
    done
fi
export JAVA_OPTS
