"""The store: the OZG catalogue and the EfA online services built once for all states."""
