"""Exports of aligned files for other tools and people: the links to export (`links`), TMX 1.4b for
CAT tools (`tmx`), TSV for spreadsheets (`tsv`)."""
