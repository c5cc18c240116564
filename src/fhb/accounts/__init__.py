"""Users and their roles (consultant, leader, admin)."""
