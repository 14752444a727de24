"""``wizard serve``: the guided app in a browser, one app process per visitor, behind a token."""
