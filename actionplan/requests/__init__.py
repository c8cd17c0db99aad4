"""Update requests (SPEC section 9): asking owners, in one digest each, to bring their actions up to date.

`choose` picks the open actions to ask about (due soon, overdue, or not
updated for a while) and groups them by who answers for them; `digest`
writes each digest as a web page, an email message and a line of
`requests.csv`; `send` delivers the messages over SMTP and logs every one in
the plan. `actionplan requests` runs all three.
"""

from __future__ import annotations

from .choose import Ask, Digest, Recipient, choose_asks, digests
from .digest import write_digests

__all__ = ["Ask", "Digest", "Recipient", "choose_asks", "digests", "write_digests"]
