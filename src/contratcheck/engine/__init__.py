"""Rules engine: YAML packs compiled to matcher trees, evaluated on Documents."""
