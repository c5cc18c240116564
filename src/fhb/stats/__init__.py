"""Statistics for the team leader: the yearly dashboard, quality goals, exports and the committee report."""
