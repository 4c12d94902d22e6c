"""Federation: how the directory travels between nodes and to gateways. The directory itself
(registry, rules, services, routing) stays in `directory`; this package moves it.

- `exchange`: the JSON Lines exchange format, export and the all-or-nothing bulk import
  (`import_directory`, `export_directory`);
- `feed`: the change feed's records (`directoryChanges`), the content digest
  (`directory_digest`), and the signed statements over them (pages, route services, digests);
- `mirror`: this node as a read-only mirror of another node's directory (`sync_directory`),
  verifying every page before it applies it;
- `trust`: whom a mirror trusts (trust anchors, confirmed keys, rotated key sets);
- `remote`: reading another node over HTTP;
- `webhooks`: push delivery of the feed to gateways' callback URLs (`deliver_webhooks`).

See docs/federation.md.
"""
