"""How a visit went: the consultant's record of each outcome and what the standard asks to follow.

Recording an outcome touches every case app (the visit, the offers' answers, the journal, letters, the
day's route), so it sits above them all: the visits app below holds the visit itself, this package the
workflow of its end.
"""
