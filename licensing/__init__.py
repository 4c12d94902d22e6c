"""Licensing: accession to the FIT-Store, reuse terms, subscriptions and cost sharing."""
