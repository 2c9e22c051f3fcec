# Shared by bin/pipeline and bin/bench: locates the application jar and the JVM flags Spark needs on Java 17.
# shellcheck shell=bash

NEUROLAKE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_JAR="${NEUROLAKE_APP_JAR:-$NEUROLAKE_HOME/spark-jobs/target/neurolake-app.jar}"
# The application jar with the jars the build keeps beside it (lib/: DataNucleus, the metastore's
# JDO layer, which cannot be merged into one jar), for JVMs that run it without a Spark installation.
APP_CLASSPATH="$APP_JAR:$(dirname "$APP_JAR")/lib/*"

# Spark's own list (org.apache.spark.launcher.JavaModuleOptions) for Java 17.
SPARK_JAVA_OPENS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
  # The mLSTM's fused kernels use the JDK's vector API (prints one "Using incubator modules" warning).
  --add-modules=jdk.incubator.vector
)

require_app_jar() {
  if [[ ! -f "$APP_JAR" ]]; then
    echo "error: $APP_JAR not found; build it first with: mvn -B package -DskipTests" >&2
    exit 2
  fi
}

# The data root: $DATA_ROOT, else ../shared/data beside the project when present.
default_data_root() {
  if [[ -n "${DATA_ROOT:-}" ]]; then
    echo "$DATA_ROOT"
  elif [[ -d "$NEUROLAKE_HOME/../shared/data" ]]; then
    (cd "$NEUROLAKE_HOME/../shared/data" && pwd)
  fi
}
