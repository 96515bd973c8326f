"""Text stage: from extracted blocks to an analysable Document (pure functions)."""
