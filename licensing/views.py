"""Web UI views of licensing: the coordinator's workspace, the provider's inbox, agreements."""
