"""Where vecverify keeps what it caches: `$VECVERIFY_CACHE` if set (and non-empty), else
`~/.cache/vecverify`.  The same rule is spelled out in `.ci/run`, which installs solcjs under
it.  Used by the Solidity frontend (solcjs, solc outputs) and the solver result cache."""
from __future__ import annotations

import os

CACHE_ENV = "VECVERIFY_CACHE"


def cache_dir() -> str:
    env = os.environ.get(CACHE_ENV)
    if env:
        return os.path.abspath(os.path.expanduser(env))
    return os.path.join(os.path.expanduser("~"), ".cache", "vecverify")
