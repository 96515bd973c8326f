"""The clause stage: who a sentence binds and in which mode it states what it says."""
