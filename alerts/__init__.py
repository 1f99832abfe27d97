"""Digests and alerts: select, render, deliver exactly once.

records.py   the records (Story, Event, Digest, Alert, RenderedMessage)
select.py    reading pending stories and stored shifts from the store (db/ queries)
digest.py    what a digest says: events first, stories by actor and stance, "also in"
labels.py    words for actors and stances; subject lines
render.py    Jinja2 templates (templates/, user directory first), nh3, safe links
chart.py     the 30-day stance chart (matplotlib, Agg, imported lazily)
enqueue.py   freezing deliveries and claiming their stories (delivery_items)
outbox.py    delivering due deliveries: backoff, dead letters, disabled channels, status
mime.py      the email form of a message (also the file channel's .eml)
webhook_formats.py  JSON / Slack Block Kit / Discord bodies within their limits
channels/    one small registered class per channel type
"""
