"""Aligned files: the bead format (`aligned`), safe writes (`files`), the review journal (`journal`),
review locks (`locking`), backups (`backups`), and keeping a review when a pair is aligned again
(`realign`)."""
