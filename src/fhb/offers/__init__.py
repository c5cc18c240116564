"""Offers: the eligibility runs a leader starts, and the offers they store, each with its explanation."""
