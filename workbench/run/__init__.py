"""Running the job: one pair (`pair`), a folder of pairs (`folder`), translators (`mt`), which files
are up to date (`resume`), worker processes (`workers`) and a Ray cluster (`cluster`)."""
