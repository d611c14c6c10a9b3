"""Settings of the web tests: Socle's own, with state in a temporary directory per test process."""

import os
import tempfile

os.environ["SOCLE_HOME"] = tempfile.mkdtemp(prefix="socle-test-")

from socle.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; the real ones are tested apart

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory: the live server's threads (browser tests) and concurrent tests then get
    # connections of their own, as in production, instead of sharing the test's one.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["SOCLE_HOME"], "test.sqlite3")}  # noqa: F405
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # A test database of this run's own (pytest-xdist adds its worker's suffix): two runs on one
    # server never drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_socle_{os.getpid()}"}  # noqa: F405
