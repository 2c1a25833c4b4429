"""Lists as offices keep them: headings in Japanese (:mod:`.headings`), spreadsheets
(:mod:`.spreadsheets`), an empty list to fill in (:mod:`.template`) and import messages in
Japanese (:mod:`.messages`)."""
