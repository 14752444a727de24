"""wizard: a terminal troubleshooting wizard for TikTok likes and follows."""

__version__ = "0.1.0"
