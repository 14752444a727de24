"""The speed test: our own multi-stream HTTP measurement, or speedtest-cli."""
