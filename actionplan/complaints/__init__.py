"""Complaints as the law and the Ombudsman count them (SPEC section 10).

`deadlines` (working days, the procedures' time limits and the settings that
hold them) and `figures` (timeliness, a year's figures and the Ombudsman's
letter figures) are pure and belong to the domain core: the store and the
importer judge a complaint by `deadlines`, and the quarterly report counts
with `figures`. `annual` (what the annual complaints report says) and
`render` (the report through the quarterly report's pipeline) sit above the
store and the report. This module imports nothing, so the core may import
the pure two without pulling in the report.
"""
