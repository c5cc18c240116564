"""Statistics for the team leader: the yearly dashboard, quality goals, exports, the committee report and the
capacity forecast."""
