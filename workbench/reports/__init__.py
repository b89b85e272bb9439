"""Reading a report: bytes and encodings, formats (web pages, Word files), language, cleaning,
sentences, and the `Document` model every later stage works on."""
