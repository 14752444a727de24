"""A plugin module that fails on import, as a broken third-party plugin would."""

import a_module_that_does_not_exist  # noqa: F401
