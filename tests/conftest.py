"""Suite-wide settings.  The solver result cache is off unless a test turns it on with a
store of its own: a result cached by one test must not decide what another one observes."""
import os

os.environ.setdefault("VECVERIFY_RESULT_CACHE", "off")


def pytest_sessionstart(session: object) -> None:
    """The Solidity tests compile with solcjs from vecverify's cache directory; on a fresh
    machine vecverify installs it on first use, which is done here once, before the test
    workers start, so that no test sees a half-installed compiler."""
    if hasattr(getattr(session, "config", None), "workerinput"):
        return                                  # an xdist worker: the controller did it
    from vecverify.frontends.solidity import compiler
    from vecverify.frontends.solidity.cache import solcjs_dir
    if compiler._solcjs_package(solcjs_dir()) is None:
        compiler.install_solcjs(solcjs_dir(), None)
