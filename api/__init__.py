"""The one GraphQL API for gateways, the web UI and tools."""
