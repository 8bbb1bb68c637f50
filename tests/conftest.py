"""Suite-wide settings.  The solver result cache is off unless a test turns it on with a
store of its own: a result cached by one test must not decide what another one observes."""
import os

os.environ.setdefault("VECVERIFY_RESULT_CACHE", "off")
