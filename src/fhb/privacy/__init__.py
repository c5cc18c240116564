"""The citizen's data across every app: the right-of-access export (indsigt) and anonymisation after the
retention period. Both reach into every app that holds something about a citizen, so they sit at the top,
importing the apps; no app imports them."""
