"""How far the review of an aligned file is (its own module so the project view, which counts the
progress of every file, does not import the review session)."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.store.aligned import Bead


@dataclass
class Progress:
    """What a file holds and how far its review is: links (two-sided beads) to decide, apart from
    the sentences left unaligned (which need no decision)."""

    links: int = 0
    confirmed: int = 0  # links confirmed
    rejected: int = 0   # links rejected
    unaligned_zh: int = 0  # sentences in one-sided beads
    unaligned_vi: int = 0
    beads: int = 0

    @classmethod
    def of(cls, beads: list[Bead]) -> "Progress":
        p = cls(beads=len(beads))
        for b in beads:
            if b.zh and b.vi:
                p.links += 1
                p.confirmed += b.status == "confirmed"
                p.rejected += b.status == "rejected"
            elif b.zh:
                p.unaligned_zh += len(b.zh)
            else:
                p.unaligned_vi += len(b.vi)
        return p

    @property
    def decided(self) -> int:
        return self.confirmed + self.rejected

    def line(self) -> str:
        """`links confirmed 3/6, rejected 1 · unaligned zh 20, vi 38`."""
        rejected = f", rejected {self.rejected}" if self.rejected else ""
        return (f"links confirmed {self.confirmed}/{self.links}{rejected} · "
                f"unaligned zh {self.unaligned_zh}, vi {self.unaligned_vi}")
