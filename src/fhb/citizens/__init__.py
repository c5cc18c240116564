"""Citizens, dwellings and the care system's facts, as imported from the municipality's extract."""
