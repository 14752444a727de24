"""``python -m wizard``: the same as the ``wizard`` command."""

from wizard.cli.main import main

raise SystemExit(main())
