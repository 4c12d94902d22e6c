"""The directory: states, regions (ARS hierarchy), authorities, technical addresses, routing."""
