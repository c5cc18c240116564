"""The screens that combine several apps: the citizen list and page, the consultant's day and a visit's
page, the follow-ups, the events and the front page. They sit above the case apps and the statistics and
call their actions; no app below imports them."""
