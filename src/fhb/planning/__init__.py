"""Planning in the web app: consultants' calendars, plans, routes and feeds."""
