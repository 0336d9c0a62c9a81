"""`python -m reliability`: every measurement at full size, one row per figure."""

import sys

from reliability.summary import main

sys.exit(main())
