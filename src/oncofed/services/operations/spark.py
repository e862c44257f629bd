"""A Spark session for oncofed's network-scale jobs (indicators, network-wide pre-screening).

pyspark is an optional extra (`pip install 'oncofed[spark]'`, Java 17): the rest of oncofed never
imports it. Local mode (`local[N]`) runs on one machine with no cluster; on a network's cluster
pass its master (`spark://...`, `yarn`, `k8s://...`) or run the job with `spark-submit`, which
sets the master itself (docs/OPERATIONS.md).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from typing import Any

from oncofed.errors import N_, ConfigError

INSTALL_FIX = N_("install the extra: pip install 'oncofed[spark]' (pyspark, pandas; needs Java 17)")


def spark_available() -> bool:
    """pyspark importable and a Java runtime to start it with."""
    java = shutil.which("java") or os.path.exists(
        os.path.join(os.environ.get("JAVA_HOME", "/nonexistent"), "bin", "java")
    )
    return importlib.util.find_spec("pyspark") is not None and bool(java)


def spark_session(master: str | None = None, app_name: str = "oncofed", **conf: str) -> Any:
    """A SparkSession (an existing one is reused). Local mode binds to the loopback address only and
    runs the Python workers with this interpreter, so they import the same oncofed."""
    if not spark_available():
        raise ConfigError(N_("pyspark or a Java runtime is missing"), fix=INSTALL_FIX, code="spark.missing")
    from pyspark.sql import SparkSession

    master = master or os.environ.get("ONCOFED_SPARK_MASTER") or "local[2]"
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.ansi.enabled", "true")
    )
    if master.startswith("local"):
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "8")
        )
    for key, value in conf.items():
        builder = builder.config(key.replace("__", "."), value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
