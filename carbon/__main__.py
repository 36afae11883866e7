"""``python -m carbon`` runs the command line."""

import sys

from carbon.cli import main

sys.exit(main())
