"""The FIT-Store project package: settings, URLs and the mechanisms every app shares.

Shared here: the audit log (`audit`), roles and object-level access (`access`), API tokens and
Bearer authentication (`auth`), request ids (`middleware`), and the reference-data loading
command `load_demo`.
"""
