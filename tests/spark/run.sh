#!/usr/bin/env bash
# Install PySpark (pinned) into a cached virtualenv, then run the Spark
# example end to end in local[2] mode: tests/spark/check_spark.py.
#   bash tests/spark/run.sh path/to/deboil
# Fails loudly when Java or PySpark cannot be had: there is no silent skip.
set -euo pipefail
cd "$(dirname "$0")/../.."
deboil=${1:?usage: tests/spark/run.sh path/to/deboil}
PYSPARK_VERSION=3.5.7
venv=${DEBOIL_SPARK_VENV:-$HOME/.cache/deboil/spark-venv-$PYSPARK_VERSION}

if ! java -version >/dev/null 2>&1; then
    echo "spark: no java on PATH; installing openjdk-17-jre-headless" >&2
    if ! { apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }; then
        echo "spark: FAILED: cannot install Java 17, which PySpark needs" >&2
        exit 1
    fi
fi

if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
    echo "spark: installing pyspark==$PYSPARK_VERSION into $venv" >&2
    rm -rf "$venv"
    if ! { python3 -m venv "$venv" &&
           "$venv/bin/pip" install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION"; }; then
        echo "spark: FAILED: cannot install pyspark==$PYSPARK_VERSION from PyPI; the Spark test cannot run" >&2
        rm -rf "$venv"
        exit 1
    fi
fi

export PYSPARK_PYTHON="$venv/bin/python"
export PYSPARK_DRIVER_PYTHON="$venv/bin/python"
export SPARK_LOCAL_IP=127.0.0.1
timeout 900 "$venv/bin/python" tests/spark/check_spark.py --deboil "$deboil"
