"""`python -m vecverify` is the `vecverify` command."""
import sys

from vecverify.cli import main

sys.exit(main())
