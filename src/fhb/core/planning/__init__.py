"""Planning: calendars, travel times, and placing visits on consultants' days (PyVRP)."""
