"""Entry point for `python -m cardkit`."""

import sys

from cardkit.cli import main

sys.exit(main())
