"""Web UI views of this app."""
