#!/bin/sh
# The container's process: the gateway with the launcher's JVM options (a JVM crash report goes to the
# data directory's logs/) and NEUROGATE_JAVA_OPTS; SIGTERM reaches Java directly (exec), which stops
# gracefully (readiness down, open associations and jobs finished within NEUROGATE_SHUTDOWN_GRACE).
set -eu
mkdir -p "${NEUROGATE_DATA_DIR:-/data}/logs"
umask "${NEUROGATE_UMASK:-077}"
# shellcheck disable=SC2086
exec java -XX:ErrorFile="${NEUROGATE_DATA_DIR:-/data}/logs/hs_err_pid%p.log" ${NEUROGATE_JAVA_OPTS:-} \
  -jar /opt/neurogate/quarkus-run.jar "$@"
