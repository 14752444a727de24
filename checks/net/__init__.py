"""Network probing shared by the network checks: interfaces, name resolution, HTTP probes."""
