"""Reviewing aligned files: a review session (`session`), the project's files and progress
(`project`), concordance search (`search`), QA per bead (`qa`), rescoring edited beads (`rescore`)."""
