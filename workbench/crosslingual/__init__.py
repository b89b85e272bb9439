"""What Chinese and Vietnamese share without a model: Sino-Vietnamese readings (`hanviet`) and
anchors such as numbers, dates and Latin-script names (`anchors`)."""
