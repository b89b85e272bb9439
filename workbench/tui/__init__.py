"""The review terminal UI (Textual): a thin face over `workbench.review`."""
